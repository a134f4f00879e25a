"""Notices by e-mail against a real local SMTP server (aiosmtpd): delivered with a link, once per key."""

from __future__ import annotations

import asyncio
import smtplib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from integration.smtp_server import Mailbox, local_smtp
from temporal.escalation_world import CHEF, MEDARBETARE, establish_unit, report
from temporalio.testing import ActivityEnvironment

from lerum_flow.application import Governance
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.email_notices import EmailNotifier, read_addresses
from lerum_flow.municipal_time import municipal_today
from lerum_flow.notice_ledger import NoticeLedger
from lerum_flow.notifications import Notice, NoticeKind
from lerum_flow.process_settings import MailSettings
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell
from lerum_flow.workflows.eskalering.activities import EskaleringActivities
from lerum_flow.workflows.eskalering.models import FollowInput, MissInput

WEB = "https://styrning.lerum.se"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with local_smtp() as served:
        yield served


@pytest.fixture
def addresses(tmp_path: Path) -> Path:
    path = tmp_path / "adresser.toml"
    path.write_text(
        f'[adresser]\n"{CHEF}" = "enhetschef@lerum.se"\nlarande = ["sektor@lerum.se", "stab@lerum.se"]\n',
        encoding="utf-8",
    )
    return path


def mail_settings(port: int, addresses: Path) -> MailSettings:
    return MailSettings(
        host="127.0.0.1",
        port=port,
        security="ingen",
        sender="styrning@lerum.se",
        web_url=WEB,
        addresses_path=addresses,
    )


def notifier(settings: Settings, port: int, addresses: Path) -> EmailNotifier:
    return EmailNotifier(mail_settings(port, addresses), NoticeLedger(settings), read_addresses(addresses))


def notice(key: str = "eskalering-1/kvittera/1", recipient: str = CHEF) -> Notice:
    return Notice(
        kind=NoticeKind.KVITTERA,
        recipient=recipient,
        subject="Avvikelse att kvittera senast 2027-03-02 16:00",
        text="En avvikelse ligger hos enhetschefen. Kvittera den.",
        ref=str(uuid.uuid4()),
        workflow_id="eskalering-1",
        due=datetime(2027, 3, 2, 15, 0, tzinfo=UTC),
        key=key,
    )


def test_a_notice_reaches_the_positions_mailbox_with_a_link_to_the_web_application(
    tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """The mail goes to the position's address with the subject, the deadline in Swedish time and
    a link into the web application."""
    box, port = mailbox
    notifier(Settings(data_dir=tmp_path), port, addresses).notify(notice())
    (mail,) = box.messages
    assert mail["To"] == "enhetschef@lerum.se"
    assert mail["From"] == "styrning@lerum.se"
    assert mail["Subject"] == "Avvikelse att kvittera senast 2027-03-02 16:00"
    payload = mail.get_payload(decode=True)
    assert isinstance(payload, bytes)
    body = payload.decode()
    assert f"{WEB}/avvikelser" in body
    assert "Senast: 2027-03-02 16:00" in body


def test_a_notice_sent_again_under_its_key_is_not_mailed_twice(
    database_url: str, tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """A retried activity sends the same notice again: the ledger (SQLite or PostgreSQL) keeps the
    second from going out, also from a new notifier (a restarted worker)."""
    box, port = mailbox
    settings = Settings(data_dir=tmp_path, database_url=database_url)
    notifier(settings, port, addresses).notify(notice())
    notifier(settings, port, addresses).notify(notice())
    notifier(settings, port, addresses).notify(notice(key="eskalering-1/kvittera/2"))
    assert len(box.messages) == 2
    assert NoticeLedger(settings).state("eskalering-1/kvittera/1") == ("skickad", 1)


def test_a_notice_the_server_refused_is_sent_on_the_retry(
    tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """The server says try later: the step fails (Temporal retries it), and the retry sends it once."""
    box, port = mailbox
    channel = notifier(Settings(data_dir=tmp_path), port, addresses)
    box.refusing = True
    with pytest.raises(smtplib.SMTPDataError, match="451"):
        channel.notify(notice())
    box.refusing = False
    channel.notify(notice())
    channel.notify(notice())
    assert len(box.messages) == 1
    assert NoticeLedger(Settings(data_dir=tmp_path)).state("eskalering-1/kvittera/1") == ("skickad", 2)


def test_a_notice_claimed_by_an_attempt_that_died_before_recording_it_is_sent_again(
    tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """At least once: a worker killed between claiming and recording the send leaves the notice to
    the retry, which sends it (with the same Message-ID), rather than losing it."""
    box, port = mailbox
    settings = Settings(data_dir=tmp_path)
    assert NoticeLedger(settings).claim("eskalering-1/kvittera/1", CHEF)  # the attempt that died
    notifier(settings, port, addresses).notify(notice())
    assert len(box.messages) == 1


def test_a_position_without_a_mailbox_is_logged_not_lost(
    tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """No address for the position: nothing is mailed and nothing is claimed, so a mailbox added
    later gets the notice of a retried step."""
    box, port = mailbox
    settings = Settings(data_dir=tmp_path)
    notifier(settings, port, addresses).notify(notice(recipient="kf"))
    assert box.messages == []
    assert NoticeLedger(settings).state("eskalering-1/kvittera/1") is None


def test_the_escalations_step_retried_mails_each_notice_once(
    tmp_path: Path, mailbox: tuple[Mailbox, int], addresses: Path
) -> None:
    """The escalation's missed-deadline step run twice (a worker died after it sent): the next
    level's mailboxes get one mail each, where the log channel saw the notice twice."""
    box, port = mailbox
    settings = Settings(data_dir=tmp_path)
    governance = Governance(default_styrmodell(), env=settings.eventsourcing_env())
    try:
        establish_unit(governance, municipal_today())
        avvikelse_id = report(governance, MEDARBETARE)
        activities = EskaleringActivities(governance, notifier=notifier(settings, port, addresses))
        env = ActivityEnvironment()
        workflow_id = f"eskalering-{avvikelse_id}"
        lage = asyncio.run(
            env.run(activities.follow, FollowInput(avvikelse_id=avvikelse_id, workflow_id=workflow_id))
        )
        assert lage.deadline is not None
        miss = MissInput(
            avvikelse_id=avvikelse_id,
            workflow_id=workflow_id,
            level=lage.level,
            visit=lage.visit,
            deadline=lage.deadline,
            notified_visit=lage.notified_visit,
        )
        asyncio.run(env.run(activities.record_missed_deadline, miss))
        asyncio.run(env.run(activities.record_missed_deadline, miss))
    finally:
        governance.close()
    recipients = [m["To"] for m in box.messages]
    assert recipients == ["enhetschef@lerum.se", "sektor@lerum.se, stab@lerum.se"]


@pytest.mark.parametrize(
    ("environ", "field"),
    [
        ({"LERUM_FLOW_SMTP_FROM": ""}, "LERUM_FLOW_SMTP_FROM"),
        ({"LERUM_FLOW_WEB_URL": "styrning.lerum.se"}, "LERUM_FLOW_WEB_URL"),
        ({"LERUM_FLOW_NOTICE_ADDRESSES": "/finns/inte.toml"}, "LERUM_FLOW_NOTICE_ADDRESSES"),
        ({"LERUM_FLOW_SMTP_SECURITY": "kanske"}, "LERUM_FLOW_SMTP_SECURITY"),
        ({"LERUM_FLOW_SMTP_USER": "styrning"}, "LERUM_FLOW_SMTP_PASSWORD"),
        ({"LERUM_FLOW_SMTP_PORT": "tjugofem"}, "LERUM_FLOW_SMTP_PORT"),
    ],
)
def test_mail_settings_that_cannot_work_are_refused_in_words(
    addresses: Path, environ: dict[str, str], field: str
) -> None:
    """Each missing or wrong setting is refused naming its variable, before any worker starts."""
    complete = {
        "LERUM_FLOW_SMTP_HOST": "smtp.lerum.se",
        "LERUM_FLOW_SMTP_FROM": "styrning@lerum.se",
        "LERUM_FLOW_WEB_URL": WEB,
        "LERUM_FLOW_NOTICE_ADDRESSES": str(addresses),
    }
    assert MailSettings.from_environ(complete) is not None
    with pytest.raises(InvalidInput) as refused:
        MailSettings.from_environ(complete | environ)
    assert refused.value.field == field


def test_no_smtp_host_means_notices_stay_in_the_log() -> None:
    """Without LERUM_FLOW_SMTP_HOST there is no e-mail channel (the laptop default)."""
    assert MailSettings.from_environ({}) is None


@pytest.mark.parametrize(
    "content",
    [
        "adresser = 1\n",
        '[adresser]\nks = "inte-en-adress"\n',
        "[adresser]\nks = []\n",
        "[adresser\n",
    ],
)
def test_an_address_file_that_cannot_be_used_is_refused(tmp_path: Path, content: str) -> None:
    """A file without the table, with a non-address, an empty list or bad TOML is refused in words."""
    path = tmp_path / "adresser.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match="Adressfilen"):
        read_addresses(path)
