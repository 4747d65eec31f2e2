"""Settings and security primitives shared by the web pages, the JSON API and the command line."""
