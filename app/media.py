"""The one image pipeline: every uploaded picture reaches the disk through here.

Pillow opens and verifies the file, a pixel limit stops decompression bombs, the picture
is turned upright (EXIF orientation), re-encoded as JPEG without any metadata (GPS
included) and saved in the sizes its kind needs under a random name.

Files live under UPLOAD_FOLDER/<kind>/<name>_<variant>.jpg. Storage is behind a small
interface so object storage can replace the filesystem later.
"""

from __future__ import annotations

import io
import secrets
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from PIL import Image, ImageOps, UnidentifiedImageError

from app.extensions import limiter

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
JPEG_QUALITY = 85


class ImageRejected(ValueError):
    """The upload is not an acceptable picture; str(error) is shown to the user."""


@dataclass(frozen=True)
class Variant:
    name: str
    width: int
    height: int
    crop: bool  # True: fill the box exactly (square avatar); False: fit inside it


# Sizes per kind of upload. Listing and forum helpers may add kinds here.
KINDS: dict[str, tuple[Variant, ...]] = {
    "avatars": (Variant("256", 256, 256, True), Variant("64", 64, 64, True)),
    "listings": (
        Variant("gallery", 1600, 1200, False),
        Variant("card", 640, 480, True),
        Variant("thumb", 160, 120, True),
    ),
    "posts": (Variant("full", 1600, 1600, False),),
    "chat": (Variant("full", 1600, 1600, False), Variant("thumb", 320, 320, False)),
}
PRIVATE_KINDS = {"chat"}


class FileSystemStorage:
    """Stores bytes under a root folder; the only place that touches upload paths."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("path escapes the upload folder")
        return path

    def save(self, key: str, data: bytes) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def storage() -> FileSystemStorage:
    return FileSystemStorage(current_app.config["UPLOAD_FOLDER"])


def file_key(kind: str, name: str, variant: str) -> str:
    return f"{kind}/{name}_{variant}.jpg"


def open_verified(data: bytes, max_pixels: int, largest_side: int) -> Image.Image:
    """Decode an upload as an upright RGB picture, or raise ImageRejected. A JPEG is
    decoded at the smallest scale (1/2, 1/4, 1/8) still at least `largest_side` on each
    side, so a 40-megapixel photo never sits in memory at full size."""
    if not data:
        raise ImageRejected(_l("The file is empty."))
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        # A broken EXIF block: the picture is fine, only its orientation is unknown.
        warnings.filterwarnings("ignore", "Corrupt EXIF", UserWarning)
        return flatten(ImageOps.exif_transpose(decode(data, max_pixels, largest_side)))


def decode(data: bytes, max_pixels: int, largest_side: int) -> Image.Image:
    """The picture in `data`, loaded, or ImageRejected with the reason."""
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.format not in ACCEPTED_FORMATS:
            raise ImageRejected(_l("Only JPEG, PNG, WebP or GIF pictures are accepted."))
        width, height = probe.size
        if width * height > max_pixels:
            raise ImageRejected(_l("The picture is too large (too many pixels)."))
        probe.verify()  # structural check; the object is unusable afterwards
        image = Image.open(io.BytesIO(data))
        if image.format == "JPEG":
            image.draft("RGB", (largest_side, largest_side))
        image.load()
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected(_l("The picture is too large (too many pixels).")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ImageRejected(_l("This file is not a picture we can read.")) from None
    return image


def flatten(image: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no alpha, and palette images need converting first."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def render_variant(image: Image.Image, variant: Variant) -> bytes:
    box = (variant.width, variant.height)
    if variant.crop:
        resized = ImageOps.fit(image, box, Image.Resampling.LANCZOS)
    else:
        resized = image.copy()
        resized.thumbnail(box, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # No exif= argument: the saved file carries no metadata at all.
    resized.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def render_all(data: bytes, variants: tuple[Variant, ...], max_pixels: int) -> list[tuple[str, bytes]]:
    """The whole Pillow part of an upload (decode, verify, resize, encode): pure CPU work on
    bytes, run in the image pool."""
    largest_side = max(max(variant.width, variant.height) for variant in variants)
    image = open_verified(data, max_pixels, largest_side)
    return [(variant.name, render_variant(image, variant)) for variant in variants]


def save_image(stream: IO[bytes], kind: str) -> str:
    """Validate and store an uploaded picture in every size of `kind`; return its name.
    Pillow runs in the image pool, off the event loop (other requests go on meanwhile)."""
    data = stream.read()
    rendered = image_pool.run(render_all, data, KINDS[kind], current_app.config["MAX_IMAGE_PIXELS"])
    name = secrets.token_urlsafe(16)
    store = storage()
    for variant_name, content in rendered:
        store.save(file_key(kind, name, variant_name), content)
    return name


class ImagePool:
    """At most IMAGE_WORKERS pictures processed at once, in native threads (Pillow releases
    the GIL while it decodes, resizes and encodes). Under gevent a greenlet waiting for its
    picture lets every other request of the process run; the bound also bounds memory."""

    def __init__(self) -> None:
        self.pool = None
        self.lock = threading.Lock()

    def run(self, function, *args):
        value, error = self.get().submit(captured, function, *args).result()
        if error is not None:
            raise error  # in the request's greenlet, with the worker thread's traceback
        return value

    def get(self):
        if self.pool is None:
            with self.lock:
                if self.pool is None:
                    self.pool = self.create(current_app.config["IMAGE_WORKERS"])
        return self.pool

    @staticmethod
    def create(workers: int):
        if monkey_patched():
            from gevent.threadpool import ThreadPoolExecutor as GeventExecutor

            return GeventExecutor(max_workers=workers)
        return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="images")


def captured(function, *args):
    """(result, None) or (None, the exception): gevent's pool prints the traceback of any
    exception raised in its threads, and a refused picture is an answer to the uploader,
    not a server error; the caller raises it again."""
    try:
        return function(*args), None
    except Exception as error:  # noqa: BLE001 (handed back to the caller, who raises it)
        return None, error


def monkey_patched() -> bool:
    try:
        from gevent import monkey
    except ImportError:
        return False
    return monkey.is_module_patched("threading")


image_pool = ImagePool()


def delete_orphans(kind: str, referenced: Callable[[set[str]], set[str]], older_than: timedelta) -> int:
    """Delete the files of `kind` older than `older_than` whose picture no row names
    (`referenced(names)` answers which of `names` are still used); returns how many files.
    Younger files are left alone: an upload in progress, a forum picture not yet posted."""
    folder = storage().path(kind)
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    old = [path for path in folder.iterdir() if path.is_file() and path.stat().st_mtime < cutoff]
    by_name: dict[str, list[Path]] = {}
    for path in old:
        by_name.setdefault(path.stem.rpartition("_")[0] or path.stem, []).append(path)
    used = referenced(set(by_name)) if by_name else set()
    orphans = [path for name, paths in by_name.items() if name not in used for path in paths]
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(orphans)


def delete_image(kind: str, name: str | None) -> None:
    if not name:
        return
    store = storage()
    for variant in KINDS[kind]:
        store.delete(file_key(kind, name, variant.name))


def image_url(kind: str, name: str, variant: str) -> str:
    """Public URL of a stored picture (nginx serves /uploads in production)."""
    return url_for("main.uploads", filename=file_key(kind, name, variant))


# --- upload rate limit -------------------------------------------------------------------


def uploader_key() -> str:
    """Photo uploads are counted per member (every upload form needs a sign-in)."""
    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()


def pictures_in_request() -> int:
    """Each picture of a multi-file upload counts once against the limit."""
    return max(1, sum(1 for _name, upload in request.files.items(multi=True) if upload.filename))


def upload_limit_message() -> str:
    return str(_l("You have uploaded too many pictures for now. Wait a while and try again."))


# One allowance shared by listing photos, avatars, forum and chat pictures.
limit_photo_uploads = limiter.shared_limit(
    lambda: current_app.config["PHOTO_UPLOAD_RATE_LIMIT"],
    scope="photo-uploads",
    key_func=uploader_key,
    cost=pictures_in_request,
    error_message=upload_limit_message,
)
