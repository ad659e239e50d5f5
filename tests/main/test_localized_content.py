"""Static pages and forum categories are shown in the reader's language: a Russian reader gets
the Russian rules page and Russian category names, a Kazakh reader the Kazakh ones, and a page
not written in a language falls back to another version instead of a 404."""

from sqlalchemy import select

from app.admin.demo import seed_pages
from app.extensions import db
from app.forum.demo import load_forum_demo
from app.models import ForumCategory, Page
from tests.conftest import form_tokens
from tests.factories import make_user

RULES_OPENING = {
    "ru": "Одна машина — одно объявление.",
    "kk": "Бір көлік — бір хабарландыру.",
    "en": "One car, one listing.",
}


def read(client, path: str, language: str) -> str:
    return client.get(path, headers={"Accept-Language": language}).get_data(as_text=True)


def test_a_reader_gets_the_seeded_rules_in_their_language(app, client):
    seed_pages()
    db.session.commit()
    for language in app.config["LANGUAGES"]:
        html = read(client, "/p/rules", language)
        assert RULES_OPENING[language] in html
        assert f'<div class="page-body" lang="{language}">' in html
        assert not any(text in html for other, text in RULES_OPENING.items() if other != language)


def test_a_page_missing_in_the_readers_language_falls_back_to_another_version(client):
    db.session.add(Page(slug="about", locale="ru", title="О Garage", body_markdown="", body_html="<p>Привет</p>"))
    db.session.commit()
    html = read(client, "/p/about", "kk")
    assert "Привет" in html and '<div class="page-body" lang="ru">' in html
    assert client.get("/p/nonexistent", headers={"Accept-Language": "kk"}).status_code == 404


def test_hostile_page_addresses_are_404_not_errors(client, auth):
    make_user("boss", role="admin")
    db.session.commit()
    hostile = ["ab%00c", "x" * 5000, "%F0%9F%98%80", "about%00"]
    assert [client.get(f"/p/{slug}").status_code for slug in hostile] == [404] * len(hostile)
    auth.login("boss")
    assert [client.get(f"/admin/pages/{slug}/ru").status_code for slug in hostile] == [404] * len(hostile)


def test_an_admin_writes_the_russian_version_of_a_page(client, auth):
    make_user("boss", role="admin")
    db.session.add(Page(slug="about", locale="en", title="About", body_markdown="", body_html="<p>Hello</p>"))
    db.session.commit()
    auth.login("boss")
    listing = client.get("/admin/pages").get_data(as_text=True)
    assert 'href="/admin/pages/about/ru"' in listing and 'href="/admin/pages/about/en"' in listing
    form = "/admin/pages/about/ru"
    data = {"title": "О Garage", "body_markdown": "Привет, **автолюбители**!", **form_tokens(client, form)}
    assert client.post(form, data=data).status_code == 302
    assert "Привет, <strong>автолюбители</strong>!" in read(client, "/p/about", "ru")
    assert "Hello" in read(client, "/p/about", "en")  # the English version is untouched
    assert db.session.scalar(select(Page).where(Page.slug == "about", Page.locale == "ru")).title == "О Garage"
    assert client.get("/admin/pages/about/xx").status_code == 404
    assert client.get("/admin/pages/unknown/ru").status_code == 404


CATEGORY = {
    "ru": ("Выбор и покупка", "Какую машину взять, что проверить перед покупкой"),
    "kk": ("Таңдау және сатып алу", "Қай көлікті алған дұрыс"),
    "en": ("Buying advice", "Which car to pick"),
}


def test_forum_categories_are_named_in_the_readers_language(app, client):
    load_forum_demo()
    db.session.commit()
    for language in app.config["LANGUAGES"]:
        name, description = CATEGORY[language]
        index = read(client, "/forum/", language)
        assert name in index and description in index
        assert f'<h1 class="h3 mb-0">{name}</h1>' in read(client, "/forum/c/buying-advice", language)


def test_an_admin_names_a_category_in_russian_and_kazakh(client, auth):
    make_user("boss", role="admin")
    db.session.commit()
    auth.login("boss")
    form = "/forum/admin/categories/new"
    data = {"name": "Electric cars", "description": "EVs", "name_ru": "Электромобили", "description_ru": "Про EV"}
    assert client.post(form, data={**data, **form_tokens(client, form)}).status_code == 302
    category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == "electric-cars"))
    assert (category.name_ru, category.name_kk) == ("Электромобили", "")
    assert "Электромобили" in read(client, "/forum/", "ru")
    assert "Electric cars" in read(client, "/forum/", "en")
    category.name_ru = ""
    db.session.commit()
    assert "Electric cars" in read(client, "/forum/", "ru")  # no Russian name: the base name
