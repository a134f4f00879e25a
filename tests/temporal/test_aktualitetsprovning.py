"""The review timer of governing documents on the time-skipping server: the owner is reminded once,
a missed review is one deviation, a review in time cancels it, and a revised parent flags its children."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from temporal.temporal_harness import PERSON, Harness, events, time_skipping
from unit import styrdokument_world
from unit.governance_world import send

from lerum_flow.application import Governance
from lerum_flow.domain.avvikelse import Avvikelse
from lerum_flow.domain.styrdokument import Styrdokument
from lerum_flow.notifications import NoticeKind
from lerum_flow.styrdokument_contract import aktualitetsprovning_workflow_id
from lerum_flow.workflows.clock import local_date
from lerum_flow.workflows.models import QUERY_STATUS, WorkflowStatus
from lerum_flow.workflows.styrdokument.models import AktualitetsprovningInput, AktualitetsprovningResult
from lerum_flow.workflows.styrdokument.workflow import Aktualitetsprovning

# Lerum reviews a taxa every year and reminds its owner 90 days before.
YEAR = timedelta(days=366)
OWNER = "kommundirektor"


def decide(governance: Governance, organ: str, on: date, title: str, *, number: int) -> UUID:
    """A decision of `organ` at its meeting on `on` (§ `number`), recorded by the harness's PERSON,
    who holds every position of its chain."""
    return send(
        governance,
        "take_beslut",
        organ,
        person=PERSON,
        decided_by=organ,
        kind="ovrigt",
        diarienummer=f"{organ.upper()} {on.year}/{number}",
        paragraf=f"§ {number}",
        title=title,
        decided_on=on,
    ).id


def adopt(
    governance: Governance,
    organ: str,
    beslut: UUID,
    document_type: str,
    title: str,
    owner: str,
    **fields: Any,
) -> UUID:
    """`organ` adopts a document on `beslut`, recorded by PERSON."""
    return styrdokument_world.adopt(
        governance, organ, beslut, document_type, title, owner, person=PERSON, **fields
    )


async def today(h: Harness) -> date:
    """The server's day: time skipping moves it on."""
    return local_date(await h.env.get_current_time())


def reminders(h: Harness, document_id: UUID) -> list[str]:
    return [
        n.recipient for n in h.people.notices if n.kind is NoticeKind.PAMINNELSE and n.ref == str(document_id)
    ]


def overdue_deviations(h: Harness, document_id: UUID) -> list[Avvikelse.Reported]:
    return [
        e
        for e in events(h.governance, Avvikelse.Reported.TOPIC)
        if e.subject_ref == f"styrdokument:{document_id}"
    ]


def review_due(h: Harness, document_id: UUID) -> date:
    document = h.governance.get_record(document_id)
    assert isinstance(document, Styrdokument)
    assert document.review_by is not None
    return document.review_by


async def adopt_taxa(h: Harness, number: int = 1) -> UUID:
    """KF adopts a taxa today, owned by the kommundirektör; the relay starts its timer."""
    on = await today(h)
    beslut = decide(h.governance, "kf", on, f"Taxa {number}", number=number)
    taxa = adopt(h.governance, "kf", beslut, "taxa", f"Avfallstaxa {number}", OWNER)
    await h.relay.catch_up()
    return taxa


async def decide_on(h: Harness, document_id: UUID, method: str, number: int, **fields: Any) -> None:
    """KF's decision today on the document (a review or a repeal), passed on by the relay."""
    beslut = decide(h.governance, "kf", await today(h), f"Beslut {number}", number=number)
    send(h.governance, method, "kf", person=PERSON, styrdokument_id=document_id, beslut_id=beslut, **fields)
    await h.relay.catch_up()


async def ended(h: Harness, document_id: UUID) -> AktualitetsprovningResult:
    """Repeal the document, and the timer's result once it has seen that."""
    await decide_on(h, document_id, "repeal_styrdokument", 99)
    return await h.result(aktualitetsprovning_workflow_id(document_id), AktualitetsprovningResult)


def test_a_review_nobody_makes_is_reminded_once_and_becomes_one_deviation_at_the_owners_level(
    tmp_path: Path,
) -> None:
    """A year and more passes: the owner hears once, 90 days ahead; the day after, one deviation is
    reported, held by the owner; nothing more follows however long it stays unreviewed."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            taxa = await adopt_taxa(h)
            review_by = review_due(h, taxa)

            await h.env.sleep(YEAR + YEAR)

            (deviation,) = overdue_deviations(h, taxa)
            assert reminders(h, taxa) == [OWNER]
            assert deviation.level == OWNER
            assert deviation.effective_on == review_by + timedelta(days=1)
            result = await ended(h, taxa)
            assert (result.outcome, result.reminded, result.avvikelser) == (
                "upphort",
                [review_by],
                [deviation.originator_id],
            )

    asyncio.run(scenario())


def test_a_review_in_time_cancels_the_deviation_and_starts_the_next_interval(tmp_path: Path) -> None:
    """Reviewed after the reminder and before the due day: no deviation; the next review is a year on."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            taxa = await adopt_taxa(h)
            first_due = review_due(h, taxa)

            await h.env.sleep(timedelta(days=365 - 30))
            assert reminders(h, taxa) == [OWNER]
            await decide_on(h, taxa, "review_styrdokument", 2)
            await h.env.sleep(timedelta(days=60))

            assert overdue_deviations(h, taxa) == []
            handle = h.client.get_workflow_handle(aktualitetsprovning_workflow_id(taxa))
            status = await handle.query(QUERY_STATUS, result_type=WorkflowStatus)
            (waiting,) = status.waiting
            assert waiting.by > first_due + timedelta(days=300)
            result = await ended(h, taxa)
            assert (result.reminded, result.avvikelser) == ([first_due], [])

    asyncio.run(scenario())


async def revised_then_repealed(h: Harness, policy: UUID, on: date) -> AktualitetsprovningResult:
    """KF revises the policy ten days after `on`, then repeals it: its timer's result."""
    await h.relay.catch_up()
    revision = decide(h.governance, "kf", on + timedelta(days=10), "Revidering", number=4)
    send(
        h.governance,
        "revise_styrdokument",
        "kf",
        person=PERSON,
        styrdokument_id=policy,
        beslut_id=revision,
        reason="Ny lag.",
    )
    await h.relay.catch_up()
    # The repeal is decided after the revision's day: a record's business dates run forward.
    await h.env.sleep(timedelta(days=11))
    return await ended(h, policy)


def test_a_revised_parent_flags_the_documents_derived_from_it(tmp_path: Path) -> None:
    """KF revises its policy: KS's riktlinje under it is flagged for review and its owner told;
    a riktlinje under another policy is not."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            g = h.governance
            on = await today(h)
            policy = adopt(g, "kf", decide(g, "kf", on, "Policy", number=1), "policy", "Inköpspolicy", OWNER)
            other = adopt(g, "kf", decide(g, "kf", on, "Policy", number=2), "policy", "Miljöpolicy", OWNER)
            riktlinje_beslut = decide(g, "ks", on, "Riktlinjer", number=3)
            riktlinje, unrelated = (
                adopt(g, "ks", riktlinje_beslut, "riktlinje", title, "larande", parent_styrdokument_id=parent)
                for title, parent in (("Direktupphandling", policy), ("Miljökrav", other))
            )
            result = await revised_then_repealed(h, policy, on)

            flags = [e for e in g.events_of(riktlinje) if isinstance(e, Styrdokument.ReviewFlagged)]
            assert [(f.cause, f.parent_id, f.actor) for f in flags][:1] == [("reviderat", policy, "system")]
            assert flags[0].effective_on == on + timedelta(days=10)
            assert not any(isinstance(e, Styrdokument.ReviewFlagged) for e in g.events_of(unrelated))
            assert reminders(h, riktlinje)[:1] == ["larande"]
            # The repeal that ended the policy's timer flagged the riktlinje once more.
            assert (result.flagged, len(flags)) == (2, 2)

    asyncio.run(scenario())


def adopt_riktlinje(governance: Governance, on: date, policy: UUID) -> UUID:
    """KS adopts the riktlinje Direktupphandling under `policy` on `on`, owned by lärande."""
    beslut = decide(governance, "ks", on, "Riktlinjer", number=3)
    return adopt(
        governance, "ks", beslut, "riktlinje", "Direktupphandling", "larande", parent_styrdokument_id=policy
    )


def test_a_document_the_timer_could_not_flag_is_named_among_its_problems_and_the_rest_are_flagged(
    tmp_path: Path,
) -> None:
    """An index out of step with the record lists the Miljöpolicy under the Inköpspolicy, before its
    riktlinje: KF revises the Inköpspolicy, the riktlinje is flagged all the same, and the timer names
    the Miljöpolicy among its problems instead of failing the step for both."""

    async def scenario() -> None:
        async with time_skipping(tmp_path, with_worker=False) as h:
            g = h.governance
            on = await today(h)
            policy = adopt(g, "kf", decide(g, "kf", on, "Policy", number=1), "policy", "Inköpspolicy", OWNER)
            other = adopt(g, "kf", decide(g, "kf", on, "Policy", number=2), "policy", "Miljöpolicy", OWNER)
            riktlinje = adopt_riktlinje(g, on, policy)

            def out_of_step(parents: Sequence[UUID]) -> list[UUID]:
                return [other, riktlinje] if policy in parents else []

            async with h.worker(derived=out_of_step):
                result = await revised_then_repealed(h, policy, on)

            flagged = [e for e in g.events_of(riktlinje) if isinstance(e, Styrdokument.ReviewFlagged)]
            assert not any(isinstance(e, Styrdokument.ReviewFlagged) for e in g.events_of(other))
            assert (result.flagged, len(flagged)) == (2, 2)
            problem = (
                f"'Miljöpolicy' ({other}) flaggades inte för översyn: Dokumentet härleds inte ur {policy}."
            )
            # Once for the revision, once for the repeal that ended the timer.
            assert result.problems == [problem, problem]

    asyncio.run(scenario())


def test_an_index_naming_a_document_with_no_record_fails_the_flagging_once_and_the_timer_reports_it(
    tmp_path: Path,
) -> None:
    """The index names, under the Inköpspolicy, a document the store has no record of, until it is
    rebuilt: the flagging after KF's revision is refused for good at its first read (not retried once
    a minute for ever), the timer names it among its problems and goes on, and the repeal's flagging,
    with the index rebuilt, flags the riktlinje."""

    async def scenario() -> None:
        async with time_skipping(tmp_path, with_worker=False) as h:
            g = h.governance
            on = await today(h)
            policy = adopt(g, "kf", decide(g, "kf", on, "Policy", number=1), "policy", "Inköpspolicy", OWNER)
            riktlinje = adopt_riktlinje(g, on, policy)
            ghost = uuid4()
            reads: list[Sequence[UUID]] = []

            def rebuilt_after_one_read(parents: Sequence[UUID]) -> list[UUID]:
                reads.append(parents)
                return [ghost, riktlinje] if len(reads) == 1 else [riktlinje]

            async with h.worker(derived=rebuilt_after_one_read):
                result = await revised_then_repealed(h, policy, on)

            # One read for the revision, refused and not tried again; one for the repeal.
            assert len(reads) == 2
            assert result.problems == [
                f"Underordnade dokument kunde inte flaggas: Det finns inget styrdokument med id {ghost}."
            ]
            flagged = [e for e in g.events_of(riktlinje) if isinstance(e, Styrdokument.ReviewFlagged)]
            assert (result.flagged, [f.cause for f in flagged]) == (1, ["upphavt"])

    asyncio.run(scenario())


def test_a_timer_that_continues_as_new_keeps_what_it_has_done(tmp_path: Path) -> None:
    """Run after run, the owner is still reminded once and the missed review reported once."""

    async def scenario() -> None:
        async with time_skipping(tmp_path) as h:
            on = await today(h)
            beslut = decide(h.governance, "kf", on, "Taxa", number=1)
            taxa = adopt(h.governance, "kf", beslut, "taxa", "Avfallstaxa", OWNER)
            await h.client.start_workflow(
                Aktualitetsprovning.run,
                # Above the dozen events of a run's first read of the document, low enough
                # that every step after it is taken in a run of its own.
                AktualitetsprovningInput(styrdokument_id=taxa, max_history_events=14),
                id=aktualitetsprovning_workflow_id(taxa),
                task_queue=h.task_queue,
            )
            await h.relay.catch_up()  # the adoption, signalled to the running timer

            await h.env.sleep(YEAR + YEAR)
            result = await ended(h, taxa)

            assert result.runs > 2
            assert reminders(h, taxa) == [OWNER]
            assert (result.reminded, len(result.avvikelser)) == ([review_due(h, taxa)], 1)
            assert len(overdue_deviations(h, taxa)) == 1

    asyncio.run(scenario())
