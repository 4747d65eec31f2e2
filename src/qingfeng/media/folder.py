"""An archive's pictures: a folder of downloaded media files, found by the names a record gives.

A record's ``media`` names a file under the folder. WeCom archive records name theirs by ``md5sum`` and
``sdkfileid``; a file saved under either, with or without an extension, is found. Names never leave the
folder: a name with a path separator or ``..`` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qingfeng.media.picture import MAX_BYTES, PictureError

EXTENSIONS = ("", ".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif")


@dataclass(frozen=True, slots=True)
class MediaFolder:
    path: Path
    max_bytes: int = MAX_BYTES

    def find(self, names: tuple[str, ...]) -> Path:
        for name in names:
            if not name or "/" in name or "\\" in name or name.startswith("."):
                continue
            for extension in EXTENSIONS:
                candidate = self.path / (name + extension)
                if candidate.is_file():
                    return candidate
        raise PictureError("missing")

    def read(self, names: tuple[str, ...]) -> bytes:
        found = self.find(names)
        if found.stat().st_size > self.max_bytes:
            raise PictureError("too_large", limit=f"{self.max_bytes // (1024 * 1024)} MB")
        return found.read_bytes()
