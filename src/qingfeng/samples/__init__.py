"""Bundled sample data, and synthetic archives with a known mix of problems for benchmarks and the demo."""
