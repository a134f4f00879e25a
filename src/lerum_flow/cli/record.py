"""What every recording command shares: its options, who records, and the one function that
records a command, so each command module only says which command it builds."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, ParamSpec, TypedDict, TypeVar

import typer

from lerum_flow.application import Governance, Outcome
from lerum_flow.cli.context import refusals, require_write, session
from lerum_flow.cli.ids import resolve_ids
from lerum_flow.commands import Command, parse_command
from lerum_flow.domain.acting import PROCESS_PERSON_PREFIX, is_process_person
from lerum_flow.domain.errors import InvalidInput
from lerum_flow.logs import get_logger
from lerum_flow.municipal_time import municipal_today
from lerum_flow.text_safety import printable

TCommand = TypeVar("TCommand", bound=Command)
P = ParamSpec("P")


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


class Identity(TypedDict):
    """Who records, in which position, and how the record is identified and classified: the
    fields every command shares, given to a command's typed constructor as `**who(...)`."""

    actor: str
    person: str | None
    command_id: str | None
    secrecy: str
    # Why this command corrects the record after the fact (--rattelse); None when it does not.
    correction: str | None


def who(
    position: str,
    person: str | None,
    command_id: str | None = None,
    secrecy: str = "",
    correction: str | None = None,
) -> Identity:
    return {
        "actor": position,
        "person": person,
        "command_id": command_id or None,
        "secrecy": secrecy,
        "correction": correction,
    }


def check_correction(correction: object) -> None:
    """A correction is said with its reason: an empty --rattelse is no reason."""
    if isinstance(correction, str) and not correction.strip():
        raise InvalidInput(
            "Ange skälet till rättelsen med --rattelse; det får inte vara tomt.",
            field="rattelse",
            rule="skal_kravs",
        )


def check_person(person: object) -> None:
    """A command is recorded by a named person, never by one passing as a process."""
    if not isinstance(person, str) or not person.strip():
        raise InvalidInput(
            f"Ange vem som handlar: --person ID (ett pseudonymt person-id) eller "
            f"miljövariabeln {PERSON_ENV}.",
            field="person",
            rule="person_kravs",
        )
    if is_process_person(person):
        # A process holds no förordnande and is not asked for one: a person must not pass as one.
        raise InvalidInput(
            f"Person-id som börjar med '{PROCESS_PERSON_PREFIX}' hör till arbetsflödena, inte till personer.",
            field="person",
            rule="processens_id",
        )


def today() -> str:
    return municipal_today().isoformat()


def or_today(value: str | None) -> str:
    """The day given, else today; a day given empty (an unset shell variable) is refused, not today."""
    return today() if value is None else value


@dataclass(frozen=True)
class FollowUp:
    """What a recorded command brings with it beyond its own record, shown with its outcome:
    `lines` for people, `fields` added to the JSON."""

    lines: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)


def record(
    ctx: typer.Context,
    handle: Callable[[Governance, TCommand], Outcome],
    what: str,
    command_class: Callable[P, TCommand],
    *args: P.args,
    **fields: P.kwargs,
) -> Outcome:
    """Build the command from its typed constructor's fields, record it, log it and show the
    outcome; a refusal exits 1. mypy checks every field name against the command class."""
    return record_following(ctx, handle, what, None, command_class, *args, **fields)


def record_following(
    ctx: typer.Context,
    handle: Callable[[Governance, TCommand], Outcome],
    what: str,
    follow_up: Callable[[Governance, Outcome], FollowUp] | None,
    command_class: Callable[P, TCommand],
    *args: P.args,
    **fields: P.kwargs,
) -> Outcome:
    """`record`, also showing what `follow_up` reads of the command's consequences."""
    return record_fields(ctx, handle, what, follow_up, command_class, fields)


def record_fields(
    ctx: typer.Context,
    handle: Callable[[Governance, TCommand], Outcome],
    what: str,
    follow_up: Callable[[Governance, Outcome], FollowUp] | None,
    command_class: Callable[..., TCommand],
    fields: Mapping[str, Any],
) -> Outcome:
    """What `record` does, for fields named by data (`id_command` generates its commands)."""
    cli = session(ctx)
    with refusals(ctx):
        check_person(fields.get("person"))
        check_correction(fields.get("correction"))
        # Ids may be typed as their unique start; the command gets the full ids.
        resolved = resolve_ids(cli.governance, command_class, fields)
        # The command is parsed before the store is asked whether it may be written, so that
        # a malformed command refused on an empty data folder leaves no store files behind.
        command = parse_command(command_class, **resolved)
        require_write(cli)
        outcome = handle(cli.governance(), command)
        followed = follow_up(cli.governance(), outcome) if follow_up is not None else FollowUp()
    get_logger("lerum_flow.cli").info(
        "kommando",
        command=type(command).__name__,
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
        identity = who(
            options["as_position"],
            options["person"],
            options["command_id"],
            options["secrecy"],
            options["rattelse"],
        )
        fields = {target.field: options[target.name], **{t.field: options[t.name] for t in texts}, **dated}
        record_fields(ctx, handle, what, None, command_class, {**identity, **fields})

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
