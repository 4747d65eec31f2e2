"""Local OCR (RapidOCR's PP-OCR models, shipped in its wheel): loaded on first use, once per process."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from qingfeng.media.picture import PictureError

if TYPE_CHECKING:
    from PIL import Image

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in the pixels of the picture as read


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    box: Box


@cache
def _engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise PictureError("no_ocr") from None
    # One thread: scans parallelise over pictures in worker processes, not inside one picture.
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def recognise(picture: Image.Image) -> list[Line]:
    """The text lines found, each with its bounding box, in the order OCR reports them."""
    import numpy as np

    found, _ = _engine()(np.asarray(picture)[:, :, ::-1])  # RapidOCR reads OpenCV's BGR order
    lines = []
    for points, text, _score in found or ():
        xs = [int(x) for x, _ in points]
        ys = [int(y) for _, y in points]
        if text.strip():
            lines.append(Line(text.strip(), (min(xs), min(ys), max(xs), max(ys))))
    return lines
