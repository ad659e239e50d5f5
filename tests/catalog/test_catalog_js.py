"""catalog.js in a real Chromium on the pages that use it: the search filters at /listings
and the listing form at /listings/new, against the real catalogue and the real server."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.catalog.loader import load_catalog
from app.extensions import db
from app.models import Brand, CarModel, Generation
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def catalogue(app):
    load_catalog()
    db.session.commit()
    camry = db.session.scalar(select(CarModel).join(Brand).where(Brand.slug == "toyota", CarModel.slug == "camry"))
    xv70 = db.session.scalar(select(Generation).where(Generation.model_id == camry.id, Generation.name == "XV70"))
    return {"toyota": camry.brand_id, "camry": camry.id, "xv70": xv70.id}


def option_texts(page, selector: str) -> list[str]:
    return page.locator(f"{selector} option").all_inner_texts()


def wait_for_option(page, selector: str, text: str) -> None:
    page.locator(f"{selector}:not([disabled]) option", has_text=text).first.wait_for(state="attached")


def test_search_filters_refill_models_and_generations(new_page, catalogue):
    page = new_page()
    page.goto("/listings")
    assert page.locator("#f-model").is_disabled()
    assert page.locator("#f-generation").is_disabled()

    page.select_option("#f-brand", label="Toyota")
    wait_for_option(page, "#f-model", "Camry")
    models = option_texts(page, "#f-model")
    assert models[0] == "Any model"
    assert {"Camry", "Land Cruiser Prado", "RAV4"} <= set(models)
    assert page.locator("#f-generation").is_disabled()

    page.select_option("#f-model", label="Camry")
    wait_for_option(page, "#f-generation", "XV70 (2017–2024)")
    assert option_texts(page, "#f-generation")[:3] == ["Any generation", "XV80 (2024–…)", "XV70 (2017–2024)"]
    page.select_option("#f-generation", label="XV70 (2017–2024)")

    # Another make: its models replace Toyota's; the generation is cleared and disabled.
    page.select_option("#f-brand", label="BMW")
    wait_for_option(page, "#f-model", "X5")
    assert "Camry" not in option_texts(page, "#f-model")
    assert page.locator("#f-model").input_value() == ""
    assert page.locator("#f-generation").is_disabled()
    assert option_texts(page, "#f-generation") == ["Any generation"]

    # No make: the model select empties and is disabled.
    page.select_option("#f-brand", value="")
    assert page.locator("#f-model").is_disabled()
    assert option_texts(page, "#f-model") == ["Any model"]

    page.select_option("#f-region", label="Almaty Region")
    wait_for_option(page, "#f-city", "Talgar")
    assert option_texts(page, "#f-city")[0] == "Any city"
    assert page.errors == []


def test_search_filters_keep_the_chosen_values_after_submit(new_page, catalogue):
    page = new_page()
    page.goto(f"/listings?brand={catalogue['toyota']}&model={catalogue['camry']}&generation={catalogue['xv70']}")
    assert page.locator("#f-brand").input_value() == str(catalogue["toyota"])
    assert page.locator("#f-model").input_value() == str(catalogue["camry"])
    assert page.locator("#f-generation").input_value() == str(catalogue["xv70"])
    assert page.locator("#f-generation").is_enabled()
    page.select_option("#f-model", label="Corolla")
    wait_for_option(page, "#f-generation", "E210 (2018–…)")
    assert page.locator("#f-generation").input_value() == ""
    assert page.errors == []


def test_selects_left_empty_by_the_server_are_filled_with_the_preselected_values(new_page, catalogue):
    """A form whose child selects carry only a placeholder and data-catalog-selected (a page
    that does not render the options itself) comes back fully chosen after load."""
    page = new_page()
    page.goto("/listings")
    page.evaluate(
        """([brand, model, generation]) => {
            const form = document.createElement("form");
            form.id = "probe";
            form.innerHTML = `
              <select id="p-brand" data-catalog-child="#p-model" data-catalog-url="/catalog/brands/{id}/models">
                <option value="">Make</option><option value="${brand}" selected>Toyota</option></select>
              <select id="p-model" data-catalog-placeholder="Any model" data-catalog-selected="${model}"
                      data-catalog-child="#p-gen" data-catalog-url="/catalog/models/{id}/generations"></select>
              <select id="p-gen" data-catalog-placeholder="Any generation"
                      data-catalog-selected="${generation}"></select>`;
            document.body.append(form);
            return window.garage.catalog.init(form);
        }""",
        [catalogue["toyota"], catalogue["camry"], catalogue["xv70"]],
    )
    assert page.locator("#p-model").input_value() == str(catalogue["camry"])
    assert option_texts(page, "#p-model")[0] == "Any model"
    assert page.locator("#p-gen").input_value() == str(catalogue["xv70"])
    assert page.locator("#p-gen").is_enabled()
    assert page.errors == []


def test_listing_form_make_model_generation_and_city(new_page, catalogue):
    factories.make_user("seller")
    page = new_page()
    page.goto("/auth/login")
    page.get_by_label("Username or email").fill("seller")
    page.get_by_label("Password").fill(factories.DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/listings/new")

    page.select_option("#brand_id", label="Lada")
    wait_for_option(page, "#model_id", "Vesta")
    assert option_texts(page, "#model_id")[0] == "Choose the model"
    assert "Camry" not in option_texts(page, "#model_id")
    page.select_option("#model_id", label="Vesta")
    wait_for_option(page, "#generation_id", "I (2015–…)")
    assert option_texts(page, "#generation_id") == ["Not sure", "I (2015–…)"]
    page.select_option("#generation_id", label="I (2015–…)")
    page.select_option("#region_id", label="Astana")
    wait_for_option(page, "#city_id", "Astana")
    page.select_option("#city_id", label="Astana")
    assert page.locator("#model_id").is_enabled() and page.locator("#city_id").is_enabled()
    assert page.errors == []
