"""What a picture shows besides its words: the round red seal (公章) stamped on an official document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qingfeng.media.ocr import Box

if TYPE_CHECKING:
    from PIL import Image

SEAL = "【印章】"  # how a seal enters the text read from a picture
_MIN_SHARE = 0.08  # a seal's diameter, as a share of the picture's shorter side
_ON_RING = 0.9  # share of the shape's red pixels on the rim of its bounding ellipse


def seals(picture: Image.Image) -> list[Box]:
    """Round or oval red rings: red shapes whose pixels lie on the ellipse inscribed in their bounds.
    Red characters of a red header fail this even when boxy (口, 国): their corners fill the bounds."""
    import cv2
    import numpy as np

    pixels = np.asarray(picture, dtype=np.int16)
    red, green, blue = pixels[:, :, 0], pixels[:, :, 1], pixels[:, :, 2]
    mask = ((red > 140) & (red - green > 70) & (red - blue > 70)).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    side = min(mask.shape)
    found = []
    for label in range(1, count):
        x, y, width, height, _area = (int(v) for v in stats[label])
        if min(width, height) < side * _MIN_SHARE or not 0.6 < width / height < 1.6:
            continue
        ys, xs = np.nonzero(labels[y : y + height, x : x + width] == label)
        radius = np.hypot((xs + 0.5 - width / 2) / (width / 2), (ys + 0.5 - height / 2) / (height / 2))
        if np.mean((radius > 0.8) & (radius < 1.08)) >= _ON_RING:
            found.append((x, y, x + width, y + height))
    return found
