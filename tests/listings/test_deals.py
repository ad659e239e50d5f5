"""Deal rating: the bands against the median of similar cars on sale, the 5-comparable
threshold, what counts as similar, the stored copy, the filter and what pages show."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.listings.deals import compute_ratings, price_band, rate_deals
from app.listings.filters import Filters, matches
from app.listings.search import search
from app.models import DealRating, Listing
from tests import factories


@pytest.fixture
def seller(app):
    return factories.make_user("seller")


@pytest.fixture
def xv70(app):
    return factories.make_catalog()["generation:XV70"].id


def camry(seller, generation, price=10_000_000, **fields):
    fields = {"year": 2018, "mileage_km": 85_000, "generation_id": generation, **fields}
    return factories.make_listing(seller, price=price, **fields)


def rating(listing) -> DealRating | None:
    db.session.expire_all()
    return db.session.get(DealRating, listing.id)


def test_bands_against_the_median():
    assert price_band(9_000_000, 10_000_000) == "good"  # 90 % of the median
    assert price_band(9_000_001, 10_000_000) == "fair"
    assert price_band(10_999_999, 10_000_000) == "fair"
    assert price_band(11_000_000, 10_000_000) == "high"  # 110 %


def test_five_comparables_are_needed(seller, xv70):
    target = camry(seller, xv70, price=8_900_000)
    others = [camry(seller, xv70) for _ in range(4)]
    rate_deals()
    assert rating(target) is None and db.session.scalar(select(DealRating)) is None
    others.append(camry(seller, xv70))
    result = rate_deals()
    assert result.rated == 6
    stored = rating(target)
    assert (stored.band, stored.median_kzt, stored.compared) == ("good", 10_000_000, 5)
    assert db.session.get(Listing, target.id).deal_band == "good"
    assert {rating(other).band for other in others} == {"fair"}


@pytest.mark.parametrize(
    ("price", "band"), [(9_000_000, "good"), (9_100_000, "fair"), (10_900_000, "fair"), (11_000_000, "high")]
)
def test_each_band(seller, xv70, price, band):
    for _ in range(5):
        camry(seller, xv70, price=10_000_000)
    target = camry(seller, xv70, price=price)
    rate_deals()
    assert rating(target).band == band


def test_what_counts_as_similar(seller, xv70):
    target = camry(seller, xv70, year=2018)
    camry(seller, xv70, year=2017)
    camry(seller, xv70, year=2019)  # ±1 year: similar
    camry(seller, xv70, year=2018)
    camry(seller, xv70, year=2020)  # two years off
    camry(seller, xv70, mileage_km=120_000)  # another mileage band
    camry(seller, None)  # no generation given
    camry(seller, xv70, status="reserved")
    camry(seller, xv70, status="sold")
    camry(seller, xv70, status="draft")
    factories.make_listing(seller, model="RAV4", year=2018, mileage_km=85_000)
    rate_deals()
    assert rating(target) is None  # 3 comparables
    camry(seller, xv70, year=2017)
    camry(seller, xv70, year=2019, mileage_km=99_999)
    rate_deals()
    assert rating(target).compared == 5


def test_a_median_of_an_even_group_is_the_mean_of_the_middle_two(seller, xv70):
    prices = [8_000_000, 9_000_000, 10_000_000, 11_000_000, 12_000_000, 13_000_000]
    cars = [camry(seller, xv70, price=price) for price in prices]
    rate_deals()
    assert {rating(car).median_kzt for car in cars} == {10_500_000}
    assert [rating(car).band for car in cars] == ["good", "good", "fair", "fair", "high", "high"]


def test_runs_write_only_changes_and_drop_what_is_no_longer_earned(seller, xv70):
    cars = [camry(seller, xv70, price=10_000_000 + n) for n in range(6)]
    before = db.session.get(Listing, cars[0].id).updated_at
    assert rate_deals().changed == 6
    assert rate_deals().changed == 0
    assert db.session.get(Listing, cars[0].id).updated_at == before  # a rating is not an edit
    cars[5].status = "sold"
    db.session.commit()
    result = rate_deals()
    assert result.rated == 0 and result.dropped == 6
    assert db.session.scalar(select(DealRating)) is None
    assert db.session.scalars(select(Listing.deal_band).where(Listing.deal_band.is_not(None))).all() == []


def test_postgres_and_the_portable_path_agree(seller, xv70):
    """The stored ratings (PostgreSQL's statement when the suite runs there) equal the
    portable computation of the same rules."""
    for n, price in enumerate([7_000_000, 9_500_000, 10_000_000, 10_000_000, 10_400_000, 12_000_000, 13_500_000]):
        camry(seller, xv70, price=price, year=2017 + n % 3, mileage_km=70_000 + n * 4_000)
    rate_deals()
    stored = {
        row.listing_id: (row.band, row.median_kzt, row.compared) for row in db.session.scalars(select(DealRating))
    }
    assert stored and stored == compute_ratings()


def test_good_prices_only_filter_in_sql_and_in_python(client, seller, xv70):
    cheap = camry(seller, xv70, price=8_000_000)
    dear = camry(seller, xv70, price=12_500_000)
    for _ in range(5):
        camry(seller, xv70, price=10_000_000)
    unrated = factories.make_listing(seller, model="RAV4")
    rate_deals()
    filters = Filters.parse({"deal": "good"})
    found = {listing.id for listing in search(filters).listings}
    assert found == {cheap.id}
    for listing in db.session.scalars(select(Listing)):
        assert matches(filters, listing) == (listing.id in found)  # saved-search alerts agree
    assert Filters.parse({"deal": "high"}).values == {}  # only "good" is a filter
    html = client.get("/listings/?deal=good").get_data(as_text=True)
    assert f'data-listing-id="{cheap.id}"' in html
    assert f'data-listing-id="{dear.id}"' not in html and f'data-listing-id="{unrated.id}"' not in html
    assert 'id="f-deal"' in html and "checked" in html.split('id="f-deal"')[1][:40]


def test_cards_and_the_listing_page_show_the_rating_with_its_reasons(client, seller, xv70):
    cheap = camry(seller, xv70, price=8_000_000)
    for _ in range(5):
        camry(seller, xv70, price=10_000_000)
    rate_deals()
    html = client.get("/listings/").get_data(as_text=True)
    card = html.split(f'data-listing-id="{cheap.id}"')[1].split("</article>")[0]
    assert "Good price" in card and 'aria-controls="deal-' in card and 'aria-expanded="false"' in card
    assert "Median price of similar cars: " in card and "Compared with 5 similar cars on sale." in card
    page = client.get(f"/listings/{cheap.id}").get_data(as_text=True)
    badge = page.split('id="listing-deal"')[1].split("</div>")[0]
    assert "Good price" in badge and "10,000,000" in badge and "Compared with 5 similar cars on sale." in badge
    assert html.count("Fair price") >= 5


def test_the_command_rates(runner, seller, xv70):
    for _ in range(6):
        camry(seller, xv70)
    result = runner.invoke(args=["listings", "rate-deals"])
    assert result.exit_code == 0, result.output
    assert "6 listings rated, 6 ratings changed, 0 removed" in result.output
