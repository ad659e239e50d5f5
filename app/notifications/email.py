"""Sending email: to the log in development and tests, through SMTP in production.

Every mail is a job (app/core/jobs.py), queued when the transaction commits: no page
waits for SMTP, and with a queue a worker delivers it, trying again while the mail server
is unreachable or answers "try later" (4xx); a restart of the site or the worker loses
nothing. A refusal that would repeat (5xx: no such mailbox) is logged, not retried.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import Flask, current_app

from app.core.jobs import enqueue

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
    """Mail `to` once the transaction commits (the text is written now, in the caller's
    language). A route that only reads must still commit for the mail to leave."""
    enqueue(deliver_mail, to, subject, body)


def deliver_mail(to: str, subject: str, body: str) -> None:
    """The job: write the mail to the log (MAIL_TO_LOG or no MAIL_SERVER) or send it by
    SMTP. A temporary failure raises, so the queue tries again later."""
    app = current_app._get_current_object()
    message = build_message(app, to, subject, body)
    if app.config["MAIL_TO_LOG"] or not app.config["MAIL_SERVER"]:
        outbox.append(message)
        del outbox[:-100]
        log.info("mail to %s: %s\n%s", to, subject, body)
        return
    try:
        smtp_send(app, message)
    except smtplib.SMTPException as error:
        if not refused_for_good(error):
            raise
        log.error("mail to %s refused for good: %s", to, error)
        return
    log.info("mail to %s sent: %s", to, subject)


def smtp_send(app: Flask, message: EmailMessage) -> None:
    config = app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def refused_for_good(error: smtplib.SMTPException) -> bool:
    """A 5xx answer about this address or message: sending it again would be refused again."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return False


def mail_notification(to: str, kind: str, payload: dict, language: str | None = None) -> None:
    """The job for a notification the user opted to get by mail: written in their
    `language`, links made absolute with SITE_URL, then delivered."""
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
    deliver_mail(to, _("Garage: %(title)s", title=info["title"]), "\n".join(lines))
