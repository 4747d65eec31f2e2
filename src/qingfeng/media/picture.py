"""Opening a picture safely: a known format, bounded bytes and pixels, shrunk to what OCR needs."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from qingfeng.core.i18n import t

if TYPE_CHECKING:
    from PIL import Image

FORMATS = ("PNG", "JPEG", "WEBP")  # and HEIF where pillow-heif is installed
MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a screenshot
# Longest side handed to OCR: small print on a photographed A4 page stays legible, and recognition time
# grows with the area.
OCR_SIDE = 1600
THUMBNAIL_SIDE = 480


class PictureError(ValueError):
    """A picture that cannot be read. ``reason`` names the problem; ``text(lang)`` words it for the user."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason, self.values = reason, values

    def text(self, lang: str) -> str:
        return t(f"image.{self.reason}", lang, **self.values)


def _formats() -> tuple[str, ...]:
    """The formats Pillow may open: HEIC is optional, and without pillow-heif such files are "not a readable
    picture" (naming HEIF to Pillow without its opener is an error)."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:
        return FORMATS
    register_heif_opener()
    return (*FORMATS, "HEIF")


def open_picture(data: bytes, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The picture as RGB, shrunk so its longest side is at most ``OCR_SIDE``."""
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise PictureError("no_ocr") from None
    if len(data) > max_bytes:
        raise PictureError("too_large", limit=f"{max_bytes // (1024 * 1024)} MB")
    formats = _formats()
    try:
        with Image.open(io.BytesIO(data), formats=formats) as image:
            if image.width * image.height > max_pixels:
                raise PictureError("too_large", limit=f"{max_pixels // 1_000_000} MP")
            image.draft("RGB", (OCR_SIDE, OCR_SIDE))  # JPEG decodes straight at a reduced scale
            picture = image.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if isinstance(error, PictureError):
            raise
        raise PictureError("format") from None
    picture.thumbnail((OCR_SIDE, OCR_SIDE))
    return picture


def thumbnail_uri(picture: Image.Image, side: int = THUMBNAIL_SIDE) -> str:
    """A small JPEG as a data: URI, so a report that shows the picture stays one self-contained file."""
    small = picture.copy()
    small.thumbnail((side, side))
    buffer = io.BytesIO()
    small.save(buffer, format="JPEG", quality=70)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
