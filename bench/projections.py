"""Benchmark of the read side: rebuild and as-of against a plain read of the same log.

    python bench/projections.py                         # 50k and 350k events on SQLite
    python bench/projections.py --events 50000 --postgres

For each size it generates a history through the real application (domain
commands on real aggregates, saved in batches), then measures:

  (a) a plain sequential read of the log: raw `select_notifications` pages
      (10, 100, 1000 per page) and decoding every event with the mapper;
  (b) a full rebuild of all views;
  (c) as-of replays: one mandate (an uppdrag and its chain) and the whole
      municipality;

and prints events per second and each rate as a ratio of the raw read.

`generate_history` is also what the projection tests use to make a log.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from lerum_flow.application import Governance
from lerum_flow.domain.aggregate import GovernanceAggregate, Stamp
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.beslut import Beslut
from lerum_flow.domain.delegering import Delegering
from lerum_flow.domain.uppdrag import Uppdrag
from lerum_flow.domain.values import Actor, derive_id
from lerum_flow.projections.asof import AsOf, replay, replay_records
from lerum_flow.projections.log import GovernanceLog
from lerum_flow.projections.store import ViewStore
from lerum_flow.projections.uppdrag import UppdragRow
from lerum_flow.settings import Settings
from lerum_flow.styrmodell import default_styrmodell

SECTORS = ("larande", "samhallsbyggnad", "vard-och-omsorg", "individ-och-familjeomsorg", "internt-stod")
SCALE = ("uppfyllt", "delvis", "ej_uppfyllt")
BATCH = 100  # aggregates per save: one transaction
CHEFS_PER_UPPDRAG = (8, 24)


class _Clock:
    """Recorded time that moves forward a little with every command."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def tick(self) -> datetime:
        self.now += timedelta(minutes=7)
        return self.now


@dataclass
class _History:
    rng: random.Random
    clock: _Clock
    seed: int
    serial: int = 0

    def stamp(self, position: str, on: date) -> Stamp:
        self.serial += 1
        return Stamp(
            command_id=derive_id("bench-kommando", str(self.seed), str(self.serial)),
            actor=Actor(position=position, person=f"p-{position}"),
            recorded_at=self.clock.tick(),
            effective_on=on,
        )

    def new_id(self, kind: str) -> UUID:
        self.serial += 1
        return derive_id("bench", str(self.seed), kind, str(self.serial))


def generate_history(app: Governance, events: int, *, seed: int = 1441) -> int:
    """Record about `events` events of a plausible municipality; returns how many were recorded.

    Histories with different seeds have different ids, so they can be added to one store.

    Every year: KF's budget and its uppdrag down the chain to every sector,
    reported, reviewed and completed (some returned, revised or withdrawn);
    KS's delegationsordning with delegations and vidaredelegationer, delegated
    decisions (most reported, some corrected, some delegations revoked); and
    deviations escalated and closed.
    """
    rng = random.Random(seed)  # noqa: S311  # reproducible test data, not secrets
    history = _History(rng, _Clock(datetime(2026, 1, 5, 8, tzinfo=UTC)), seed)
    recorded = 0
    pending: list[GovernanceAggregate] = []
    year = 2026
    while recorded < events:
        for aggregate in _year(history, year):
            pending.append(aggregate)
            if len(pending) >= BATCH:
                recorded += _save(app, pending)
            if recorded >= events:
                break
        year += 1
    return recorded + _save(app, pending)


def _save(app: Governance, pending: list[GovernanceAggregate]) -> int:
    count = sum(len(a.pending_events) for a in pending)
    if pending:
        app.save(*pending)
        pending.clear()
    return count


def _year(h: _History, year: int) -> Iterator[GovernanceAggregate]:
    budget_day = date(year - 1, 6, 15)
    budget = Beslut.take(
        h.new_id("beslut"),
        h.stamp("kf", budget_day),
        decided_by="kf",
        kind="budget",
        diarienummer=f"KF {year - 1}/{h.serial}",
        paragraf="§ 55",
        title=f"Budget {year}",
    )
    to_ks = _uppdrag(h, "kf", "ks", f"Genomför budget {year}", budget_day, budget.id, None, year)
    to_ks.accept(h.stamp("ks", budget_day))
    plan_day = date(year - 1, 11, 20)
    to_director = _uppdrag(
        h, "ks", "kommundirektor", f"Verksamhetsplan {year}", plan_day, budget.id, to_ks.id, year
    )
    to_director.accept(h.stamp("kommundirektor", plan_day + timedelta(days=5)))
    # Parents first, so that a history cut short never holds an uppdrag without its parent.
    yield from (budget, to_ks, to_director)
    for sector in SECTORS:
        for n in range(h.rng.randint(3, 6)):
            yield from _sector_work(h, sector, n, year, budget.id, to_director.id)
    yield from _delegations(h, year)
    for sector in SECTORS:
        for n in range(h.rng.randint(10, 30)):
            yield _avvikelse(h, sector, n, year)
    _finish(h, to_director, "ks", "kommundirektor", date(year + 1, 2, 10))
    _finish(h, to_ks, "kf", "ks", date(year + 1, 4, 10))
    yield from (to_director, to_ks)


def _uppdrag(
    h: _History,
    giver: str,
    recipient: str,
    title: str,
    on: date,
    origin: UUID,
    parent: UUID | None,
    year: int,
) -> Uppdrag:
    return Uppdrag.issue(
        h.new_id("uppdrag"),
        h.stamp(giver, on),
        kind="uppdrag",
        giver=giver,
        recipient=recipient,
        title=title,
        description="",
        due=date(year, 12, 31),
        origin_beslut_id=origin,
        parent_id=parent,
    )


def _sector_work(
    h: _History, sector: str, n: int, year: int, origin: UUID, parent: UUID
) -> Iterator[GovernanceAggregate]:
    """The director's uppdrag to a sector, broken down to the sector's chefs."""
    start = date(year, 1, 10) + timedelta(days=h.rng.randint(0, 60))
    u = _uppdrag(h, "kommundirektor", sector, f"Mål {n} för {sector} {year}", start, origin, parent, year)
    if h.rng.random() < 0.05:
        u.withdraw(h.stamp("kommundirektor", start + timedelta(days=10)), reason="Ersätts av annat uppdrag.")
        yield u
        return
    u.accept(h.stamp(sector, start + timedelta(days=3)))
    yield u  # before its parts, which point to it
    # Lerum has about 120 chefs: some 24 per sector share each sector uppdrag.
    for c in range(h.rng.randint(*CHEFS_PER_UPPDRAG)):
        chef = f"chef-{sector}-{c}"
        part = _uppdrag(h, sector, chef, f"Del {c}: {u.title}", start + timedelta(days=5), origin, u.id, year)
        part.accept(h.stamp(chef, start + timedelta(days=7)))
        _carry_out(h, part, giver=sector, recipient=chef, year=year)
        yield part
    _carry_out(h, u, giver="kommundirektor", recipient=sector, year=year)
    yield u


def _carry_out(h: _History, u: Uppdrag, *, giver: str, recipient: str, year: int) -> None:
    """An accepted uppdrag through the year: revised now and then, reported each tertial,
    some reports returned and reported again, completed when the year is done."""
    fate = h.rng.random()
    if fate < 0.1:
        return  # still being worked on
    if fate < 0.2:
        u.revise(
            h.stamp(giver, max(date(year, 3, 1), u.issued_on + timedelta(days=10))),
            title=u.title + " (reviderat)",
            description="Nytt mål efter uppföljningen.",
            due=date(year + 1, 3, 31),
            reason="Ändrade förutsättningar.",
        )
    for month in (4, 8, 12):
        if month == 12 and fate < 0.3:
            return  # the year's last report is still to come
        reported = date(year, month, 20)
        u.report(h.stamp(recipient, reported), **_report(h, f"{year}-{month:02d}"))
        if h.rng.random() < 0.2:
            u.return_report(h.stamp(giver, reported + timedelta(days=3)), reason="Komplettera.")
            u.report(h.stamp(recipient, reported + timedelta(days=5)), **_report(h, f"{year}-{month:02d}"))
        u.accept_report(h.stamp(giver, reported + timedelta(days=8)), comment="")
    u.complete(h.stamp(giver, date(year + 1, 1, 20)), comment="Klart.")


def _report(h: _History, period: str) -> dict[str, Any]:
    return {"assessment": h.rng.choice(SCALE), "text": "Uppföljning.", "period": period, "scale": list(SCALE)}


def _finish(h: _History, u: Uppdrag, giver: str, recipient: str, on: date) -> None:
    u.report(h.stamp(recipient, on), **_report(h, "helår"))
    u.accept_report(h.stamp(giver, on + timedelta(days=5)), comment="")
    u.complete(h.stamp(giver, on + timedelta(days=6)), comment="")


def _delegations(h: _History, year: int) -> Iterator[GovernanceAggregate]:
    ordning_day = date(year - 1, 12, 10)
    ordning = Beslut.take(
        h.new_id("beslut"),
        h.stamp("ks", ordning_day),
        decided_by="ks",
        kind="delegationsordning",
        diarienummer=f"KS {year - 1}/{h.serial}",
        paragraf="§ 120",
        title=f"Delegationsordning {year}",
    )
    start = date(year, 1, 1)
    to_director = Delegering.grant(
        h.new_id("delegering"),
        h.stamp("ks", start),
        granted_by="ks",
        delegate="kommundirektor",
        matter="upphandling",
        urgent=False,
        beslut_id=ordning.id,
        parent_id=None,
        conditions="",
    )
    yield from (ordning, to_director)
    vidare_beslut = Beslut.take(
        h.new_id("beslut"),
        h.stamp("kommundirektor", start),
        decided_by="kommundirektor",
        kind="delegationsordning",
        diarienummer=f"KS {year}/{h.serial}",
        paragraf="",
        title="Vidaredelegation av upphandling",
        matter="upphandling",
        delegering_id=to_director.id,
        report_to="ks",
    )
    vidare_beslut.report_to_organ(h.stamp("ks", date(year, 2, 10)), minutes_paragraf="§ 12")
    yield vidare_beslut
    for sector in SECTORS:
        sub = Delegering.grant(
            h.new_id("delegering"),
            h.stamp("kommundirektor", start),
            granted_by="kommundirektor",
            delegate=sector,
            matter="upphandling",
            urgent=False,
            beslut_id=vidare_beslut.id,
            parent_id=to_director.id,
            conditions="Upp till 5 prisbasbelopp.",
        )
        yield sub
        for n in range(h.rng.randint(20, 60)):
            # Before October, when some vidaredelegationer are revoked.
            decided = start + timedelta(days=h.rng.randint(10, 260))
            taken = Beslut.take(
                h.new_id("beslut"),
                h.stamp(sector, decided),
                decided_by=sector,
                kind="ovrigt",
                diarienummer=f"{sector.upper()} {year}/{h.serial}",
                paragraf="",
                title=f"Avtal {n}",
                matter="upphandling",
                delegering_id=sub.id,
                report_to="ks",
            )
            if h.rng.random() < 0.1:
                taken.correct(
                    h.stamp(sector, decided + timedelta(days=20)),
                    diarienummer=f"{sector.upper()} {year}/{h.serial}k",
                    paragraf="",
                    title=f"Avtal {n} (rättat)",
                    reason="Fel diarienummer.",
                )
            if h.rng.random() < 0.8:
                taken.report_to_organ(h.stamp("ks", decided + timedelta(days=30)), minutes_paragraf=f"§ {n}")
            yield taken
        if h.rng.random() < 0.2:
            sub.revoke(h.stamp("kommundirektor", date(year, 10, 1)), reason="Omorganisation.", beslut_id=None)
            yield sub


def _avvikelse(h: _History, sector: str, n: int, year: int) -> Avvikelse:
    """A chef's deviation: handled by the sector, or escalated to the director."""
    occurred = date(year, 1, 1) + timedelta(days=h.rng.randint(0, 330))
    a = Avvikelse.report(
        h.new_id("avvikelse"),
        h.stamp(f"chef-{sector}-{n % 24}", occurred),
        subject_kind="handelse",
        subject_ref=f"{sector}-{n}",
        severity="avvikelse",
        category="ekonomi",
        description=f"Avvikelse {n} i {sector}.",
        level=sector,
    )
    fate = h.rng.random()
    if fate < 0.15:
        return a  # waiting at the sector
    holder = sector
    if fate < 0.45:
        a.escalate(
            h.stamp(sector, occurred + timedelta(days=2)), to_level="kommundirektor", skipped=[], reason=""
        )
        holder = "kommundirektor"
        if fate < 0.25:
            return a  # waiting at the director
    a.acknowledge(h.stamp(holder, occurred + timedelta(days=3)))
    if fate < 0.6:
        return a
    a.decide_action(h.stamp(holder, occurred + timedelta(days=4)), action="Åtgärdsplan.")
    a.close(h.stamp(holder, occurred + timedelta(days=30)), resolution="Åtgärdat.")
    return a


# --- measuring -----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    what: str
    events: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else float("inf")


def timed(what: str, events: int, action: Callable[[], object]) -> Figure:
    started = time.perf_counter()
    action()
    return Figure(what, events, time.perf_counter() - started)


def read_raw(log: GovernanceLog, page_size: int) -> int:
    position, count = 0, 0
    while notifications := log.recorder.select_notifications(
        start=position, limit=page_size, inclusive_of_start=False
    ):
        count += len(notifications)
        position = notifications[-1].id
    return count


def read_decoded(log: GovernanceLog, page_size: int) -> int:
    position, count = 0, 0
    mapper = log.mapper
    while notifications := log.recorder.select_notifications(
        start=position, limit=page_size, inclusive_of_start=False
    ):
        for notification in notifications:
            mapper.to_domain_event(notification)
        count += len(notifications)
        position = notifications[-1].id
    return count


def measure(settings: Settings, events: int, page_size: int) -> list[Figure]:
    app = Governance(default_styrmodell(), env=settings.eventsourcing_env("governance"))
    started = time.perf_counter()
    total = generate_history(app, events)
    figures = [Figure("generate (batched saves)", total, time.perf_counter() - started)]
    app.close()
    log = GovernanceLog(settings.eventsourcing_env("governance"))
    for size in (10, 100, page_size):
        figures.append(timed(f"raw read, pages of {size}", total, partial(read_raw, log, size)))
    figures.append(timed(f"decoded read, pages of {page_size}", total, lambda: read_decoded(log, page_size)))
    store = ViewStore.open(settings)
    try:
        projector = store.projector(page_size=page_size)
        figures.append(timed("rebuild of all views", total, projector.rebuild))
        sample = _deep_uppdrag(store)
        middle = _middle_day(store)
    finally:
        store.close()
    everything = AsOf(on=date.max)
    figures.append(
        timed(
            "as-of, whole municipality, last day",
            total,
            lambda: replay(log, everything, page_size=page_size).close(),
        )
    )
    on = AsOf(on=middle)
    figures.append(
        timed(
            "as-of, whole municipality, mid-history",
            total,
            lambda: replay(log, on, page_size=page_size).close(),
        )
    )
    known = AsOf(on=middle, known_on=middle - timedelta(days=365))
    figures.append(
        timed(
            "as-of, mid-history, known a year before",
            total,
            lambda: replay(log, known, page_size=page_size).close(),
        )
    )
    rounds = 20
    figures.append(
        timed(
            f"as-of, one mandate (uppdrag + chain) x{rounds}",
            total * rounds,
            partial(_replay_one, log, on, sample, rounds),
        )
    )
    log.close()
    return figures


def _replay_one(log: GovernanceLog, on: AsOf, record: UUID, rounds: int) -> None:
    for _ in range(rounds):
        replay_records(log, on, [record]).close()


def _deep_uppdrag(store: ViewStore) -> UUID:
    """A chef's uppdrag, four levels below KF's: its replay also replays its chain and decision."""
    rows = [r for r in store.views.uppdrag.select(UppdragRow) if r.recipient.startswith("chef-")]
    return rows[len(rows) // 2].id


def _middle_day(store: ViewStore) -> date:
    """The day by which about half of the uppdrag had been issued."""
    days = sorted(r.issued_on for r in store.views.uppdrag.select(UppdragRow))
    return days[len(days) // 2]


def report(events: int, backend: str, figures: list[Figure]) -> None:
    baseline = next(f for f in figures if f.what.startswith("raw read") and f.what.endswith(" 1000"))
    print(f"\n{events:,} events on {backend} (ratios against the raw read in pages of 1000)")
    print(f"{'':46} {'seconds':>9} {'events/s':>12} {'ratio':>7}")
    for figure in figures:
        if figure.what.startswith("as-of, one mandate"):
            per_query = figure.seconds / 20 * 1000
            print(f"{figure.what:46} {figure.seconds:9.3f} {'':>12} {'':>7}  ({per_query:.1f} ms per query)")
            continue
        ratio = figure.rate / baseline.rate
        print(f"{figure.what:46} {figure.seconds:9.3f} {figure.rate:12,.0f} {ratio:7.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--events", type=int, nargs="+", default=[50_000, 350_000])
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (local, or embedded)")
    args = parser.parse_args(argv)
    for events in args.events:
        if args.postgres:
            _on_postgres(events, args.page_size)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'governance.db'}")
                report(events, "SQLite", measure(settings, events, args.page_size))
    return 0


def _on_postgres(events: int, page_size: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    import os

    from postgres_server import find_or_start  # type: ignore[import-not-found]  # tests/, put on the path above

    server = find_or_start(os.environ)
    url = server.create_database("lf_bench")
    try:
        report(
            events,
            f"PostgreSQL ({server.describe()})",
            measure(Settings(database_url=url), events, page_size),
        )
    finally:
        server.drop_database(url)
        server.stop()


if __name__ == "__main__":
    sys.exit(main())
