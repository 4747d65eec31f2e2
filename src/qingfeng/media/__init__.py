"""Text in pictures: screenshots and photographed documents read locally with OCR and checked like text.

``picture`` opens and shrinks an image, ``ocr`` recognises its lines (the model loads on first use, so
text-only runs never pay for it), ``layout`` turns the lines into a message text (a document top to bottom,
a chat screenshot as a conversation) keeping each line's box, and ``check`` runs the engine on that text
and maps each finding's span back to boxes in the picture. ``folder`` finds an archive record's picture.
"""

from qingfeng.media.check import PictureResult, check_picture, read_picture
from qingfeng.media.picture import PictureError

__all__ = ["PictureError", "PictureResult", "check_picture", "read_picture"]
