"""A store for the web tests, a real local OpenID Connect provider, and logins through it.

The store is the tests' world (tests/unit/governance_world.py): `p-<position>` holds
every position of Lerum's fixed chain, and a förskolechef (`p-chef-forskola`)
and a medarbetare (`p-m-anna`) are appointed under lärande. A budget uppdrag is
broken down from KF to the förskolechef, who has it to accept; two avvikelser
lie at the kommundirektör's level, not yet acknowledged; the kommundirektör has
a delegated decision not yet reported to KS.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import httpx
from unit.governance_world import STAFFED_FROM, appoint, governance, send

from lerum_flow.integrity import checkpoint_file, open_stores, seal, signing
from lerum_flow.log_pages import head
from lerum_flow.municipal_time import municipal_today
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.schema import migrate
from lerum_flow.settings import Settings
from lerum_flow.web.config import OidcSettings

CHEF = "chef-forskola"
MEDARBETARE = "m-anna"
SYSTEM_CLIENT = "system-diarium"
DAY = municipal_today() - timedelta(days=30)


@dataclass(frozen=True)
class WebWorld:
    settings: Settings
    uppdrag_to_chef: UUID
    uppdrag_to_larande: UUID
    avvikelse: UUID
    # KS's delegationsordning and its delegation of upphandling to the kommundirektör.
    ordning: UUID
    delegering: UUID


def build_world(data_dir: Path) -> WebWorld:
    settings = Settings(data_dir=data_dir)
    migrate(settings)  # as `db migrate` makes a store before the web serves it
    app = governance(settings.eventsourcing_env("governance"))
    try:
        send(app, "establish_befattning", "larande", code=CHEF, name="Förskolechef", kind="chef",
             parent="larande", established_on=STAFFED_FROM)  # fmt: skip
        appoint(app, CHEF)
        send(app, "establish_befattning", CHEF, code=MEDARBETARE, name="Förskollärare", kind="medarbetare",
             parent=CHEF, established_on=STAFFED_FROM)  # fmt: skip
        appoint(app, MEDARBETARE, held=(CHEF,))
        budget = send(app, "take_beslut", "kf", decided_by="kf", kind="budget", diarienummer="KF 2026/10",
                      paragraf="§ 55", title="Budget", decided_on=DAY).id  # fmt: skip
        chain = [("kf", "ks"), ("ks", "kommundirektor"), ("kommundirektor", "larande"), ("larande", CHEF)]
        parent: UUID | None = None
        ids: list[UUID] = []
        for giver, recipient in chain:
            origin = {"parent_id": parent} if parent else {"origin_beslut_id": budget}
            parent = send(app, "issue_uppdrag", giver, recipient=recipient, title=f"Budget för {recipient}",
                          issued_on=DAY, due=DAY + timedelta(days=300), **origin).id  # fmt: skip
            ids.append(parent)
            if recipient != CHEF:
                send(app, "accept_uppdrag", recipient, uppdrag_id=parent, on=DAY)
        avvikelse = send(app, "report_avvikelse", "larande", subject_kind="budgetomrade",
                         subject_ref="forskola", severity="avvikelse", category="ekonomi",
                         description="Underskott i förskolan.", occurred_on=DAY).id  # fmt: skip
        ordning = send(app, "take_beslut", "ks", decided_by="ks", kind="delegationsordning",
                       diarienummer="KS 2026/200", paragraf="§ 120", title="Delegationsordning",
                       decided_on=DAY).id  # fmt: skip
        delegering = send(app, "grant_delegering", "ks", delegates=["kommundirektor"], matter="upphandling",
                          beslut_id=ordning, valid_from=DAY).id  # fmt: skip
        send(app, "take_beslut", "kommundirektor", decided_by="kommundirektor", kind="delegationsordning",
             diarienummer="KS 2026/3", title="Vidaredelegation av upphandling", decided_on=DAY,
             delegering_id=delegering)  # fmt: skip
        send(app, "report_avvikelse", "larande", subject_kind="budgetomrade", subject_ref="skola",
             severity="avvikelse", category="ekonomi", description="Underskott i skolan.",
             occurred_on=DAY)  # fmt: skip
    finally:
        app.close()
    return WebWorld(settings, ids[-1], ids[-2], avvikelse, ordning, delegering)


def report_as(world: WebWorld, position: str, uppdrag: UUID) -> None:
    """The recipient `position` reports on `uppdrag` (today, assessment delvis), through Governance."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        send(app, "report_uppdrag", position, uppdrag_id=uppdrag, assessment="delvis", text="Halvvägs.",
             on=municipal_today())  # fmt: skip
    finally:
        app.close()


def report_accepted(world: WebWorld, uppdrag: UUID, giver: str, recipient: str) -> None:
    """The recipient reports on `uppdrag` and the giver accepts the report (today), through Governance."""
    report_as(world, recipient, uppdrag)
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        send(app, "accept_report", giver, uppdrag_id=uppdrag, on=municipal_today())
    finally:
        app.close()


def issue_parts(world: WebWorld, parent: UUID, giver: str, recipient: str, titles: list[str]) -> None:
    """`giver` breaks `parent` down into parts to `recipient` with these titles, through Governance."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        for title in titles:
            send(
                app, "issue_uppdrag", giver, recipient=recipient, title=title, issued_on=DAY, parent_id=parent
            )
    finally:
        app.close()


def acknowledge_as(world: WebWorld, position: str, avvikelse: UUID) -> None:
    """The level `position` acknowledges the deviation (today), through Governance."""
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        send(app, "acknowledge_avvikelse", position, avvikelse_id=avvikelse, on=municipal_today())
    finally:
        app.close()


def person(position: str) -> str:
    return f"p-{position}"


def access_token(oidc: OidcSettings, subject: str) -> str:
    """An access token for `subject`, got through the provider's authorization code flow."""
    redirect = "http://localhost/klient"
    with httpx.Client(base_url=oidc.issuer) as client:
        query = {
            "response_type": "code",
            "client_id": "testklient",
            "redirect_uri": redirect,
            "scope": "openid",
        }
        answer = client.post("/oauth2/authorize", params=query, data={"sub": subject})
        code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
        token = client.post(
            "/oauth2/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
            auth=("testklient", "hemlighet"),
        )
        token.raise_for_status()
        return str(token.json()["access_token"])


def browser_login(client: httpx.Client, subject: str) -> None:
    """Log `client` (a TestClient of the app) in through the provider, as a browser would."""
    start = client.get("/logga-in", follow_redirects=False)
    assert start.status_code in (302, 303, 307), start.text
    answer = httpx.post(start.headers["location"], data={"sub": subject})
    back = urlsplit(answer.headers["location"])
    done = client.get(f"{back.path}?{back.query}", follow_redirects=False)
    assert done.status_code == 303, done.text


def page_csrf(client: httpx.Client, path: str = "/att-gora") -> str:
    """The CSRF token a logged-in page at `path` puts in its forms."""
    page = client.get(path).text
    return page.split('name="csrf" value="')[1].split('"')[0]


# A session cookie per subject: the session is signed with the tests' one secret, so a browser that
# logged in once is logged in to every app of the run, as a real browser stays logged in.
_SESSIONS: dict[str, dict[str, str]] = {}


def logged_in(client: httpx.Client, subject: str) -> None:
    """Give `client` the session of `subject`, logging in through the provider the first time."""
    client.cookies.clear()
    if subject not in _SESSIONS:
        browser_login(client, subject)
        _SESSIONS[subject] = dict(client.cookies)
    client.cookies.update(_SESSIONS[subject])


def event_count(world: WebWorld) -> int:
    """How many events the store holds: a refusal must leave it as it was."""
    log = GovernanceLog(world.settings.eventsourcing_env("governance"))
    try:
        return head(log.recorder)
    finally:
        log.close()


@dataclass(frozen=True)
class AuditorsFiles:
    """What the auditors keep outside the database after a seal: the checkpoint file and their key."""

    checkpoints: Path
    public_key: Path


def sealed_with_auditors_files(world: WebWorld, directory: Path) -> AuditorsFiles:
    """Seal the world's store with a new auditors' key and export the checkpoint file, as `audit keygen`,
    `audit seal --nyckel` and `audit checkpoint export` do."""
    files = AuditorsFiles(directory / "kontrollpunkter.json", directory / "revisorer.pub")
    private = directory / "revisorer.key"
    public = signing.generate(private, files.public_key)
    app = governance(world.settings.eventsourcing_env("governance"), staffed=False)
    try:
        stores = open_stores(app, world.settings)
        seal(*stores, now=datetime.now(UTC), key=signing.read_private(private))
        with stores[1].reading() as sealed:
            checkpoints = sealed.checkpoints()
            signatures = {n: s.signature for n, s in sealed.checkpoint_signatures().items()}
        checkpoint_file.write(
            files.checkpoints,
            checkpoints,
            exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
            store="webbtest",
            public_key=signing.public_hex(public),
            signatures=signatures,
        )
    finally:
        app.close()
    return files


def empty_checkpoint_file(_: WebWorld) -> dict[str, tuple[str, bytes, str]]:
    """The auditors' checkpoint file, as an upload, of a store not sealed yet: no checkpoints, hash whole."""
    content = json.dumps(checkpoint_file.document([], exported_at="2026-12-01T12:00:00+00:00", store="tom"))
    return {"kontrollpunkter": ("kontrollpunkter.json", content.encode(), "application/json")}
