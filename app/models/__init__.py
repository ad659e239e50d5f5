"""All models, imported here so Alembic and `db.create_all` see every table (the audit log's
table is app/core/audit.py, imported with the core)."""

from app.models.catalog import Brand, CarModel, City, Generation, Region  # noqa: F401
from app.models.chat import Conversation, Message, ResponseTime, UserBlock  # noqa: F401
from app.models.forum import ForumCategory, Post, Topic  # noqa: F401
from app.models.listing import (  # noqa: F401
    DealRating,
    Favorite,
    Listing,
    ListingPhoto,
    ListingPromotion,
    ListingView,
    PhoneReveal,
    PriceChange,
    Review,
    SavedSearch,
)
from app.models.moderation import REPORT_REASONS, Page, Report  # noqa: F401
from app.models.notification import Notification, NotificationSetting  # noqa: F401
from app.models.payment import Order, OrderLine, PromoCode, PromoRedemption  # noqa: F401
from app.models.submission import FormSubmission  # noqa: F401
from app.models.support import TICKET_STATUSES, SupportMessage, SupportTicket  # noqa: F401
from app.models.user import DealerProfile, User  # noqa: F401

# The largest id an Integer primary key holds on PostgreSQL; larger numbers from URLs or
# payloads are "not found", never sent to the database.
MAX_ID = 2**31 - 1
