"""Recorded histories of every workflow replay against today's workflow code.

A failure here means a change would break workflows already running: make it
compatible (`workflow.patched`) instead of re-recording. To add or refresh
fixtures after a compatible change: `PYTHONPATH=tests python -m temporal.record_histories`.
Histories recorded before a patch are kept beside it (`before-activity-renaming/`:
runs that call the activities by their former names), so both paths replay.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from lerum_flow.workflows.worker import WORKFLOWS, strict_runner

FOLDER = Path(__file__).parent / "histories"
HISTORIES = sorted(FOLDER.rglob("*.json"))


@pytest.mark.parametrize(
    "folder", [FOLDER, FOLDER / "before-activity-renaming"], ids=["now", "before renaming"]
)
def test_there_are_histories_of_every_workflow(folder: Path) -> None:
    """The fixtures cover the cycle, its follow-ups, the mandate period and the escalation of a deviation
    (and, recorded since the renaming only, the review timer of a governing document and the
    internkontroll year)."""
    kinds = {
        json.loads(p.read_text(encoding="utf-8"))["workflow_id"].split("-")[0] for p in folder.glob("*.json")
    }
    since = {"styrdokument", "internkontroll"} if folder == FOLDER else set()
    assert kinds == {"arshjul", "uppfoljning", "mandatperiod", "eskalering", *since}


@pytest.mark.parametrize(
    "path", HISTORIES, ids=[str(p.relative_to(FOLDER).with_suffix("")) for p in HISTORIES]
)
def test_recorded_histories_replay_without_nondeterminism(path: Path) -> None:
    """Every recorded run of the workflow replays with the current code."""
    recorded = json.loads(path.read_text(encoding="utf-8"))

    async def histories() -> AsyncIterator[WorkflowHistory]:
        for run in recorded["runs"]:
            yield WorkflowHistory.from_json(recorded["workflow_id"], run)

    async def replay() -> int:
        replayer = Replayer(
            workflows=list(WORKFLOWS), data_converter=pydantic_data_converter, workflow_runner=strict_runner()
        )
        results = await replayer.replay_workflows(histories())
        return len(recorded["runs"]) - len(results.replay_failures)

    assert asyncio.run(replay()) == len(recorded["runs"])
