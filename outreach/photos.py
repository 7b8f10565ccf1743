"""Visit photos as the app keeps them: re-encoded by us at a phone-friendly size.

A photo's stored type is the format we wrote, never the uploaded file name (a JPEG sent as
x.pdf is stored and served as .jpg). Images over MAX_PIXELS are refused before their pixels
are decoded (a 17 KB PNG may claim 144 megapixels); the others are shrunk to LONGEST_SIDE,
turned upright, and lose their metadata (EXIF holds where and when a worker was photographed).
"""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # 40 MP: above any phone camera's full size
LONGEST_SIDE = 2048  # sharp on a phone and a PC screen, ~0.5 MB as JPEG
JPEG_QUALITY = 85
# What the photo view renders: the two types we write, and raster names that photos stored
# before this module kept (Pillow had verified them as images). Any other name is downloaded.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def check_pixels(upload) -> None:
    """Refuse an image whose header claims more than MAX_PIXELS (reads the header only)."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns past 89 MP; we refuse from MAX_PIXELS on, so the warning says nothing new.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return  # not an image: Django's ImageField says so in its own words
    finally:
        upload.seek(0)
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The photo “%(name)s” has %(mp)d megapixels; at most %(max)d are accepted."),
            code="too_many_pixels",
            params={"name": upload.name, "mp": width * height // 1_000_000, "max": MAX_PIXELS // 1_000_000},
        )


def phone_friendly(upload) -> ContentFile:
    """The upload re-encoded: JPEG, or PNG when it has transparency; at most LONGEST_SIDE."""
    upload.seek(0)
    with Image.open(upload) as original:
        # JPEG decodes at a reduced scale directly: a 12 MP photo costs a fraction of its full decode.
        original.draft("RGB", (LONGEST_SIDE, LONGEST_SIDE))
        image = ImageOps.exif_transpose(original)
        image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
        transparent = image.mode in ("RGBA", "LA", "PA") or (
            image.mode == "P" and "transparency" in image.info
        )
        buffer = io.BytesIO()
        if transparent:
            image.convert("RGBA").save(buffer, format="PNG")
            suffix = ".png"
        else:
            image.convert("RGB").save(buffer, format="JPEG", quality=JPEG_QUALITY)
            suffix = ".jpg"
    return ContentFile(buffer.getvalue(), name=f"photo{suffix}")
