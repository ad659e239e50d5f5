"""The image pipeline on its own."""

import io
from pathlib import Path

import pytest
from PIL import Image

from app import media
from tests import images


def test_orientation_is_applied_and_metadata_dropped(app):
    with app.test_request_context():
        name = media.save_image(io.BytesIO(images.jpeg_with_gps(size=(800, 400), orientation=6)), "posts")
    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / media.file_key("posts", name, "full")) as stored:
        assert stored.size == (400, 800)  # turned upright: portrait
        assert stored.format == "JPEG" and not stored.getexif()


def test_transparent_png_is_flattened_on_white(app):
    with app.test_request_context():
        name = media.save_image(io.BytesIO(images.png(colour=(0, 0, 0, 0))), "posts")
    with Image.open(Path(app.config["UPLOAD_FOLDER"]) / media.file_key("posts", name, "full")) as stored:
        assert stored.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=2)


def test_random_names_never_repeat(app):
    with app.test_request_context():
        names = {media.save_image(io.BytesIO(images.png()), "posts") for _ in range(5)}
    assert len(names) == 5


def test_storage_refuses_paths_outside_the_folder(app):
    with app.test_request_context(), pytest.raises(ValueError):
        media.storage().save("../escape.txt", b"x")


def test_private_kinds_are_not_served_as_public_uploads(app, client):
    with app.test_request_context():
        name = media.save_image(io.BytesIO(images.png()), "chat")
    assert client.get(f"/uploads/chat/{name}_full.jpg").status_code == 404
