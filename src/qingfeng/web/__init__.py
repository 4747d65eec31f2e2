"""The web application: FastAPI + Jinja2 + htmx over the same engine as the command line."""
