"""Artefacts compiled once and kept in the user's cache directory, so that a new process starts at once.

An artefact is a pickle named by what it holds and the first characters of its key; the file starts with the
whole key, and is used only when that key matches. The key is the caller's (the content hash of the data it
compiled) plus what the artefact's form depends on: ``FORMAT``, the package version and a fingerprint of the
package's code, so that an edited checkout never reads what an older engine wrote. A missing, stale, corrupt
or unreadable artefact is rebuilt; one that cannot be written is skipped. Neither is ever an error. Since
unpickling runs code, only artefacts the user owns and no one else may write are read.

Where: ``QINGFENG_CACHE_DIR`` if set (``off`` disables the cache), else the platform's user cache
directory (``~/.cache/qingfeng`` on Linux). Clearing that folder is always safe.
"""

from __future__ import annotations

import gc
import hashlib
import mmap
import os
import pickle
import struct
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from qingfeng import __version__

FORMAT = 2  # bump when the layout of an artefact changes in a way the code fingerprint cannot see
ENV = "QINGFENG_CACHE_DIR"
_MAGIC = b"qingfeng-artefact\n"
_BUFFERS = b"\nqingfeng-buffers\n"  # ends an artefact whose arrays are stored after its pickle
_ALIGN = 64
_KEPT = 8  # artefacts of one name kept, newest first: enough for a few rulebooks side by side

T = TypeVar("T")


def cache_dir() -> Path | None:
    """The folder artefacts live in, or None when the cache is off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "none") else Path(chosen)
    from platformdirs import user_cache_dir  # only when no folder is given

    return Path(user_cache_dir("qingfeng", appauthor=False))


@cache
def code_fingerprint() -> str:
    """Size and modification time of every Python file of the package: cheap to take (no file is read), and
    it changes whenever the code that compiled an artefact may have."""
    digest = hashlib.sha256(f"{__version__}|{FORMAT}|{sys.version_info[:2]}".encode())
    root = Path(__file__).resolve().parent.parent
    pending = [str(root)]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                    pending.append(entry.path)
                elif entry.name.endswith(".py"):
                    stat = entry.stat()
                    digest.update(f"{entry.path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def cached(name: str, key: str, build: Callable[[], T]) -> T:
    """The artefact ``name`` for ``key``: read from the cache when there and current, else built by ``build``
    and stored for the next process."""
    folder = cache_dir()
    if folder is None:
        return build()
    full_key = hashlib.sha256(f"{name}|{key}|{code_fingerprint()}".encode()).hexdigest()
    path = folder / f"{name}-{full_key[:16]}.pickle"
    found = _read(path, full_key)
    if found is not None:
        return found[0]
    value = build()
    _write(path, full_key, value)
    return value


def yaml_data(text: str) -> Any:
    """A YAML document of package data (plain lists, maps and scalars), parsed once and then read from the
    cache: parsing is slow in Python, and most of it happens at start-up."""
    return cached("yaml", hashlib.sha256(text.encode()).hexdigest(), lambda: parse_yaml(text))


class YamlError(ValueError):
    """A document that is not valid YAML: what is wrong and, where known, the line (from 1)."""

    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(f"line {line}: {problem}" if line else problem)
        self.problem = problem
        self.line = line


def parse_yaml(text: str) -> Any:
    """YAML with libyaml's parser where PyYAML was built with it (the same documents, several times faster).
    Raises YamlError, so that callers need not import PyYAML to catch its errors."""
    import yaml  # not needed at all when every document comes from the cache

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise YamlError(str(getattr(error, "problem", None) or error), mark.line + 1 if mark else None) from None


def _read(path: Path, full_key: str) -> tuple[object] | None:
    header = _MAGIC + full_key.encode() + b"\n"
    try:
        with path.open("rb") as stream:
            if not _trusted(os.fstat(stream.fileno())):
                return None
            # Mapped, not read: large arrays are used where they lie, and only the pages touched are loaded.
            data = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError):  # unreadable, or empty
        return None
    if data[: len(header)] != header:
        return None
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes many objects at once: the collector would walk the whole heap, to no avail
    try:
        return (pickle.loads(data[len(header) :], buffers=_buffers(data)),)
    except Exception:  # a truncated or foreign file, or one naming code that has moved: rebuild it
        return None
    finally:
        if collecting:
            gc.enable()


def _buffers(data: memoryview) -> list[memoryview]:
    """The out-of-band buffers (arrays) stored after the pickle: a table of (offset, size) at the end of the
    file, then how many, then ``_BUFFERS``. None stored: an empty list."""
    end = len(data) - len(_BUFFERS) - 8
    if end < 0 or data[end + 8 :] != _BUFFERS:
        return []
    (count,) = struct.unpack("<Q", data[end : end + 8])
    start = end - 16 * count
    if start < 0:
        raise ValueError("a buffer table longer than the file")
    table = struct.unpack(f"<{2 * count}Q", data[start:end])
    buffers = []
    for offset, size in zip(table[::2], table[1::2], strict=True):
        if offset + size > start:
            raise ValueError("a buffer past the end of the file")
        buffers.append(data[offset : offset + size])
    return buffers


def _trusted(stat: os.stat_result) -> bool:
    """Unpickling runs code: only a file this user owns, that no one else may write, is read."""
    if not hasattr(os, "geteuid"):  # Windows: the user's own profile folder
        return True
    return stat.st_uid == os.geteuid() and not stat.st_mode & 0o022


def _write(path: Path, full_key: str, value: object) -> None:
    buffers: list[pickle.PickleBuffer] = []
    try:  # arrays go out of band, after the pickle, each aligned: read back, they are used where they lie
        payload = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    except Exception:  # something in it cannot be pickled: run without the artefact rather than fail
        return
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(_MAGIC + full_key.encode() + b"\n")
                stream.write(payload)
                if buffers:
                    table: list[int] = []
                    for buffer in buffers:
                        raw = buffer.raw()
                        stream.write(b"\0" * (-stream.tell() % _ALIGN))
                        table += [stream.tell(), raw.nbytes]
                        stream.write(raw)
                    stream.write(struct.pack(f"<{len(table)}QQ", *table, len(buffers)) + _BUFFERS)
            os.replace(temporary, path)  # readers see the old file or the whole new one, never a part
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        _prune(path)
    except OSError:
        return


def _prune(path: Path) -> None:
    """Keep the newest few artefacts of this name; older keys are never read again."""
    name = path.name.rsplit("-", 1)[0]
    siblings = sorted(path.parent.glob(f"{name}-*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in siblings[_KEPT:]:
        old.unlink(missing_ok=True)


__all__ = ["ENV", "FORMAT", "YamlError", "cache_dir", "cached", "code_fingerprint", "parse_yaml", "yaml_data"]
