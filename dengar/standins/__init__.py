"""Local stand-ins of the channels (X API v2, feeds, Open311, Qlue) for the demo and the tests."""
