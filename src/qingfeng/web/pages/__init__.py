"""HTML pages (Jinja2 + htmx), one module per menu entry; the registry decides which are mounted."""
