"""The make/model catalogue and locations, loaded by `flask catalog load`."""

from __future__ import annotations

from sqlalchemy import ForeignKey, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class LocalNames:
    """Russian and Kazakh names beside the English `name` ("" until translated: then the
    English one is shown)."""

    name_ru: Mapped[str] = mapped_column(String(80), default="")
    name_kk: Mapped[str] = mapped_column(String(80), default="")

    def local_name(self, language: str) -> str:
        """The name in `language` ("ru", "kk", "en"), the English one when there is none."""
        return (getattr(self, f"name_{language}", "") if language != "en" else "") or self.name


class Brand(db.Model):
    __tablename__ = "brands"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    country: Mapped[str] = mapped_column(String(60), default="")
    # Shown first in selects and on the home page
    popular: Mapped[bool] = mapped_column(default=False)
    # How people write the make in Cyrillic ("Тойота, Тоёта"), comma-separated: folded into
    # each listing's search text so "тойота" finds Toyota. Names stay Latin on the site.
    aliases: Mapped[str] = mapped_column(Text, default="")

    models: Mapped[list[CarModel]] = relationship(back_populates="brand", order_by="CarModel.name")


class CarModel(db.Model):
    __tablename__ = "car_models"
    __table_args__ = (UniqueConstraint("brand_id", "slug", name="uq_car_models_brand_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    brand_id: Mapped[int] = mapped_column(ForeignKey("brands.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60))
    aliases: Mapped[str] = mapped_column(Text, default="")  # "Камри, Кэмри", as for makes

    brand: Mapped[Brand] = relationship(back_populates="models")
    generations: Mapped[list[Generation]] = relationship(back_populates="model", order_by="Generation.year_from")


class Generation(db.Model):
    __tablename__ = "generations"
    __table_args__ = (UniqueConstraint("model_id", "name", name="uq_generations_model_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("car_models.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    year_from: Mapped[int] = mapped_column(SmallInteger)
    year_to: Mapped[int | None] = mapped_column(SmallInteger)  # None: still made

    model: Mapped[CarModel] = relationship(back_populates="generations")

    @property
    def label(self) -> str:
        return f"{self.name} ({self.year_from}–{self.year_to or '…'})"


class Region(LocalNames, db.Model):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)

    cities: Mapped[list[City]] = relationship(back_populates="region", order_by="City.name")


class City(LocalNames, db.Model):
    __tablename__ = "cities"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_cities_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    slug: Mapped[str] = mapped_column(String(80))

    region: Mapped[Region] = relationship(back_populates="cities")
