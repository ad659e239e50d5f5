"""A listing's gallery: add (up to MAX_PHOTOS), delete, reorder; the first photo is the cover.
The caller commits."""

from __future__ import annotations

from typing import IO

from sqlalchemy import func, select

from app import media
from app.extensions import db
from app.models import Listing, ListingPhoto
from app.models.listing import MAX_PHOTOS


class PhotoLimit(ValueError):
    """The listing already has MAX_PHOTOS photos."""


def add_photo(listing: Listing, stream: IO[bytes]) -> ListingPhoto:
    """Store one picture (raises media.ImageRejected or PhotoLimit) at the end of the gallery."""
    count = db.session.scalar(select(func.count()).where(ListingPhoto.listing_id == listing.id)) or 0
    if count >= MAX_PHOTOS:
        raise PhotoLimit
    name = media.save_image(stream, "listings")
    position = db.session.scalar(select(func.max(ListingPhoto.position)).where(ListingPhoto.listing_id == listing.id))
    photo = ListingPhoto(listing_id=listing.id, name=name, position=(position or 0) + 1 if count else 0)
    db.session.add(photo)
    db.session.flush()
    refresh_cover(listing)
    return photo


def ordered_photos(listing: Listing) -> list[ListingPhoto]:
    query = select(ListingPhoto).where(ListingPhoto.listing_id == listing.id)
    return list(db.session.scalars(query.order_by(ListingPhoto.position, ListingPhoto.id)))


def refresh_cover(listing: Listing) -> None:
    """Copy the cover and the photo count into the listing row (search reads them there)."""
    photos = ordered_photos(listing)
    listing.cover = photos[0].name if photos else None
    listing.photo_count = len(photos)
    db.session.flush()


def delete_photo(listing: Listing, photo: ListingPhoto) -> None:
    """Remove a photo and its files."""
    name = photo.name
    db.session.delete(photo)
    db.session.flush()
    db.session.expire(listing, ["photos"])
    refresh_cover(listing)
    media.delete_image("listings", name)


def reorder_photos(listing: Listing, photo_ids: list[int]) -> bool:
    """Put the photos in this order (the first is the cover); False unless the ids are exactly
    this listing's photos."""
    photos = {photo.id: photo for photo in ordered_photos(listing)}
    if sorted(photo_ids) != sorted(photos):
        return False
    for position, photo_id in enumerate(photo_ids):
        photos[photo_id].position = position
    db.session.flush()
    db.session.expire(listing, ["photos"])
    refresh_cover(listing)
    return True


def photo_json(photo: ListingPhoto) -> dict:
    return {
        "id": photo.id,
        "thumb": media.image_url("listings", photo.name, "thumb"),
        "card": media.image_url("listings", photo.name, "card"),
    }
