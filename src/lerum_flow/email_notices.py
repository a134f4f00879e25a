"""Notices by e-mail: one message per notice key to the mailboxes of the position, linking to the web.

Delivery is at least once, made once in practice. Before sending, the notice's
key is claimed in a durable ledger (`notice_ledger`); after the SMTP server
has accepted the message, the key is recorded as sent. An activity retried
after that (a worker killed after sending, a timeout) finds it sent and sends
nothing. Only a crash in the short window between the server's acceptance and
the record sends it again. We chose that over at most once (record first,
then send), which would lose the notice for good when the send fails after
the record: a person who never hears of a deadline is worse off than one who
hears twice. A resend carries the same Message-ID, which lets mail systems
that deduplicate drop it.
"""

from __future__ import annotations

import smtplib
import ssl
import tomllib
import uuid
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from lerum_flow.domain.errors import InvalidInput
from lerum_flow.logs import get_logger
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.notice_ledger import NoticeLedger
from lerum_flow.notifications import LoggingNotifier, Notice, NoticeKind
from lerum_flow.process_settings import MailSettings
from lerum_flow.settings import Settings

MESSAGE_ID_NAMESPACE = uuid.UUID("6f1b3c1e-8f1a-4f57-9d53-2b8f0e0c1a41")


def read_addresses(path: Path) -> dict[str, list[str]]:
    """The mailboxes of each position, from a TOML file: `[adresser]` with `position = "a@b"` or a list."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(
            f"Adressfilen {path} kan inte läsas: {error}",
            field="LERUM_FLOW_NOTICE_ADDRESSES",
            rule="adressfil",
        ) from None
    table = data.get("adresser")
    if not isinstance(table, dict):
        raise InvalidInput(
            f'Adressfilen {path} saknar tabellen [adresser] (position = "adress").',
            field="LERUM_FLOW_NOTICE_ADDRESSES",
            rule="adressfil",
        )
    book: dict[str, list[str]] = {}
    for position, value in table.items():
        addresses = [value] if isinstance(value, str) else value
        if not isinstance(addresses, list) or not addresses or not all(isinstance(a, str) for a in addresses):
            raise InvalidInput(
                f"Adressfilen {path}: '{position}' ska ha en adress eller en lista av adresser.",
                field="LERUM_FLOW_NOTICE_ADDRESSES",
                rule="adressfil",
            )
        for address in addresses:
            _check_address(address, path, position)
        book[position] = list(addresses)
    return book


def _check_address(address: str, path: Path, position: str) -> None:
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError):
        parsed = None
    if parsed is None or not parsed.domain or not parsed.username:
        raise InvalidInput(
            f"Adressfilen {path}: '{address}' för '{position}' är ingen e-postadress.",
            field="LERUM_FLOW_NOTICE_ADDRESSES",
            rule="adressfil",
        )


def notice_link(web_url: str, notice: Notice) -> str:
    """Where in the web application the recipient acts on the notice: the deviations' board for a
    deviation, else the person's own list of what waits (a reminder's record may be an uppdrag, a
    styrdokument or an internal control, which that list shows alike)."""
    if notice.kind is NoticeKind.PAMINNELSE:
        return f"{web_url}/att-gora"
    return f"{web_url}/avvikelser"


def message_of(notice: Notice, *, sender: str, to: list[str], web_url: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = notice.subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    domain = sender.rpartition("@")[2]
    message["Message-ID"] = f"<{uuid.uuid5(MESSAGE_ID_NAMESPACE, notice.key)}@{domain}>"
    lines = [notice.text, ""]
    if notice.due is not None:
        lines.append(f"Senast: {notice.due.astimezone(MUNICIPAL_TIME):%Y-%m-%d %H:%M}")
    lines += [
        f"Öppna: {notice_link(web_url, notice)}",
        "",
        "Det här meddelandet skickades av kommunens styrsystem (lerum-flow) och kan inte besvaras.",
    ]
    message.set_content("\n".join(lines))
    if notice.due is not None:
        message["X-Lerum-Flow-Senast"] = format_datetime(notice.due)
    return message


class EmailNotifier:
    """Sends each notice by SMTP to its position's mailboxes, once per key (see the module's note)."""

    def __init__(self, mail: MailSettings, ledger: NoticeLedger, addresses: dict[str, list[str]]) -> None:
        self.mail = mail
        self.ledger = ledger
        self.addresses = addresses
        self._log = get_logger("lerum_flow.notiser")
        self._fallback = LoggingNotifier()

    def notify(self, notice: Notice) -> None:
        to = self.addresses.get(notice.recipient)
        if not to:
            # A warning, so a missing mailbox is found: never dropped silently.
            self._log.warning("notis_utan_adress", recipient=notice.recipient, key=notice.key)
            self._fallback.notify(notice)
            return
        if not self.ledger.claim(notice.key, notice.recipient):
            self._log.info("notis_redan_skickad", key=notice.key)
            return
        self._send(message_of(notice, sender=self.mail.sender, to=to, web_url=self.mail.web_url))
        self.ledger.mark_sent(notice.key)
        self._log.info("notis_skickad", recipient=notice.recipient, key=notice.key, kind=str(notice.kind))

    def _send(self, message: EmailMessage) -> None:
        """Raises on failure (smtplib.SMTPException, OSError): the activity fails and is retried."""
        mail = self.mail
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if mail.security == "tls":
            smtp = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout_seconds)
        with smtp:
            if mail.security == "starttls":
                smtp.starttls(context=context)
            if mail.user:
                smtp.login(mail.user, mail.password)
            smtp.send_message(message)


def email_notifier(mail: MailSettings, settings: Settings) -> EmailNotifier:
    """The channel for a worker: settings checked, the address file read (refused in words if wrong)."""
    return EmailNotifier(mail, NoticeLedger(settings), read_addresses(mail.addresses_path))
