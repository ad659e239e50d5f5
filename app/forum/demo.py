"""Demo forum content for `flask seed`: the categories and a few lively topics.

Safe to run twice: categories are matched by slug, topics by title.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.cli import DEMO_LOADERS
from app.extensions import db
from app.models import ForumCategory, Post, Topic, User
from app.models.user import utcnow

CATEGORIES = [
    ("general", "General", "Anything about cars and driving that fits nowhere else."),
    ("buying-advice", "Buying advice", "Which car to pick, what to check before paying, fair prices."),
    ("repairs", "Repairs and maintenance", "Servicing, breakdowns, garages you trust and parts."),
    ("tuning", "Tuning", "Wheels, suspension, engine work and looks."),
    ("brand-clubs", "Brand clubs", "Owners of the same make meet here: Toyota, Hyundai, Lada, BMW…"),
    ("selling", "Selling your car", "Photos, descriptions, paperwork and dealing with buyers."),
    ("site", "About Garage", "Questions and suggestions about this site."),
]

TOPICS = [
    (
        "buying-advice",
        "aigerim",
        "Camry 70 or Sonata for a family car around 12 million?",
        "We have two kids and drive Almaty–Kapchagay most weekends. Budget is about **12 million ₸**.\n\n"
        "Candidates:\n\n1. Toyota Camry 70, 2019, 80 000 km\n2. Hyundai Sonata DN8, 2020, 60 000 km\n\n"
        "Which would you take, and what should I check before paying?",
        [
            (
                "daniyar",
                "Camry holds its price much better when you sell. Check the CVT… no wait, the 2.5 has a "
                "proper 8-speed automatic. Look at the service book and ask for the VIN before you go.",
            ),
            (
                "autohouse",
                "Both are fine. On a Sonata check the paint on the bonnet edge, they chip early. "
                "We do a free inspection if you buy from us, @aigerim.",
            ),
            (
                "aigerim",
                "> Check the service book and ask for the VIN\n\nThanks, will do. @daniyar did you ever "
                "have problems with the Camry multimedia?",
            ),
            ("daniyar", "Only a frozen screen once, fixed by a software update at the dealer."),
        ],
    ),
    (
        "repairs",
        "daniyar",
        "Winter: which battery lasts at −30?",
        "My battery died twice last January in Astana. What do you use, and is AGM worth it?",
        [
            (
                "moderator",
                "AGM is worth it if you have start-stop. Otherwise a good 75 Ah calcium battery "
                "and a charger once a month in deep frost.",
            ),
            ("aigerim", "I keep a jump starter in the boot, saved me more than once:\n\n```\n12 V, 1000 A peak\n```"),
        ],
    ),
    (
        "brand-clubs",
        "autohouse",
        "Toyota club: share your service intervals",
        "Let's collect real service intervals for Toyota engines in our climate. Post your model, "
        "engine and how often you change oil.",
        [("daniyar", "Camry 2.5 (A25A): every 7 500 km, 0W-20. No oil consumption at 90 000 km.")],
    ),
    (
        "general",
        "moderator",
        "Forum rules — please read",
        "Be polite, no personal data of others, no spam. Selling goes to **listings**, not the forum.\n\n"
        "Use the *Report* link under a post if something is wrong.",
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
    for position, (slug, name, description) in enumerate(CATEGORIES, start=1):
        if slug not in by_slug:
            by_slug[slug] = ForumCategory(slug=slug, name=name, description=description, position=position)
            db.session.add(by_slug[slug])
            categories_added += 1
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


def add_demo_topic(category, users, author, title, body, replies, when) -> Topic:
    from app.forum.services import render_post

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


DEMO_LOADERS.append(load_forum_demo)
