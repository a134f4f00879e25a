"""The web pages on a bench-sized store: p50/p99 of Att göra, the avvikelse board, the uppdrag tree (its
first page, its last page of top uppdrag, the branch with the most parts) and the revision page as of
a day (the open uppdrag, a later page of the decisions) and the årshjul API's steps of a budget year as
of a day, each through HTTP (the app in-process, logged
in through the local OpenID Connect provider as a person holding a position), beside the query that
answers it, timed in the same run: the ratio is what the page (routing, session, template) adds."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit
from uuid import UUID

import httpx

from lerum_flow.bench.bench_read import first_and_last_day
from lerum_flow.bench.report import Figure, Goal, GoalKind, latency_figures
from lerum_flow.bench.stores import open_governance
from lerum_flow.bench.timing import stopwatch
from lerum_flow.projections.asof_pages import AS_OF_PAGE, RecordKind
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.projections.uppdrag_tree_pages import TOP_PAGE, UppdragLink, tree_page
from lerum_flow.settings import Settings
from lerum_flow.web.api_avvikelse import read_board
from lerum_flow.web.pages import BOARD_PAGE
from lerum_flow.web.reads import Moment, read_inbox, today
from lerum_flow.web.reads_arshjul import read_year
from lerum_flow.web.reads_audit import register_at
from lerum_flow.web.record import WebRecord

PAGE_GOAL = Goal(GoalKind.REPORT_ONLY, text="rapporteras")


def web_pages(settings: Settings, *, label: str, samples: int, seed: int) -> list[Figure]:
    from fastapi.testclient import TestClient

    from lerum_flow.web.app import create_app
    from lerum_flow.web.config import WebConfig
    from lerum_flow.web.server import local_provider

    person, positions = _someone_with_work(settings)
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    try:
        first, last = first_and_last_day(log)
    finally:
        log.close()
    rng = random.Random(seed)  # noqa: S311 - reproducible samples, not secrets
    days = [first + timedelta(days=rng.randint(0, (last - first).days)) for _ in range(samples)]
    with local_provider() as oidc:
        config = WebConfig(settings=settings, oidc=oidc, session_secret="bench")  # noqa: S106 - a bench's own
        with TestClient(create_app(config), base_url="https://bench") as client:
            _log_in(client, person)
            record: WebRecord = client.app.state.record  # type: ignore[attr-defined]
            now = Moment(today())
            shape = _tree_shape(record)
            # (id, label as the report shows it, path, the same read without HTTP)
            pages: list[tuple[str, str, Callable[[int], str], Callable[[int], object]]] = [
                (
                    "inbox",
                    "Webbsidan Att göra",
                    lambda i: "/att-gora",
                    lambda i: read_inbox(record, positions, now),
                ),
                (
                    "board",
                    "Webbsidan avvikelsetavlan",
                    lambda i: "/avvikelser",
                    lambda i: read_board(record, now, "", BOARD_PAGE, 0),
                ),
                (
                    "tree",
                    "Webbsidan uppdragsträdet, första sidan",
                    lambda i: "/uppdragstrad",
                    lambda i: _tree(record),
                ),
                (
                    "tree_later",
                    "Webbsidan uppdragsträdet, sista sidan överst",
                    lambda i: f"/uppdragstrad?fran={shape.last_top_page}",
                    lambda i: _tree(record, offset=shape.last_top_page),
                ),
                (
                    "tree_branch",
                    "Webbsidan uppdragsträdet, grenen med flest deluppdrag",
                    lambda i: f"/uppdragstrad?under={shape.busiest}",
                    lambda i: _tree(record, under=shape.busiest),
                ),
                (
                    "asof",
                    "Webbsidan revisionen en slumpad dag, pågående uppdrag",
                    lambda i: f"/revision?as_of={days[i].isoformat()}",
                    lambda i: register_at(record, Moment(days[i]), RecordKind.UPPDRAG),
                ),
                (
                    "asof_beslut",
                    "Webbsidan revisionen en slumpad dag, beslut sida 3",
                    lambda i: f"/revision?as_of={days[i].isoformat()}&slag=beslut&fran={2 * AS_OF_PAGE}",
                    lambda i: register_at(record, Moment(days[i]), RecordKind.BESLUT, 2 * AS_OF_PAGE),
                ),
                (
                    "arshjul_api",
                    "API:t för årshjulet, ett budgetårs steg en slumpad dag",
                    lambda i: f"/api/v1/arshjul/{days[i].year}?as_of={days[i].isoformat()}",
                    lambda i: read_year(record, days[i].year, Moment(days[i])),
                ),
            ]
            figures: list[Figure] = []
            for ident, name, path, query in pages:
                client.get(path(0))  # the first answer warms the views and the templates
                times, raw = [], []
                for i in range(samples):
                    with stopwatch() as elapsed:
                        answer = client.get(path(i))
                    answer.raise_for_status()
                    times.append(elapsed.wall)
                    with stopwatch() as read:
                        query(i)
                    raw.append(read.wall)
                figures += latency_figures(
                    f"web_{ident}_{label}",
                    f"{name}, p{{q}} ({label})",
                    times,
                    raw,
                    "samma fråga utan HTTP och mall",
                    goals={99: PAGE_GOAL},
                    details={"sidor": samples, "person": person, "befattningar": positions},
                )
    return figures


@dataclass(frozen=True)
class TreeShape:
    last_top_page: int  # where the last page of top uppdrag starts
    busiest: UUID | None  # the uppdrag broken down into the most parts


def _tree_shape(record: WebRecord) -> TreeShape:
    with record.views() as store:
        links = store.views.uppdrag.query(UppdragLink, {})
    parts = Counter(link.parent_id for link in links)
    tops = parts.pop(None, 0)
    return TreeShape(max(0, (tops - 1) // TOP_PAGE * TOP_PAGE), parts.most_common(1)[0][0] if parts else None)


def _tree(record: WebRecord, *, under: UUID | None = None, offset: int = 0) -> object:
    with record.views() as store:
        return tree_page(store.views, under=under, offset=offset)


def _someone_with_work(settings: Settings) -> tuple[str, list[str]]:
    """A person holding, today, the position most uppdrag are given to (their inbox is the fullest)."""
    from lerum_flow.projections.store import ViewStore

    views = ViewStore.open(settings)
    try:
        views.projector().catch_up()
        counts: dict[str, int] = {}
        for row in views.views.uppdrag.select(UppdragRow):
            counts[row.recipient] = counts.get(row.recipient, 0) + 1
    finally:
        views.close()
    app = open_governance(settings)
    try:
        for position in sorted(counts, key=lambda p: -counts[p]):
            held = app.holders(position, today())
            if held:
                person = held[0].person
                return person, [h.position for h in app.held_by(person, today())]
    finally:
        app.close()
    raise RuntimeError("Ingen i lagret innehar i dag en befattning som har uppdrag.")


def _log_in(client: httpx.Client, person: str) -> None:
    """Through the local provider, as a browser does."""
    start = client.get("/logga-in", follow_redirects=False)
    answer = httpx.post(start.headers["location"], data={"sub": person})
    back = urlsplit(answer.headers["location"])
    client.get(f"{back.path}?{back.query}", follow_redirects=False)
    if "lerum_flow_session" not in client.cookies:
        raise RuntimeError(f"Inloggningen som {person} misslyckades.")
