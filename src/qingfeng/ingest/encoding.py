"""Which text encoding an input file is in, and whether it is text at all.

Chinese offices hand over UTF-8 (with or without a BOM), GBK / GB18030 (what Excel and Notepad on Chinese
Windows save) and UTF-16 (Excel's "Unicode text", tab-separated). The candidates are few and each is checked
exactly: a BOM decides; else NUL bytes at every other position mean UTF-16; else the first 64 KiB must decode
strictly as UTF-8, else as GB18030 (a superset of GBK), else the file is not text. Decoding stays strict after
the guess, so a wrong guess stops with the line it failed on and never drops or mangles rows unseen.
(A general detector such as charset-normalizer weighs dozens of encodings on statistics; here the candidate
set is known and a strict decode answers exactly.)
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from qingfeng.ingest.errors import InputError, InputProblem

HEAD = 64 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = frozenset(range(32)) - {9, 10, 12, 13, 26}  # tab, newlines, form feed and DOS end-of-file are text
_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "gb18030": "GB18030/GBK", "utf-16": "UTF-16",
          "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}
_ZIP = b"PK\x03\x04"

# ``--encoding`` of the running command: every file it reads is taken to be in this encoding.
_forced: ContextVar[str | None] = ContextVar("forced_encoding", default=None)


@contextmanager
def forced_encoding(name: str | None) -> Iterator[None]:
    """Read every input file as ``name`` (None: detect) while the block runs."""
    if name is not None:
        try:
            name = codecs.lookup(name).name
        except LookupError:
            raise InputError(InputProblem.of("--encoding", None, None, "unknown_encoding", encoding=name)) from None
    token = _forced.set(name)
    try:
        yield
    finally:
        _forced.reset(token)


def is_spreadsheet(head: bytes) -> bool:
    """An .xlsx workbook (a zip archive) rather than text."""
    return head.startswith(_ZIP)


def label(encoding: str) -> str:
    """The encoding as people call it."""
    return _NAMES.get(encoding, encoding)


def sniff(head: bytes, where: str) -> str:
    """The encoding of a file that starts with ``head``; raises InputError when it is not text."""
    forced = _forced.get()
    if forced is not None:
        return forced
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if not any(byte in _CONTROL for byte in head[:4096]) and b"\0" not in head:
        for name in ("utf-8", "gb18030"):
            if _decodes(head, name):
                return name
    raise not_text(where)


def not_text(where: str) -> InputError:
    return InputError(InputProblem.of(where, None, None, "not_text"))


def bad_encoding(where: str, line: int | None, encoding: str) -> InputError:
    return InputError(InputProblem.of(where, line, None, "bad_encoding", encoding=label(encoding)))


def _utf16_without_bom(head: bytes) -> str | None:
    """Mostly-ASCII UTF-16 (delimiters, digits, Latin headers) has a NUL in every other byte."""
    sample = head[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) // 3 and not even.count(0):
        return "utf-16-le"
    if even.count(0) > len(even) // 3 and not odd.count(0):
        return "utf-16-be"
    return None


def _decodes(head: bytes, name: str) -> bool:
    # Incremental and not final: a character cut in two at the end of the head is not an error.
    try:
        codecs.getincrementaldecoder(name)(errors="strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True
