"""Transfer ledgers (transfers.csv / .jsonl / .parquet) loaded into DuckDB, row by row validated in SQL.

Columns (the contract in issue 6): ``id,time,kind,sender,receiver,amount,room,room_name,packet,memo,status,
returned_at``. Every column is read as text first; one SQL statement then types the good rows into the
``transfers`` table and names the first bad field of each other row, so a bad row is reported and the rest
is screened, and ten million rows never pass through Python one by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

from qingfeng.ingest.csvfile import read_csv
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
         WHEN NOT ok THEN 'line:not valid JSON'
         WHEN coalesce(id, '') = '' THEN 'id:missing'
         WHEN t_time IS NULL THEN 'time:expected an ISO 8601 time'
         WHEN kind NOT IN {kinds} OR kind IS NULL THEN 'kind:expected redpacket, transfer or giftcard'
         WHEN coalesce(sender, '') = '' THEN 'sender:missing'
         WHEN coalesce(receiver, '') = '' THEN 'receiver:missing'
         WHEN t_amount IS NULL THEN 'amount:expected a number of yuan'
         WHEN t_amount < 0 OR isnan(t_amount) OR isinf(t_amount) THEN 'amount:must be a finite amount, not negative'
         WHEN coalesce(status, '') NOT IN {statuses} THEN 'status:expected received, returned or pending'
         WHEN coalesce(returned_at, '') <> '' AND t_returned IS NULL THEN 'returned_at:expected an ISO 8601 time'
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
UPDATE checked SET problem = 'id:duplicate transfer id ' || id
WHERE row IN (SELECT row FROM checked WHERE problem IS NULL
              QUALIFY row_number() OVER (PARTITION BY id ORDER BY row) > 1)
"""


def _source(path: Path) -> str:
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
        relation = (f"read_csv('{quoted}', all_varchar=true, header=true, delim=',', quote='\"', escape='\"', "
                    "store_rejects=true)")
    return f"SELECT row_number() OVER () AS row, * FROM {relation}"


def _columns_of(con: duckdb.DuckDBPyConnection, source: str, path: Path) -> list[str]:
    try:
        names = [column[0] for column in con.execute(f"DESCRIBE {source}").fetchall()]
    except duckdb.Error as error:
        raise InputError(InputProblem(str(path), None, None, f"cannot read: {error}")) from None
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise InputError(InputProblem(str(path), 1, None, f"missing column(s): {', '.join(missing)}"))
    return names


def load_transfers(con: duckdb.DuckDBPyConnection, path: Path) -> list[InputProblem]:
    """Create ``transfers`` from the file; return the rows left out, each with its line and field."""
    if not path.is_file():
        raise InputError(InputProblem(str(path), None, None, "no such file"))
    source = _source(path)
    names = _columns_of(con, source, path)
    select = ", ".join(f"CAST({c} AS VARCHAR) AS {c}" if c in names else f"NULL::VARCHAR AS {c}" for c in COLUMNS)
    json_check = "ok" if "ok" in names else "true"
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_transfers AS SELECT row, {json_check} AS ok, {select} "
                f"FROM ({source})")
    try:
        _check(con)
    except duckdb.Error as error:
        raise InputError(InputProblem(str(path), None, None, f"unreadable: {error}")) from None
    ragged = []
    if path.suffix.lower() == ".csv":
        ragged = con.execute(
            "SELECT line, min(error_message) FROM reject_errors GROUP BY line ORDER BY line LIMIT ?", [MAX_PROBLEMS]
        ).fetchall()
    problems = _problems(con, path, skipped={line for line, _ in ragged})
    problems += [InputProblem(str(path), line, None, f"not a row of this table ({reason})") for line, reason in ragged]
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
    return _problems(con, Path(where), exact_lines=False)


def _check(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_CHECK)
    con.execute(_TRANSFERS)
    duplicates = con.execute("SELECT count(*) - count(DISTINCT id) FROM transfers").fetchone()
    if duplicates and duplicates[0]:
        con.execute(_DUPLICATES)


def _problems(con: duckdb.DuckDBPyConnection, path: Path, exact_lines: bool = True,
              skipped: frozenset[int] | set[int] = frozenset()) -> list[InputProblem]:
    bad = con.execute(
        "SELECT row, problem FROM checked WHERE problem IS NOT NULL ORDER BY row LIMIT ?", [MAX_PROBLEMS]
    ).fetchall()
    csv_file = exact_lines and path.suffix.lower() == ".csv"
    lines = _line_numbers(path, [row for row, _ in bad], skipped) if csv_file else {}
    problems = []
    total = con.execute("SELECT count(*) FROM checked WHERE problem IS NOT NULL").fetchone()
    if total and total[0] > MAX_PROBLEMS:
        listed = f"{total[0]:,} bad rows; the first {MAX_PROBLEMS} are listed"
        problems.append(InputProblem(str(path), None, None, listed))
    for row, problem in bad:
        field, reason = problem.split(":", 1)
        line = lines.get(row, row + 1 if path.suffix.lower() == ".csv" else row)
        problems.append(InputProblem(str(path), line, None if field == "line" else field, reason))
    return problems


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
