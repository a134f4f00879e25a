"""The worker's counting of process steps: completed, refused by a rule, failed, deadlines missed."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import uuid
from collections.abc import Callable
from typing import Any, cast

import pytest
from prometheus_client import generate_latest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from lerum_flow.domain.errors import Conflict, InvalidState, NotFound
from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.workflows.activity_metrics import ActivityMetrics
from lerum_flow.workflows.eskalering.models import Lage, MissResult
from lerum_flow.workflows.governance_steps import failure_of
from lerum_flow.workflows.models import MissingReportsOutcome
from lerum_flow.workflows.styrdokument.models import FlaggedChildren, NotFlagged
from lerum_flow.workflows.worker import RefusalsEndActivities


class Step(ActivityInboundInterceptor):
    """The activity itself, as the interceptor's next link: returns or raises what it is given."""

    def __init__(self, outcome: Callable[[], Any]) -> None:
        self.outcome = outcome

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        return self.outcome()


def run_step(
    metrics: WorkerMetrics, activity_type: str, outcome: Callable[[], Any], *inner: Interceptor
) -> Any:
    """`outcome` as an activity's, through the metrics and then the `inner` interceptors, in the order
    a worker's list gives them."""
    step: ActivityInboundInterceptor = Step(outcome)
    for interceptor in reversed(inner):
        step = interceptor.intercept_activity(step)
    counting = ActivityMetrics(metrics).intercept_activity(step)
    env = ActivityEnvironment()
    env.info = dataclasses.replace(env.info, activity_type=activity_type)

    async def in_activity() -> Any:
        return await counting.execute_activity(
            ExecuteActivityInput(fn=lambda: None, args=[], executor=None, headers={})
        )

    return asyncio.run(env.run(in_activity))


def sample(metrics: WorkerMetrics, name: str, labels: dict[str, str]) -> float | None:
    return metrics.registry.get_sample_value(name, labels)


def a_refusal() -> Any:
    raise failure_of(InvalidState("Avvikelsen väntar inte på kvittens.", rule="vantar_inte_pa_kvittens"))


def test_a_completed_step_is_counted_by_its_kind() -> None:
    """Each completed activity adds one to lerum_flow_commands_total{kind=<its name>}."""
    metrics = WorkerMetrics()
    run_step(metrics, "arshjul.issue_uppdrag", lambda: "klart")
    run_step(metrics, "arshjul.issue_uppdrag", lambda: "klart")
    assert sample(metrics, "lerum_flow_commands_total", {"kind": "arshjul.issue_uppdrag"}) == 2


def test_a_step_refused_for_good_is_counted_with_its_rule() -> None:
    """A non-retryable refusal counts under its rule, not as a completed step, and still fails the step."""
    metrics = WorkerMetrics()
    with pytest.raises(ApplicationError):
        run_step(metrics, "eskalering.inform", a_refusal)
    labels = {"kind": "eskalering.inform", "rule": "vantar_inte_pa_kvittens"}
    assert sample(metrics, "lerum_flow_refusals_total", labels) == 1
    assert sample(metrics, "lerum_flow_commands_total", {"kind": "eskalering.inform"}) is None


def test_a_refusal_escaping_a_step_ends_it_for_good_and_is_counted_with_its_rule() -> None:
    """A refusal a step raises outside `record` (a read finding no such document) ends it for good, as
    `record` would have, and counts under its rule; a conflict stays one to retry."""
    metrics = WorkerMetrics()

    def not_found() -> Any:
        raise NotFound("Det finns inget styrdokument med id 1.", rule="okant_styrdokument")

    def conflict() -> Any:
        raise Conflict("Någon annan hann före.")

    with pytest.raises(ApplicationError) as refused:
        run_step(metrics, "styrdokument.flag_children", not_found, RefusalsEndActivities())
    with pytest.raises(ApplicationError) as conflicted:
        run_step(metrics, "styrdokument.flag_children", conflict, RefusalsEndActivities())

    assert (refused.value.non_retryable, refused.value.type) == (True, "finns_inte")
    assert refused.value.message == "Det finns inget styrdokument med id 1."
    assert (conflicted.value.non_retryable, conflicted.value.type) == (False, "konflikt")
    labels = {"kind": "styrdokument.flag_children", "rule": "okant_styrdokument"}
    assert sample(metrics, "lerum_flow_refusals_total", labels) == 1
    labels = {"kind": "styrdokument.flag_children", "error": "konflikt"}
    assert sample(metrics, "lerum_flow_activity_errors_total", labels) == 1


def test_a_document_a_completed_step_could_not_flag_is_counted_as_a_refusal_with_its_rule() -> None:
    """The step flagging derived documents completes though one was refused for good; that one
    counts under its rule, as a refused step would."""
    metrics = WorkerMetrics()
    refused = NotFlagged(
        styrdokument_id=uuid.uuid4(), title="Miljöpolicy", rule="inte_underordnat", message="Härleds inte."
    )
    result = FlaggedChildren(flagged=[uuid.uuid4()], not_flagged=[refused])
    run_step(metrics, "styrdokument.flag_children", lambda: result)
    labels = {"kind": "styrdokument.flag_children", "rule": "inte_underordnat"}
    assert sample(metrics, "lerum_flow_refusals_total", labels) == 1
    assert sample(metrics, "lerum_flow_commands_total", {"kind": "styrdokument.flag_children"}) == 1


def test_a_step_that_will_be_retried_is_counted_as_an_error() -> None:
    """A retryable failure (a conflict, a dead database) counts as an error by its type."""
    metrics = WorkerMetrics()

    def conflict() -> Any:
        raise ApplicationError("Någon annan hann före.", type="konflikt")

    def database_down() -> Any:
        raise ConnectionError("databasen svarar inte")

    for failing in (conflict, database_down):
        with pytest.raises(Exception):  # noqa: B017, PT011 - either failure, as raised
            run_step(metrics, "uppfoljning.find_beslut", failing)
    for error in ("konflikt", "ConnectionError"):
        labels = {"kind": "uppfoljning.find_beslut", "error": error}
        assert sample(metrics, "lerum_flow_activity_errors_total", labels) == 1


def test_missed_deadlines_are_counted_by_kind_from_the_steps_results() -> None:
    """A recorded missed acknowledgement and each missing report count; an overtaken miss does not."""
    metrics = WorkerMetrics()
    lage = cast(Lage, None)  # the count reads only `missed`
    for missed in (True, False):
        result = MissResult.model_construct(missed=missed, lage=lage)
        run_step(metrics, "eskalering.record_missed_deadline", functools.partial(lambda r: r, result))
    missing = MissingReportsOutcome.model_construct(
        reported_after_all=[], avvikelser=[uuid.uuid4(), uuid.uuid4()]
    )
    run_step(metrics, "uppfoljning.record_missing_reports", lambda: missing)
    assert sample(metrics, "lerum_flow_deadlines_missed_total", {"deadline": "kvittens"}) == 1
    assert sample(metrics, "lerum_flow_deadlines_missed_total", {"deadline": "rapport"}) == 2
    assert b"lerum_flow_deadlines_missed_total" in generate_latest(metrics.registry)
