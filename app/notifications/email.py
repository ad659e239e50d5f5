"""Sending email: to the log in development and tests, through SMTP in production.

SMTP runs in a background thread (a greenlet under gevent), so no page waits for it.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import Flask, current_app

log = logging.getLogger("garage.mail")
# Tests read what would have been sent from here.
outbox: list[EmailMessage] = []


def site_url_for(endpoint: str, **values) -> str:
    """An absolute link for a mail: the configured SITE_URL plus the route's path.

    Never built from the request (its Host or X-Forwarded-Host), so a forged header cannot
    put another site's address into a reset or confirmation mail. Works outside a request.
    """
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)


def site_url(path: str) -> str:
    """SITE_URL + a site-relative path such as a notification's `url`."""
    return current_app.config["SITE_URL"].rstrip("/") + "/" + path.lstrip("/")


def build_message(app: Flask, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_email(to: str, subject: str, body: str) -> None:
    app = current_app._get_current_object()
    message = build_message(app, to, subject, body)
    if app.config["MAIL_TO_LOG"] or not app.config["MAIL_SERVER"]:
        outbox.append(message)
        del outbox[:-100]
        log.info("mail to %s: %s\n%s", to, subject, body)
        return
    threading.Thread(target=deliver, args=(app, message), daemon=True).start()


def deliver(app: Flask, message: EmailMessage) -> None:
    config = app.config
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("could not send mail to %s", message["To"])


def send_notification_email(to: str, kind: str, payload: dict, language: str | None = None) -> None:
    """Mail a notification the user opted into, in their `language`; links are made absolute
    with SITE_URL."""
    from app.i18n.locale import recipient_language

    with recipient_language(language):
        send_described(to, kind, payload)


def send_described(to: str, kind: str, payload: dict) -> None:
    from flask_babel import gettext as _

    from app.notifications.services import describe

    info = describe(kind, payload)
    lines = [info["title"] or ""]
    if info["text"]:
        lines += ["", info["text"]]
    if info["url"]:
        lines += ["", site_url(info["url"])]
    lines += ["", _("You get these emails because you asked for them in your notification settings.")]
    send_email(to, _("Garage: %(title)s", title=info["title"]), "\n".join(lines))
