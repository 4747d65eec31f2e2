"""What reading pictures costs: OCR images/s on one core, and the share of an archive scan spent in OCR.

    python bench/ocr_speed.py                               # 1,000 messages, 5% of them pictures
    python bench/ocr_speed.py --messages 4000 --picture-share 0.1

Needs the OCR extra (pip install 'qingfeng[ocr]') and Debian's fonts-noto-cjk. The pictures are the tests'
(tests/pictures.py): a red-header page, an ID card, a chat screenshot and a meeting notice, in turn. Prints:
- OCR, one core (the process pinned to one CPU): open + shrink + recognise + layout per picture, images/s;
- a realistic archive: synthetic messages (qingfeng.samples.synth, seed 0) where every n-th is a picture, scanned by
  qingfeng.pipeline.scan.scan_archive with --jobs 1, with and without --media: the OCR share is the difference;
- import time of ``qingfeng.cli`` and whether it loads any OCR module (text-only runs must not).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from pictures import PICTURES, png_bytes
from qingfeng.ingest.archive import open_archive
from qingfeng.media.check import read_picture
from qingfeng.media.folder import MediaFolder
from qingfeng.media.scan import Pictures
from qingfeng.pipeline.engine import Checker
from qingfeng.pipeline.scan import scan_archive
from qingfeng.pipeline.stats import ScanStats
from qingfeng.samples.synth import Generator


def one_core_rate(rounds: int) -> tuple[float, float]:
    """Images per second on one core, and the model's load time (paid once per process)."""
    pictures = [png_bytes(draw()) for draw, _ in PICTURES.values()]
    started = time.perf_counter()
    read_picture(pictures[0])
    first = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for data in pictures:
            read_picture(data)
    rate = rounds * len(pictures) / (time.perf_counter() - started)
    return rate, max(first - 1 / rate, 0.0)


def archive(folder: Path, messages: int, share: float) -> Path:
    every = max(round(1 / share), 1)
    names = list(PICTURES)
    for name, (draw, _) in PICTURES.items():
        (folder / f"{name}.png").write_bytes(png_bytes(draw()))
    path = folder / "archive.jsonl"
    with path.open("wb") as out:
        for number, record in enumerate(Generator(seed=0).records(messages)):
            if number % every == every - 1:
                record = record | {"type": "image", "text": "", "media": f"{names[number // every % len(names)]}.png"}
            out.write(orjson.dumps(record) + b"\n")
    return path


def scan_seconds(path: Path, checker: Checker, pictures: Pictures | None) -> tuple[float, int]:
    stats = ScanStats()
    started = time.perf_counter()
    with open_archive(path, None) as opened:
        for _ in scan_archive(opened, checker, stats, jobs=1, pictures=pictures):
            pass
    return time.perf_counter() - started, stats.messages


def import_cost() -> tuple[float, str]:
    code = (
        "import sys, time; t = time.perf_counter(); import qingfeng.cli; d = time.perf_counter() - t; "
        "print(d, [m for m in ('rapidocr_onnxruntime', 'onnxruntime', 'cv2', 'PIL') if m in sys.modules])"
    )
    command = [sys.executable, "-c", code]
    runs = [subprocess.run(command, capture_output=True, text=True, check=True).stdout.split(" ", 1) for _ in range(5)]
    return min(float(seconds) for seconds, _ in runs), runs[0][1].strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--picture-share", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=5, help="passes over the four pictures for images/s")
    options = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    rate, load = one_core_rate(options.rounds)
    checker = Checker()
    with tempfile.TemporaryDirectory() as folder:
        path = archive(Path(folder), options.messages, options.picture_share)
        plain, counted = scan_seconds(path, checker, None)
        with_media, _ = scan_seconds(path, checker, Pictures(MediaFolder(Path(folder))))
    imported, loaded = import_cost()
    pictures = options.messages // max(round(1 / options.picture_share), 1)
    rows = [
        ("OCR, one core", f"{rate:.2f} images/s ({1000 / rate:.0f} ms each; model load {load:.1f} s once)"),
        ("archive", f"{counted} messages, {pictures} pictures ({options.picture_share:.0%})"),
        ("scan without --media", f"{plain:.2f} s"),
        ("scan with --media, --jobs 1", f"{with_media:.2f} s"),
        ("share of scan time in OCR", f"{(with_media - plain) / with_media:.1%}"),
        ("import qingfeng.cli", f"{imported * 1000:.0f} ms; OCR modules loaded: {loaded}"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")


if __name__ == "__main__":
    main()
