"""A table archive whose columns were not recognised: its header, for a person to say which column is what,
and a copy with the chosen columns named as message-record fields (then read like any other archive)."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from qingfeng.ingest.archive import open_archive, table_rows
from qingfeng.ingest.csvfile import Table


def unrecognised_header(path: Path) -> tuple[list[str], dict[str, str]] | None:
    """The header of a CSV / .xlsx archive in which no column holds the message text, with the columns that
    were recognised (field → column); None when the archive can be read as it is (or is not a table).
    Raises InputError for a file that cannot be read at all."""
    with open_archive(path) as archive:
        if archive.format not in ("csv", "xlsx"):
            return None
        table = Table(table_rows(archive), str(path), kind="message")
        return (table.header, table.columns) if table.header and "text" not in table.columns else None


def write_mapped(path: Path, chosen: Mapping[str, str], target: Path) -> None:
    """``path``'s rows as UTF-8 CSV, the header's chosen columns renamed (chosen: field → column)."""
    renamed = {column: field for field, column in chosen.items()}
    with open_archive(path) as archive, target.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\n")
        header_done = False
        for _, cells in table_rows(archive):
            if not header_done and any(cell.strip() for cell in cells):
                cells = [renamed.get(cell.strip(), f"_{cell}") for cell in cells]
                header_done = True
            writer.writerow(cells)
