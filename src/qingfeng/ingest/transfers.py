"""Transfer ledgers (transfers.csv / .jsonl / .parquet) loaded into DuckDB, row by row validated in SQL.

Columns (the contract in issue 6): ``id,time,kind,sender,receiver,amount,room,room_name,packet,memo,status,
returned_at``. Every column is read as text first; one SQL statement then types the good rows into the
``transfers`` table and names the first bad field of each other row, so a bad row is reported and the rest
is screened, and ten million rows never pass through Python one by one.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from qingfeng.ingest import encoding, headers
from qingfeng.ingest.csvfile import open_input, open_table, read_csv
from qingfeng.ingest.errors import InputError, InputProblem

COLUMNS = ("id", "time", "kind", "sender", "receiver", "amount", "room", "room_name", "packet", "memo", "status",
           "returned_at")
REQUIRED = ("id", "time", "kind", "sender", "receiver", "amount")
KINDS = ("redpacket", "transfer", "giftcard")
STATUSES = ("received", "returned", "pending")
MAX_PROBLEMS = 1000  # beyond this the file is not a ledger with a few bad rows; the count is still reported

# One pass over the file: the typed row and the first failing check, which names the field. Times without a
# zone are China Standard Time (the session's TimeZone).
_CHECK = """
CREATE OR REPLACE TEMP TABLE checked AS
SELECT row, id, t_time AS time, kind, sender, receiver, t_amount AS amount,
       NULLIF(room, '') AS room, NULLIF(room_name, '') AS room_name,
       coalesce(NULLIF(packet, ''), id) AS packet, coalesce(memo, '') AS memo,
       coalesce(NULLIF(status, ''), 'received') AS status, t_returned AS returned_at,
       CASE
         WHEN NOT ok THEN 'line:bad_json'
         WHEN coalesce(id, '') = '' THEN 'id:missing'
         WHEN t_time IS NULL THEN 'time:time:' || coalesce(time, '')
         WHEN kind NOT IN {kinds} OR kind IS NULL THEN 'kind:transfer_kind:' || coalesce(kind, '')
         WHEN coalesce(sender, '') = '' THEN 'sender:missing'
         WHEN coalesce(receiver, '') = '' THEN 'receiver:missing'
         WHEN t_amount IS NULL THEN 'amount:number:' || coalesce(amount, '')
         WHEN t_amount < 0 OR isnan(t_amount) OR isinf(t_amount) THEN 'amount:amount:' || amount
         WHEN coalesce(status, '') NOT IN {statuses} THEN 'status:transfer_status:' || status
         WHEN coalesce(returned_at, '') <> '' AND t_returned IS NULL THEN 'returned_at:time:' || returned_at
       END AS problem
FROM (
  SELECT *,
         TRY_CAST(time AS TIMESTAMPTZ)::TIMESTAMP AS t_time,
         TRY_CAST(amount AS DOUBLE) AS t_amount,
         TRY_CAST(NULLIF(returned_at, '') AS TIMESTAMPTZ)::TIMESTAMP AS t_returned
  FROM raw_transfers
)
""".format(kinds=str(KINDS), statuses=str((*STATUSES, "")))

# The rules read the good rows; a view, so that ten million rows are not copied once more.
_TRANSFERS = "CREATE OR REPLACE TEMP VIEW transfers AS SELECT * EXCLUDE (problem) FROM checked WHERE problem IS NULL"

# A repeated id is one receipt exported twice: the first is kept, so that money is not counted twice.
_DUPLICATES = """
UPDATE checked SET problem = 'id:duplicate_transfer:' || id
WHERE row IN (SELECT row FROM checked WHERE problem IS NULL
              QUALIFY row_number() OVER (PARTITION BY id ORDER BY row) > 1)
"""


def _source(path: Path, delimiter: str = ",") -> str:
    """A SELECT yielding (row, every contract column as VARCHAR) in file order, streamed by DuckDB."""
    quoted = str(path).replace("'", "''")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        relation = f"read_parquet('{quoted}')"
    elif suffix in (".jsonl", ".ndjson", ".json"):
        # One VARCHAR column per line, so that a line that is not JSON is a bad row, not a failed read.
        lines = (
            f"SELECT row_number() OVER () AS row, line FROM read_csv('{quoted}', columns={{'line': 'VARCHAR'}}, "
            "header=false, delim='\x01', quote='', escape='', auto_detect=false)"
        )
        fields = ", ".join(f"CASE WHEN ok THEN json_extract_string(line, '$.{c}') END AS {c}" for c in COLUMNS)
        return (
            f"SELECT row, {fields}, ok FROM (SELECT row, line, json_valid(line) AS ok FROM ({lines})) "
            "WHERE line IS NOT NULL AND trim(line) <> ''"
        )
    else:
        # A fixed dialect (sniffing is fooled by a ragged row); rows of the wrong width go to reject_errors.
        relation = (f"read_csv('{quoted}', all_varchar=true, header=true, delim='{delimiter}', quote='\"', "
                    "escape='\"', store_rejects=true)")
    return f"SELECT row_number() OVER () AS row, * FROM {relation}"


def _columns_of(con: duckdb.DuckDBPyConnection, source: str, where: str) -> dict[str, str]:
    """canonical column → the file's column (Chinese headers recognised), checked for the required ones."""
    try:
        names = [column[0] for column in con.execute(f"DESCRIBE {source}").fetchall()]
    except duckdb.Error:
        raise InputError(InputProblem.of(where, None, None, "bad_csv")) from None
    found = headers.columns("transfer", names)
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise InputError(InputProblem.of(where, 1, None, "missing_columns", columns=", ".join(missing),
                                         header=" | ".join(names)))
    return found | ({"ok": "ok"} if "ok" in names else {})


def _text(column: str, values: Mapping[str, str]) -> str:
    """A file column as VARCHAR, its other words for a value (红包, 已退还…) read as the contract's."""
    quoted = '"' + column.replace('"', '""') + '"'
    if not values:
        return f"CAST({quoted} AS VARCHAR)"
    cases = " ".join(f"WHEN '{k.replace(chr(39), chr(39) * 2)}' THEN '{v}'" for k, v in values.items())
    return f"CASE CAST({quoted} AS VARCHAR) {cases} ELSE CAST({quoted} AS VARCHAR) END"


def load_transfers(con: duckdb.DuckDBPyConnection, path: Path) -> list[InputProblem]:
    """Create ``transfers`` from the file; return the rows left out, each with its line and field."""
    where = str(path)
    open_input(path, where).close()  # a missing file is worded as every command words it
    if path.suffix.lower() in (".parquet", ".jsonl", ".ndjson", ".json"):
        return _load(con, path, where, _source(path))
    with tempfile.TemporaryDirectory(prefix="qingfeng-ledger-") as folder:
        readable = _utf8_csv(path, where, Path(folder))
        return _load(con, path, where, _source(readable), csv_file=True)


def _utf8_csv(path: Path, where: str, folder: Path) -> Path:
    """The ledger as DuckDB reads it fastest: the file itself when it is UTF-8 CSV, else a UTF-8 copy of its
    rows (GBK / UTF-16 text, tab-separated, .xlsx), line for line, so that line numbers stay the file's."""
    with open_input(path, where) as raw:
        head = raw.read(encoding.HEAD)
    if not encoding.is_spreadsheet(head) and encoding.sniff(head, where) in ("utf-8", "utf-8-sig"):
        first = head.split(b"\n", 1)[0]
        if first.count(b"\t") <= first.count(b","):
            return path
    copy = folder / "transfers.csv"
    with open_table(path, where) as rows, copy.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink, lineterminator="\n")
        for _, cells in rows:
            writer.writerow(cells if any(cell.strip() for cell in cells) else [])
    return copy


def _load(con: duckdb.DuckDBPyConnection, path: Path, where: str, source: str, csv_file: bool = False
          ) -> list[InputProblem]:
    found = _columns_of(con, source, where)
    values = headers.values("transfer")
    select = ", ".join(f"{_text(found[c], values.get(c, {}))} AS {c}" if c in found else f"NULL::VARCHAR AS {c}"
                       for c in COLUMNS)
    json_check = "ok" if "ok" in found else "true"
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_transfers AS SELECT row, {json_check} AS ok, {select} "
                f"FROM ({source})")
    try:
        _check(con)
    except duckdb.Error:
        raise InputError(InputProblem.of(where, None, None, "bad_csv")) from None
    ragged = []
    if csv_file:
        ragged = con.execute(
            "SELECT DISTINCT line FROM reject_errors ORDER BY line LIMIT ?", [MAX_PROBLEMS]
        ).fetchall()
    problems = _problems(con, path, found, csv_file, skipped={line for line, in ragged})
    problems += [InputProblem.of(where, line, None, "ragged_row") for line, in ragged]
    return sorted(problems, key=lambda problem: problem.line or 0)


def load_transfer_rows(con: duckdb.DuckDBPyConnection, rows: Iterable[Mapping[str, object]],
                       where: str = "<rows>") -> list[InputProblem]:
    """The same from records in memory (a rule's example, a web upload already parsed)."""
    columns = ", ".join(f"{c} VARCHAR" for c in COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE raw_transfers (row BIGINT, ok BOOLEAN, {columns})")
    values = [
        [number, True, *(None if row.get(c) is None else str(row.get(c)) for c in COLUMNS)]
        for number, row in enumerate(rows, start=1)
    ]
    if values:
        con.executemany(f"INSERT INTO raw_transfers VALUES ({', '.join('?' * (len(COLUMNS) + 2))})", values)
    _check(con)
    return _problems(con, Path(where), {c: c for c in COLUMNS}, exact_lines=False)


def _check(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_CHECK)
    con.execute(_TRANSFERS)
    duplicates = con.execute("SELECT count(*) - count(DISTINCT id) FROM transfers").fetchone()
    if duplicates and duplicates[0]:
        con.execute(_DUPLICATES)


def _problems(con: duckdb.DuckDBPyConnection, path: Path, found: Mapping[str, str], exact_lines: bool = True,
              skipped: frozenset[int] | set[int] = frozenset()) -> list[InputProblem]:
    """Each bad row once, with its line and the field as the file names it."""
    bad = con.execute(
        "SELECT row, problem FROM checked WHERE problem IS NOT NULL ORDER BY row LIMIT ?", [MAX_PROBLEMS]
    ).fetchall()
    lines = _line_numbers(path, [row for row, _ in bad], skipped) if exact_lines else {}
    problems = []
    total = con.execute("SELECT count(*) FROM checked WHERE problem IS NOT NULL").fetchone()
    if total and total[0] > MAX_PROBLEMS:
        problems.append(InputProblem.of(str(path), None, None, "many_bad", n=f"{total[0]:,}", shown=MAX_PROBLEMS))
    for row, problem in bad:
        problems.append(check_problem(str(path), lines.get(row, row + 1 if exact_lines else row), problem, found))
    return problems


def check_problem(where: str, line: int | None, problem: str, found: Mapping[str, str] | None = None) -> InputProblem:
    """A bad row as the validation SQL words it (``field:key[:value]``), for a person."""
    field, key, *value = problem.split(":", 2)
    shown = None if field == "line" else (found or {}).get(field, field)
    if key == "duplicate_transfer":
        return InputProblem.of(where, line, shown, "duplicate_id", id=value[0])
    return InputProblem.of(where, line, shown, key, got=repr(value[0]) if value else "")


def _line_numbers(path: Path, rows: list[int], skipped: frozenset[int] | set[int]) -> dict[int, int]:
    """CSV rows (1-based, as DuckDB counts them: blank lines and the ``skipped`` ragged lines left out) →
    physical line numbers. Only read when a row is bad: a quoted newline makes row + 1 the wrong line."""
    wanted = set(rows)
    found: dict[int, int] = {}
    if not wanted:
        return found
    kept = ((line, row) for line, row in read_csv(path, required=()) if line not in skipped)
    for number, (line, _) in enumerate(kept, start=1):
        if number in wanted:
            found[number] = line
            if len(found) == len(wanted):
                break
    return found
