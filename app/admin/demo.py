"""Demo content for `flask seed`: the static pages (about, rules, contacts, privacy).

Idempotent: a page that exists (perhaps edited by an admin) is left alone.
"""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.markup import render_markdown
from app.models import Page

DEMO_PAGES = {
    "about": (
        "About Garage",
        """Garage is a community for people who buy, sell and love cars in Kazakhstan.

- **Marketplace.** Private sellers and dealers list cars with photos, mileage, VIN and an honest description.
- **Forum.** Ask about a model before you buy it, share repair stories, compare tyres for the winter.
- **Live chat.** Talk to the seller directly; arrange a viewing without giving out your phone number.

Garage started in Almaty in 2026 as a side project of a few drivers who were tired of
listings with stolen photos and sellers who never answered. We check dealer companies
before they get the *verified* badge, and moderators read every report.

Questions? See the [contacts](/p/contacts) page.
""",
    ),
    "rules": (
        "Rules",
        """Garage works because people are honest with each other. By using the site you agree to these rules.

## Listings

1. One car, one listing. Do not post the same car twice or bump it with copies.
2. Photos must show the car being sold. No pictures from catalogues or other sites.
3. The price is the real price, in one currency. "Price on request" listings are removed.
4. The VIN, if given, must be the car's VIN.

## Forum and chat

1. Be polite. Insults, threats and harassment lead to a ban.
2. No spam, no advertising outside the marketplace, no referral links.
3. Do not publish other people's personal data: phone numbers, addresses, documents.

## Moderation

Anyone can report a listing, a post, a message or a member. Moderators may remove content,
warn the author or ban an account for a period or for good. A banned member sees why and
until when. If you think a decision was wrong, write to **moderation@garage.example**.
""",
    ),
    "contacts": (
        "Contacts",
        """**Support:** support@garage.example — we answer on working days within 24 hours.

**Moderation and complaints:** moderation@garage.example, or use the *Report* link
next to any listing, post or message.

**Dealers and advertising:** partners@garage.example

**Office:** Almaty, Abay Avenue 10, office 405 (Mon–Fri, 10:00–18:00).
""",
    ),
    "privacy": (
        "Privacy",
        """We keep only what the site needs to work.

## What we store

- Your account: username, email, a password hash (never the password itself), and what you
  choose to put in your profile.
- What you publish: listings, photos, forum posts, chat messages.
- Technical logs (addresses, browser) for 30 days, to fight abuse.

## What we do not do

- We do not sell or share your data with advertisers.
- We remove location (GPS) data and other metadata from every photo you upload.
- Your phone number is shown only if you choose so in the settings.

## Your choices

You can switch off any kind of notification and email in the notification settings.
To delete your account and everything you published, write to privacy@garage.example.
""",
    ),
}


def seed_pages() -> str:
    """Create the static pages that are missing; returns a one-line summary."""
    existing = set(db.session.scalars(select(Page.slug)))
    created = 0
    for slug, (title, body) in DEMO_PAGES.items():
        if slug in existing:
            continue
        db.session.add(Page(slug=slug, title=title, body_markdown=body, body_html=render_markdown(body)))
        created += 1
    db.session.flush()
    return f"static pages: {created} created" if created else ""
