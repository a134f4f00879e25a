"""Counts each activity's outcome into the worker's metrics: completed, refused by a rule, failed.

An interceptor, so no activity needs to know about metrics; the kind is the
activity's registered name (`eskalering.record_missed_deadline`), which is
stable (renames keep the former name, see `former_names`).
"""

from __future__ import annotations

from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError
from temporalio.worker import ActivityInboundInterceptor, ExecuteActivityInput, Interceptor

from lerum_flow.worker_metrics import WorkerMetrics
from lerum_flow.workflows.eskalering.models import MissResult
from lerum_flow.workflows.governance_steps import refusal_rule
from lerum_flow.workflows.models import MissedDecisionOutcome, MissingReportsOutcome
from lerum_flow.workflows.styrdokument.models import FlaggedChildren


def missed_deadlines(result: object) -> list[tuple[str, int]]:
    """The deadlines a step's result says it recorded as missed, by kind."""
    if isinstance(result, MissResult) and result.missed:
        return [("kvittens", 1)]
    if isinstance(result, MissedDecisionOutcome) and result.avvikelse_id is not None:
        return [("beslut", 1)]
    if isinstance(result, MissingReportsOutcome) and result.avvikelser:
        return [("rapport", len(result.avvikelser))]
    return []


def refused_within(result: object) -> list[str]:
    """The rules that refused items of a step which went on with the others (a derived document
    not flagged), counted as refusals though the step itself completed."""
    if isinstance(result, FlaggedChildren):
        return [item.rule for item in result.not_flagged]
    return []


class ActivityMetrics(Interceptor):
    def __init__(self, metrics: WorkerMetrics) -> None:
        self.metrics = metrics

    def intercept_activity(self, next: ActivityInboundInterceptor) -> ActivityInboundInterceptor:
        return _Counting(next, self.metrics)


class _Counting(ActivityInboundInterceptor):
    def __init__(self, next: ActivityInboundInterceptor, metrics: WorkerMetrics) -> None:
        super().__init__(next)
        self.metrics = metrics

    async def execute_activity(self, input: ExecuteActivityInput) -> Any:
        kind = activity.info().activity_type
        try:
            result = await super().execute_activity(input)
        except ApplicationError as error:
            # Not retried means refused for good: a rule said no (see governance_steps.record).
            if error.non_retryable:
                self.metrics.refusals.labels(kind=kind, rule=refusal_rule(error)).inc()
            else:
                self.metrics.errors.labels(kind=kind, error=error.type or "ApplicationError").inc()
            raise
        except Exception as error:
            self.metrics.errors.labels(kind=kind, error=type(error).__name__).inc()
            raise
        self.metrics.commands.labels(kind=kind).inc()
        for deadline, count in missed_deadlines(result):
            self.metrics.deadlines_missed.labels(deadline=deadline).inc(count)
        for rule in refused_within(result):
            self.metrics.refusals.labels(kind=kind, rule=rule).inc()
        return result
