"""The daemon: every enabled source polled on its own schedule, one writer, health and metrics."""
