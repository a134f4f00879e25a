"""What every recording command shares: its options, who records, and the one function that
records a command, so each command module only says which command it builds."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, TypeVar

import typer

from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import refusals, require_write, session
from lerum_flow.cli.ids import resolve_ids
from lerum_flow.commands import Command, parse_command
from lerum_flow.domain.acting import PROCESS_PERSON_PREFIX, is_process_person
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.logs import get_logger
from lerum_flow.municipal_time import MUNICIPAL_TIME
from lerum_flow.text_safety import printable

TCommand = TypeVar("TCommand", bound=Command)


PERSON_ENV = "LERUM_FLOW_PERSON"


AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        metavar="BEFATTNING",
        help="Befattningen du handlar i, t.ex. ks, kommundirektor eller en inrättad chef.",
    ),
]
PersonOption = Annotated[
    str | None,
    typer.Option(
        "--person",
        metavar="ID",
        envvar=PERSON_ENV,
        help="Ditt pseudonyma person-id (aldrig namn eller personnummer).",
    ),
]
CommandIdOption = Annotated[
    str | None,
    typer.Option(
        "--command-id",
        metavar="UUID",
        help="Kommandots id; samma id igen registreras inte två gånger. Standard: härlett ur innehållet.",
    ),
]
SecrecyOption = Annotated[
    str,
    typer.Option(
        "--secrecy",
        metavar="REF",
        help="Lagrum som gör posten hemlig, t.ex. 'OSL 26:1'. Tomt: allmän handling.",
    ),
]
RattelseOption = Annotated[
    str | None,
    typer.Option(
        "--rattelse",
        metavar="SKÄL",
        help="Skälet när detta rättar posten i efterhand: då får datumet ligga före postens "
        "senaste händelse. Skälet sparas i händelsen.",
    ),
]
DateTodayOption = Annotated[
    str | None,
    typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Datum då det gäller. Standard: i dag."),
]
DateOption = Annotated[str, typer.Option("--date", metavar="ÅÅÅÅ-MM-DD", help="Datum då det gäller.")]


@dataclass(frozen=True)
class Who:
    """Who records, in which position, and how the record is identified and classified."""

    position: str
    person: str | None
    command_id: str | None = None
    secrecy: str = ""
    # Why this command corrects the record after the fact (--rattelse), if it does.
    correction: str | None = None

    def fields(self) -> dict[str, Any]:
        if not (self.person or "").strip():
            raise InvalidInput(
                f"Ange vem som handlar: --person ID (ett pseudonymt person-id) eller "
                f"miljövariabeln {PERSON_ENV}.",
                field="person",
                rule="person_kravs",
            )
        if is_process_person(self.person or ""):
            # A process holds no förordnande and is not asked for one: a person must not pass as one.
            raise InvalidInput(
                f"Person-id som börjar med '{PROCESS_PERSON_PREFIX}' hör till arbetsflödena, "
                "inte till personer.",
                field="person",
                rule="processens_id",
            )
        if self.correction is not None and not self.correction.strip():
            raise InvalidInput(
                "Ange skälet till rättelsen med --rattelse; det får inte vara tomt.",
                field="rattelse",
                rule="skal_kravs",
            )
        correction = {} if self.correction is None else {"correction": self.correction.strip()}
        return {
            "actor": self.position,
            "person": self.person,
            "command_id": self.command_id or None,
            "secrecy": self.secrecy,
            **correction,
        }


def today() -> str:
    return datetime.now(MUNICIPAL_TIME).date().isoformat()


def or_today(value: str | None) -> str:
    return value if value else today()


@dataclass(frozen=True)
class FollowUp:
    """What a recorded command brings with it beyond its own record, shown with its outcome:
    `lines` for people, `fields` added to the JSON."""

    lines: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)


def record(
    ctx: typer.Context,
    command_class: type[TCommand],
    handle: Callable[[Governance, TCommand], Outcome],
    who: Who,
    what: str,
    *,
    follow_up: Callable[[Governance, Outcome], FollowUp] | None = None,
    **fields: Any,
) -> Outcome:
    """Build the command, record it, log it and show the outcome (and what `follow_up` reads of
    its consequences); a refusal exits 1."""
    cli = session(ctx)
    with refusals(ctx):
        require_write(cli)
        identity = who.fields()
        # Ids may be typed as their unique start; the command gets the full ids.
        fields = resolve_ids(cli.governance, command_class, fields)
        command = parse_command(command_class, **identity, **fields)
        outcome = handle(cli.governance(), command)
        followed = follow_up(cli.governance(), outcome) if follow_up is not None else FollowUp()
    get_logger("lerum_flow.cli").info(
        "kommando",
        command=command_class.__name__,
        aggregate_id=str(outcome.id),
        recorded=outcome.recorded,
        version=outcome.version,
        actor=command.actor,
    )
    cli.output.outcome(outcome, printable(what), lines=followed.lines, fields=followed.fields)
    return outcome


@dataclass(frozen=True)
class Param:
    """One parameter of a generated command: its name, its Typer annotation and the field it fills."""

    name: str
    annotation: Any
    field: str
    default: Any = inspect.Parameter.empty


def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def id_command(
    command_class: type[TCommand],
    handle: Callable[[Governance, TCommand], Outcome],
    what: str,
    doc: str,
    *,
    target: Param,
    text: Param | None = None,
    date_field: str = "on",
) -> Callable[..., None]:
    """A command that records `command_class` for one ID, perhaps one text option, and a date.

    The options come in the order the hand-written commands use: the ID, a
    required text option, --as, an optional text option, --date, then
    --person, --command-id, --secrecy and --rattelse.
    """
    texts = [text] if text is not None else []
    text_params = [_parameter(t.name, t.annotation, t.default) for t in texts]
    text_required = text is not None and text.default is inspect.Parameter.empty

    def command(ctx: typer.Context, **options: Any) -> None:
        dated: dict[str, Any] = {date_field: or_today(options["date"])}
        record(
            ctx,
            command_class,
            handle,
            Who(
                options["as_position"],
                options["person"],
                options["command_id"],
                options["secrecy"],
                options["rattelse"],
            ),
            what,
            **{target.field: options[target.name]},
            **{t.field: options[t.name] for t in texts},
            **dated,
        )

    command.__doc__ = doc
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
            _parameter(target.name, target.annotation),
            *(text_params if text_required else []),
            _parameter("as_position", AsOption),
            *([] if text_required else text_params),
            _parameter("date", DateTodayOption, None),
            _parameter("person", PersonOption, None),
            _parameter("command_id", CommandIdOption, None),
            _parameter("secrecy", SecrecyOption, ""),
            _parameter("rattelse", RattelseOption, None),
        ]
    )
    return command
