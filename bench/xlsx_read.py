"""Reading .xlsx chat exports: openpyxl's read-only stream (what qingfeng uses) against python-calamine, and the
whole path (`ingest.archive.read_archive`) on the same sheet, against the same rows as UTF-8 and GBK CSV.

    .venv/bin/python bench/xlsx_read.py [--rows 200000]

Each reader runs in a fresh process, so that its peak RSS is its own. python-calamine is not a dependency:
`pip install python-calamine` to include it.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook

HEADER = ["消息编号", "发送时间", "群名称", "发送人", "内容", "类型", "金额"]
ROW = ["2026-03-02 09:05", "县财政局办公室工作群", "张三", "明天上午九点在三楼会议室开会，请准时参加。", "text", ""]

READERS = {
    "openpyxl read-only (cells)": """
from openpyxl import load_workbook
book = load_workbook(PATH, read_only=True, data_only=True)
n = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
""",
    "python-calamine (cells)": """
from python_calamine import CalamineWorkbook
n = sum(1 for _ in CalamineWorkbook.from_path(PATH).get_sheet_by_index(0).iter_rows())
""",
    "qingfeng read_archive": """
from pathlib import Path
from qingfeng.ingest.archive import read_archive
n = sum(1 for _ in read_archive(Path(PATH)))
""",
}
RUN = """
import resource, sys, time
PATH = sys.argv[1]
start = time.perf_counter()
{body}
print(n, time.perf_counter() - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def _files(folder: Path, rows: int) -> dict[str, Path]:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    records = [[f"m{i}", *ROW] for i in range(rows)]
    for record in records:
        sheet.append(record)
    paths = {"xlsx": folder / "export.xlsx", "csv utf-8": folder / "export.csv", "csv gbk": folder / "gbk.csv"}
    book.save(paths["xlsx"])
    for key, encoding in (("csv utf-8", "utf-8"), ("csv gbk", "gbk")):
        with paths[key].open("w", encoding=encoding, newline="") as sink:
            csv.writer(sink).writerows([HEADER, *records])
    return paths


def _measure(body: str, path: Path) -> str:
    done = subprocess.run([sys.executable, "-c", RUN.format(body=body), str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        return "not installed" if "ModuleNotFoundError" in done.stderr else done.stderr.strip().splitlines()[-1]
    n, seconds, peak = done.stdout.split()
    return f"{int(n) / float(seconds):>10,.0f} rows/s  {float(seconds):6.1f} s  peak {peak} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = _files(Path(folder), args.rows)
        print(f"{args.rows:,} rows; .xlsx {paths['xlsx'].stat().st_size / 1e6:.1f} MB")
        print(f"{'reader':<40} figure")
        for name, body in READERS.items():
            print(f"{name + ' on .xlsx':<40} {_measure(body, paths['xlsx'])}")
        for key in ("csv utf-8", "csv gbk"):
            print(f"{'qingfeng read_archive on ' + key:<40} {_measure(READERS['qingfeng read_archive'], paths[key])}")


if __name__ == "__main__":
    main()
