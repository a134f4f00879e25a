"""How the demo scenario acts: its cast, its steps, and a script that checks each step's outcome.

A chapter of the scenario is a generator of `Step`s that may return what
later chapters need (`x = yield from chapter(script)`).
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import ParamSpec, TypeVar
from uuid import UUID

from lerum_flow.application import Governance, Outcome
from lerum_flow.commands import Acting, Command, parse_command
from lerum_flow.demo.organisation import KANSLI, REVISOR
from lerum_flow.domain.errors import Refusal
from lerum_flow.staffing import StaffingAct

TCommand = TypeVar("TCommand", bound=Command)
T = TypeVar("T")
P = ParamSpec("P")

# Pseudonymous person ids: events never carry names (docs/arkitektur.md, "Personal data").
# The kanslienhet records the organs' decisions: it is their sekreterare.
PEOPLE = {
    "kf": KANSLI,
    "ks": KANSLI,
    "revisorer": REVISOR,
    "kommundirektor": "p-0002",
    "larande": "p-0103",
    "vard-och-omsorg": "p-0105",
    "rektor-vallhamra": "p-1201",
    "rektor-torpskolan": "p-1202",
    "enhetschef-solgarden": "p-1310",
}


@dataclass(frozen=True)
class Step:
    """One command of the script and what became of it."""

    chapter: str
    text: str
    actor: str
    outcome: Outcome | None = None
    refusal: Refusal | None = None

    @property
    def id(self) -> UUID:
        assert self.outcome is not None, "a refused step has no id"
        return self.outcome.id


class ScenarioBroken(Exception):  # noqa: N818 - reads as what happened to the scenario
    """A step did the opposite of what the script expects: refused, or recorded when illegal."""

    def __init__(self, step: Step) -> None:
        super().__init__(step.text)
        self.step = step


class Script:
    """Runs each step as its actor and raises ScenarioBroken when the outcome is not the expected one."""

    def __init__(self, governance: Governance) -> None:
        self.governance = governance
        self.chapter = ""

    def by(self, actor: str, person: str | None = None) -> Acting:
        """Whoever holds the position in the story, unless a step names someone else."""
        return {"actor": actor, "person": PEOPLE[actor] if person is None else person}

    def act(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        command_class: Callable[P, TCommand],
        /,
        *args: P.args,
        **fields: P.kwargs,
    ) -> Step:
        step = self._run(
            what, handle, str(fields["actor"]), lambda: parse_command(command_class, *args, **fields)
        )
        if step.refusal is not None:
            raise ScenarioBroken(step)
        return step

    def attempt(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        command_class: Callable[P, TCommand],
        /,
        *args: P.args,
        **fields: P.kwargs,
    ) -> Step:
        """A step the law or the styrkedja must refuse."""
        step = self._run(
            what, handle, str(fields["actor"]), lambda: parse_command(command_class, *args, **fields)
        )
        if step.refusal is None:
            raise ScenarioBroken(step)
        return step

    def planned(self, act: StaffingAct) -> Step:
        """A step of a staffing plan, which names who acts in it."""
        try:
            outcome = getattr(self.governance, act.method)(act.command)
        except Refusal as refusal:
            raise ScenarioBroken(Step(self.chapter, act.what, act.command.actor, refusal=refusal)) from None
        return Step(self.chapter, act.what, act.command.actor, outcome=outcome)

    def _run(
        self,
        what: str,
        handle: Callable[[Governance, TCommand], Outcome],
        actor: str,
        build: Callable[[], TCommand],
    ) -> Step:
        # Built inside: a refusal of the command's own fields is the step's outcome too.
        try:
            command = build()
            outcome = handle(self.governance, command)
        except Refusal as refusal:
            return Step(self.chapter, what, actor, refusal=refusal)
        return Step(self.chapter, what, actor, outcome=outcome)


# A chapter yields its steps and returns what later chapters refer to.
Chapter = Generator[Step, None, T]
