"""HTTP layer: FastAPI routers. Parses requests, calls services, shapes responses."""
