"""A real SMTP server on a free local port (aiosmtpd) that keeps what it accepts, for the e-mail tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from lerum_flow.local_ports import free_local_port


class Mailbox:
    """Keeps every message the server accepts, or refuses them while `refusing` is set."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refusing = False

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.refusing:
            return "451 Försök igen senare"
        self.messages.append(message_from_bytes(envelope.original_content or b""))
        return "250 OK"


@contextmanager
def local_smtp() -> Iterator[tuple[Mailbox, int]]:
    """The mailbox and the port its server listens on, for the time of the block."""
    port = free_local_port()
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()
