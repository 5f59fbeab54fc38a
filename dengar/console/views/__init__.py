"""Console pages: one module per page, each with ``add_routes(app)``; app.py registers them all."""
