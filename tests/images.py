"""Pictures for upload tests, made with Pillow."""

from __future__ import annotations

import io

from PIL import Image


def jpeg_with_gps(size=(800, 600), colour=(200, 30, 30), orientation: int | None = None) -> bytes:
    """A JPEG carrying GPS coordinates (and optionally an EXIF orientation)."""
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 15.0, 0.0), "E", (76.0, 54.0, 0.0)
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png(size=(300, 200), colour=(0, 120, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, "PNG")
    return out.getvalue()


def bomb(side: int = 12_000) -> bytes:
    """A small PNG that decodes to side×side pixels (144 megapixels by default)."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'
TEXT_AS_JPEG = b"this is plain text pretending to be a picture\n" * 20
