"""Catalogue JSON endpoints that feed dependent selects (see app/static/js/catalog.js).

All are public GET endpoints answering JSON lists; an unknown or malformed id is a JSON
404. The catalogue changes only when `flask catalog load` runs, so answers may be cached
by browsers and proxies for an hour (Cache-Control: public, max-age=3600).

- GET /catalog/brands                     [{id, name, popular}], popular first, then by name
- GET /catalog/brands/<id>/models         [{id, name}], by name
- GET /catalog/models/<id>/generations    [{id, name, year_from, year_to, label}], newest first
- GET /catalog/regions                    [{id, name}], by name
- GET /catalog/regions/<id>/cities        [{id, name}], by name
Region and city names are in the page's language (catalog.js adds `lang=`, so a cached
answer in one language is never shown in another).
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

from app.catalog import bp, services

CACHE_SECONDS = 3600


def cached_json(items: list[dict]):
    """A JSON list that browsers and proxies may keep for CACHE_SECONDS."""
    response = jsonify(items)
    response.cache_control.public = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


def not_found(message: str):
    """A JSON 404 whatever the Accept header says: these URLs are only ever fetched by scripts."""
    return jsonify(error=_("Not found"), message=message), 404


@bp.get("/brands")
def brands():
    """All makes: id, name and whether the make is popular; popular first, then by name."""
    return cached_json([{"id": b.id, "name": b.name, "popular": b.popular} for b in services.list_brands()])


@bp.get("/brands/<int:brand_id>/models")
def brand_models(brand_id: int):
    """The models of one make, by name; 404 for an unknown make."""
    if services.get_brand(brand_id) is None:
        return not_found(_("No such make in the catalogue."))
    return cached_json([{"id": m.id, "name": m.name} for m in services.models_of(brand_id)])


@bp.get("/models/<int:model_id>/generations")
def model_generations(model_id: int):
    """The generations of one model with their years and a display label, newest first; 404 for an unknown model."""
    if services.get_model(model_id) is None:
        return not_found(_("No such model in the catalogue."))
    return cached_json(
        [
            {"id": g.id, "name": g.name, "year_from": g.year_from, "year_to": g.year_to, "label": g.label}
            for g in services.generations_of(model_id)
        ]
    )


@bp.get("/regions")
def regions():
    """All regions, by name, in the page's language."""
    return cached_json([{"id": region_id, "name": name} for region_id, name in services.region_choices()])


@bp.get("/regions/<int:region_id>/cities")
def region_cities(region_id: int):
    """The cities of one region, by name, in the page's language; 404 for an unknown region."""
    if services.get_region(region_id) is None:
        return not_found(_("No such region in the catalogue."))
    return cached_json([{"id": city_id, "name": name} for city_id, name in services.city_choices(region_id)])
