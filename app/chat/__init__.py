"""Buyer–seller chat: conversation pages and Socket.IO handlers."""

from flask import Blueprint

bp = Blueprint("chat", __name__, url_prefix="/chat")

from app.chat import events, routes  # noqa: E402,F401
