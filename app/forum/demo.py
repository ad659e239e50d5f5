"""Demo forum content for `flask seed`: the categories (named in English, Russian and Kazakh)
and a few lively topics in Russian.

Safe to run twice: categories are matched by slug (and get the Russian and Kazakh names they
lack), topics by title.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.core.time import utcnow
from app.extensions import db
from app.forum.services import render_post
from app.models import ForumCategory, Post, Topic, User

# slug, then name and description in English (the base text), Russian and Kazakh.
CATEGORIES = [
    ("general",
     ("General", "Anything about cars and driving that fits nowhere else."),
     ("Общий раздел", "Всё о машинах и дорогах, что не подошло в другие разделы."),
     ("Жалпы", "Басқа бөлімдерге сәйкес келмейтін көлік пен жол туралы әңгімелер.")),
    ("buying-advice",
     ("Buying advice", "Which car to pick, what to check before paying, fair prices."),
     ("Выбор и покупка", "Какую машину взять, что проверить перед покупкой, адекватные цены."),
     ("Таңдау және сатып алу", "Қай көлікті алған дұрыс, төлемес бұрын нені тексеру керек, әділ баға.")),
    ("repairs",
     ("Repairs and maintenance", "Servicing, breakdowns, garages you trust and parts."),
     ("Ремонт и обслуживание", "ТО, поломки, проверенные СТО и запчасти."),
     ("Жөндеу және қызмет көрсету", "Техникалық қызмет көрсету, ақаулар, сенімді автосервис және бөлшектер.")),
    ("tuning",
     ("Tuning", "Wheels, suspension, engine work and looks."),
     ("Тюнинг", "Диски, подвеска, доработка двигателя и внешний вид."),
     ("Тюнинг", "Дискілер, аспа, қозғалтқышты жетілдіру және сыртқы келбет.")),
    ("brand-clubs",
     ("Brand clubs", "Owners of the same make meet here: Toyota, Hyundai, Lada, BMW…"),
     ("Клубы по маркам", "Владельцы одной марки: Toyota, Hyundai, Lada, BMW…"),
     ("Марка клубтары", "Бір марка иелерінің басқосуы: Toyota, Hyundai, Lada, BMW…")),
    ("selling",
     ("Selling your car", "Photos, descriptions, paperwork and dealing with buyers."),
     ("Продажа авто", "Фото, описание, документы и общение с покупателями."),
     ("Көлік сату", "Суреттер, сипаттама, құжаттар және сатып алушылармен сөйлесу.")),
    ("site",
     ("About Garage", "Questions and suggestions about this site."),
     ("О Garage", "Вопросы и предложения по работе сайта."),
     ("Garage туралы", "Сайт жұмысы бойынша сұрақтар мен ұсыныстар.")),
]  # fmt: skip

# Garage's members write Russian: the demo topics are what they would post.
TOPICS = [
    (
        "buying-advice",
        "aigerim",
        "Камри 70 или Соната для семьи в пределах 12 млн?",
        "У нас двое детей, почти каждые выходные ездим Алматы — Капшагай. Бюджет около **12 млн ₸**.\n\n"
        "Варианты:\n\n1. Toyota Camry 70, 2019 г., пробег 80 000 км\n"
        "2. Hyundai Sonata DN8, 2020 г., пробег 60 000 км\n\n"
        "Что бы вы взяли и что проверить перед покупкой?",
        [
            (
                "daniyar",
                "Камри при перепродаже намного лучше держит цену. Проверь вариатор… хотя нет, на 2.5 там "
                "нормальный 8-ступенчатый автомат. Посмотри сервисную книжку и до поездки попроси VIN, пробей по базе.",
            ),
            (
                "autohouse",
                "Обе машины нормальные. На Сонате смотрите краску по кромке капота, там рано появляются сколы. "
                "Если будете брать у нас, @aigerim, диагностика бесплатно.",
            ),
            (
                "aigerim",
                "> Посмотри сервисную книжку и до поездки попроси VIN\n\nСпасибо, так и сделаю. @daniyar, а с "
                "мультимедиа на Камри проблем не было?",
            ),
            ("daniyar", "Один раз завис экран, у официалов обновили прошивку, больше не повторялось."),
        ],
    ),
    (
        "repairs",
        "daniyar",
        "Зима: какой аккумулятор выдерживает −30?",
        "Прошлой зимой в Астане аккумулятор дважды садился в январе. Кто что ставит и стоит ли переплачивать за AGM?",
        [
            (
                "moderator",
                "AGM имеет смысл, если есть старт-стоп. Иначе хватит хорошего кальциевого на 75 А·ч, "
                "а в сильные морозы раз в месяц подзаряжайте его.",
            ),
            ("aigerim", "Вожу в багажнике пусковое устройство, не раз выручало:\n\n```\n12 В, пиковый ток 1000 А\n```"),
        ],
    ),
    (
        "brand-clubs",
        "autohouse",
        "Клуб Toyota: делимся интервалами ТО",
        "Давайте соберём реальные интервалы обслуживания моторов Toyota в наших условиях. Пишите модель, "
        "двигатель и как часто меняете масло.",
        [("daniyar", "Камри 2.5 (A25A): каждые 7 500 км, масло 0W-20. На 90 000 км масло не ест.")],
    ),
    (
        "general",
        "moderator",
        "Правила форума — прочтите, пожалуйста",
        "Будьте вежливы, не публикуйте чужие персональные данные, без спама. Продажа машин — в **объявлениях**, "
        "а не на форуме.\n\nЕсли что-то не так, нажмите *Пожаловаться* под сообщением.",
        [],
    ),
]


def load_forum_demo() -> str | None:
    """Add missing categories and demo topics; return a one-line summary."""
    # Posts are rendered with links (url_for), which needs a request context.
    with current_app.test_request_context(base_url=current_app.config["SITE_URL"]):
        return add_demo_content()


def add_demo_content() -> str | None:
    categories_added = 0
    by_slug = {c.slug: c for c in db.session.scalars(select(ForumCategory))}
    for position, (slug, (name, description), russian, kazakh) in enumerate(CATEGORIES, start=1):
        if slug not in by_slug:
            by_slug[slug] = ForumCategory(slug=slug, name=name, description=description, position=position)
            db.session.add(by_slug[slug])
            categories_added += 1
        add_translations(by_slug[slug], russian, kazakh)
    db.session.flush()
    users = {u.username: u for u in db.session.scalars(select(User))}
    topics_added = 0
    started = utcnow() - timedelta(days=3)
    for index, (slug, author, title, body, replies) in enumerate(TOPICS):
        if author not in users or db.session.scalar(select(Topic.id).where(Topic.title == title)):
            continue
        topic = add_demo_topic(by_slug[slug], users, author, title, body, replies, started + timedelta(hours=index))
        topic.pinned = slug == "general"
        topics_added += 1
    db.session.flush()
    if not categories_added and not topics_added:
        return None
    return f"forum: {categories_added} categories, {topics_added} topics added"


def add_translations(category: ForumCategory, russian: tuple[str, str], kazakh: tuple[str, str]) -> None:
    """Give a category its Russian and Kazakh name and description where it has none yet
    (an admin's own wording is kept)."""
    category.name_ru = category.name_ru or russian[0]
    category.description_ru = category.description_ru or russian[1]
    category.name_kk = category.name_kk or kazakh[0]
    category.description_kk = category.description_kk or kazakh[1]


def add_demo_topic(category, users, author, title, body, replies, when) -> Topic:
    topic = Topic(category=category, author=users[author], title=title, created_at=when, post_count=0)
    db.session.add(topic)
    for offset, (username, text) in enumerate([(author, body), *replies]):
        if username not in users:
            continue
        at = when + timedelta(minutes=37 * offset)
        post = Post(topic=topic, author=users[username], body=text, body_html=render_post(text).html, created_at=at)
        db.session.add(post)
        topic.post_count += 1
        topic.last_post_at, topic.last_poster = at, users[username]
        db.session.flush()
        topic.last_post_id = post.id
    return topic
