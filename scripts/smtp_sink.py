"""A tiny SMTP server that keeps every mail it is given: for the jobs tests and
`make verify-deploy` (a real SMTP conversation, nothing leaves the machine).

    python scripts/smtp_sink.py --port 1025 [--dir DIR] [--refuse-first N]

Each accepted mail is printed ("mail to <rcpt>: <subject>" and its body) and, with --dir,
written there as <n>.eml. --refuse-first N answers the first N mails with "451 try again
later" (a temporary failure: the sender should retry). Plain SMTP only (no STARTTLS, no
AUTH). Standard library only, so it runs in the web image as it is.
"""

from __future__ import annotations

import argparse
import email
import itertools
import socketserver
import sys
import threading
from email import policy
from pathlib import Path

COUNTER = itertools.count(1)
LOCK = threading.Lock()


class Sink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, folder: Path | None, refuse_first: int):
        super().__init__(address, Session)
        self.folder = folder
        self.refusals_left = refuse_first

    def refuse(self) -> bool:
        """True for the first --refuse-first mails."""
        with LOCK:
            if self.refusals_left > 0:
                self.refusals_left -= 1
                return True
            return False

    def keep(self, recipients: list[str], data: bytes) -> None:
        message = email.message_from_bytes(data, policy=policy.default)
        number = next(COUNTER)
        if self.folder:
            (self.folder / f"{number}.eml").write_bytes(data)
        body = message.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        print(f"mail to {', '.join(recipients)}: {message['Subject']}\n{text}", flush=True)


class Session(socketserver.StreamRequestHandler):
    server: Sink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 garage smtp sink")
        recipients: list[str] = []
        for raw in self.rfile:
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 ok")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 ok")
            elif verb == "DATA":
                self.data(recipients)
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            elif verb in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")

    def data(self, recipients: list[str]) -> None:
        self.reply("354 end with <CRLF>.<CRLF>")
        lines = []
        for raw in self.rfile:
            if raw in (b".\r\n", b".\n"):
                break
            lines.append(raw[1:] if raw.startswith(b"..") else raw)
        if self.server.refuse():
            print(f"refused a mail to {', '.join(recipients)} (451)", flush=True)
            self.reply("451 try again later")
            return
        self.server.keep(recipients, b"".join(lines))
        self.reply("250 kept")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--refuse-first", type=int, default=0)
    args = parser.parse_args()
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    with Sink((args.host, args.port), args.dir, args.refuse_first) as server:
        print(f"smtp sink on {args.host}:{args.port}", flush=True)
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
