"""Red-envelope and transfer ledger screening (issue 6): DuckDB queries per rule over a transfers file."""
