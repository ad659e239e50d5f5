"""Search's shared values are retired the moment anything they show changes.

Visitors' search pages (core/page_cache.py), the estimated totals and the Top rings
(search.py) live in the shared cache's "search" namespace. Whatever changes what a search
shows — a listing written through the ORM, a review (the seller's rating on cards), a deal
rating, a seller's ban or role — retires the whole namespace in every process when its
transaction commits, so an edit shows on the next page, whichever process serves it.

The ORM's flushes are watched (`note_flush`); statements that write listings in bulk
without the ORM (a raise, the lifecycle and deal-rating tasks, a catalogue rename) call
`search_changed()` themselves. Counters (views, phone reveals, favourites) show on no
search page and retire nothing.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.core import cache
from app.models import DealRating, Listing, Review, User

NAMESPACE = "search"
SHOWN_ROWS = (Listing, Review, DealRating)
# A user's columns that change search: banned sellers' cars leave it; the role makes a dealer.
SHOWN_USER_COLUMNS = ("banned_until", "role")


def search_changed() -> None:
    """Everything search shows may have changed: retire the namespace once this commits."""
    cache.invalidate(NAMESPACE)


def note_flush(session: Session, _context) -> None:
    """After a flush (new, dirty and deleted still hold what it wrote): retire search's
    values if any written row shows in search."""
    written = [(row, False) for row in (*session.new, *session.deleted)] + [(row, True) for row in session.dirty]
    if any(changes_search(session, row, dirty) for row, dirty in written):
        search_changed()


def changes_search(session: Session, row: object, dirty: bool = False) -> bool:
    if isinstance(row, SHOWN_ROWS):
        return not dirty or session.is_modified(row, include_collections=False)
    if isinstance(row, User) and dirty:
        state = inspect(row)
        return any(state.attrs[name].history.has_changes() for name in SHOWN_USER_COLUMNS)
    return False


def install() -> None:
    """Watch every session's flushes (once per process)."""
    if not event.contains(Session, "after_flush", note_flush):
        event.listen(Session, "after_flush", note_flush)
