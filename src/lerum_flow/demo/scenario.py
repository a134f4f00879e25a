"""The demo scenario: Lerum records one budget year, from KF's goals down to a unit and back.

A script of commands against a `Governance`, yielded one `Step` at a time so
the caller can show them as they happen, told in short chapters. Five steps
are illegal on purpose and must be refused (a person acting in a position
they do not hold, two delegations the law forbids, the revisorer recording a
decision, and a riktlinje without the policy it derives from); one is a retry and
must be recognised as already recorded. It uses the position codes of the shipped
Lerum styrmodell.
"""

from __future__ import annotations

from collections.abc import Iterator

from lerum_flow.application import Governance
from lerum_flow.demo.scenario_downward import (
    director_breaks_down,
    goals_and_budget,
    plans_and_delegations,
    units_established,
    uppdrag_reach_units,
)
from lerum_flow.demo.scenario_kontroll import documents_adopted, internal_control
from lerum_flow.demo.scenario_staffing import chain_staffed, units_staffed
from lerum_flow.demo.scenario_upward import delegated_decision, deviation_goes_up, reporting_back
from lerum_flow.demo.script import ScenarioBroken, Script, Step

__all__ = ["ScenarioBroken", "Step", "run_scenario"]


def run_scenario(governance: Governance) -> Iterator[Step]:
    """Record Lerum's year; each step is yielded as soon as it is done."""
    s = Script(governance)
    yield from chain_staffed(s)
    yield from goals_and_budget(s)
    plan, upphandling = yield from plans_and_delegations(s)
    larande, omsorg = yield from director_breaks_down(s, plan)
    yield from units_established(s)
    yield from units_staffed(s)
    chef_uppdrag = yield from uppdrag_reach_units(s, larande, omsorg)
    yield from reporting_back(s, chef_uppdrag)
    yield from delegated_decision(s, upphandling)
    yield from deviation_goes_up(s, chef_uppdrag)
    yield from documents_adopted(s)
    yield from internal_control(s)
