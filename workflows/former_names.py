"""The names the activities had before every activity was named `<process>.<verb>`.

Activity names are stored in every workflow history. A run recorded before
the renaming schedules its activities by these names, on replay as when it
goes on, so the worker serves each activity under its former name too, and
the workflows call that name while they replay such a run (`agenda.run_activity`).
Once no run recorded before the renaming is left, to go on or to be
replayed, this module and the patch that chooses between the names can go.
Two activities were registered but never scheduled (`reports_on`,
`report_avvikelse`); no history names them, and they have no former name.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from temporalio import activity

from lerum_flow.workflows.arshjul.activities import ArshjulActivities
from lerum_flow.workflows.eskalering.activities import EskaleringActivities
from lerum_flow.workflows.mandatperiod.activities import MandatperiodActivities
from lerum_flow.workflows.uppfoljning.activities import UppfoljningActivities

# Each activity and the name it had. The steps the årshjul shared with the mandate period
# or the follow-ups had one name for all of them, served by the first activity listed.
FORMER_NAMES: Mapping[Callable[..., Any], str] = {
    ArshjulActivities.plan: "plan_cycle",
    ArshjulActivities.find_beslut: "find_beslut",
    ArshjulActivities.record_missed_decision: "record_missed_decision",
    ArshjulActivities.issue_uppdrag: "issue_uppdrag",
    ArshjulActivities.revise_uppdrag: "revise_uppdrag",
    ArshjulActivities.remind: "remind",
    ArshjulActivities.record_missing_reports: "record_missing_reports",
    MandatperiodActivities.plan: "plan_mandatperiod",
    MandatperiodActivities.find_beslut: "find_beslut",
    MandatperiodActivities.record_missed_decision: "record_missed_decision",
    MandatperiodActivities.issue_uppdrag: "issue_uppdrag",
    UppfoljningActivities.request_reports: "request_reports",
    UppfoljningActivities.remind: "remind",
    UppfoljningActivities.record_missing_reports: "record_missing_reports",
    EskaleringActivities.follow: "eskalering_folj",
    EskaleringActivities.record_missed_deadline: "eskalering_missad_kvittens",
    EskaleringActivities.inform: "eskalering_informera",
}


def former_name(activity_method: Callable[..., Any]) -> str:
    """The name an activity (a method of its class, as workflows call it) had before the renaming."""
    return FORMER_NAMES[activity_method]


def under_former_names(activities: Iterable[Callable[..., Any]]) -> list[Callable[..., Any]]:
    """The same activities (bound methods) once more, each under its former name, once per name."""
    served: dict[str, Callable[..., Any]] = {}
    for bound in activities:
        name = FORMER_NAMES.get(getattr(bound, "__func__", bound))
        if name is not None and name not in served:
            served[name] = _renamed(bound, name)
    return list(served.values())


def _renamed(bound: Callable[..., Any], name: str) -> Callable[..., Any]:
    async def renamed(*arguments: Any) -> Any:
        return await bound(*arguments)

    # The data converter decodes the input and encodes the result by these: as the activity's own.
    renamed.__signature__ = inspect.signature(bound)  # type: ignore[attr-defined]
    renamed.__annotations__ = typing.get_type_hints(bound)
    renamed.__name__ = renamed.__qualname__ = name
    return activity.defn(name=name)(renamed)
