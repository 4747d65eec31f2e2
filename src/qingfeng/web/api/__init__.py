"""JSON API: the same operations as the pages, documented at /docs."""
