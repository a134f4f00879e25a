"""Start a municipality's internkontroll year once; a second start answers with the one that exists."""

from __future__ import annotations

from temporalio.client import Client

from lerum_flow.workflows.internkontroll.models import InternkontrollInput, internkontroll_workflow_id
from lerum_flow.workflows.internkontroll.workflow import Internkontroll
from lerum_flow.workflows.starter import Started, start_once


async def start_internkontroll(client: Client, task_queue: str, kommunkod: str, year: int) -> Started:
    arguments = InternkontrollInput(kommunkod=kommunkod, year=year)
    workflow_id = internkontroll_workflow_id(kommunkod, year)
    return await start_once(client, Internkontroll.run, arguments, workflow_id, task_queue)
