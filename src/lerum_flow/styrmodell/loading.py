"""Reading a styrmodell file and reporting everything wrong with it, in Swedish.

Every way a file can be wrong (unreadable, not UTF-8, broken TOML, a value of
the wrong type, a reference to a befattning that does not exist) ends as one
`StyrmodellInvalid` listing all problems found, so whoever edits the file can
fix it in one round instead of one error at a time.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from lerum_flow.domain.styrkedja import (
    ELECTED,
    ESTABLISHABLE_UNDER,
    OFFICIALS,
    ORGANS,
    PositionKind,
)
from lerum_flow.styrmodell.model import (
    ERROR_TYPE_PREFIX,
    Allvarlighetsgrad,
    Bedomningsniva,
    Befattning,
    Beslutsomrade,
    Dokumenttyp,
    Eskaleringsniva,
    Kind,
    Manad,
    Slug,
    Styrmodell,
    Uppfoljningsled,
)

_MODELLER = Path(__file__).parent / "modeller"
_SECTIONS = list(Styrmodell.model_fields)
# Close enough for 'ks-ordf' to suggest 'ks-ordforande', not for 'okand' to suggest 'kalender'.
_SUGGESTION_CUTOFF = 0.7


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where it is, and in Swedish what would be right."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class StyrmodellInvalid(Exception):  # noqa: N818 - the name is the agreed public API
    """A styrmodell cannot be used; `problems` lists everything found wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        # The problems are the only argument, so the exception survives pickling.
        super().__init__(list(problems))
        self.problems: list[Problem] = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


def load_styrmodell(path: Path) -> Styrmodell:
    """The styrmodell in a TOML file, or StyrmodellInvalid listing every problem in it."""
    return parse_styrmodell(_read_toml(path))


def validate_styrmodell_file(path: Path) -> list[Problem]:
    """Every problem in a styrmodell file; an empty list means it can be used."""
    try:
        load_styrmodell(path)
    except StyrmodellInvalid as invalid:
        return invalid.problems
    return []


def parse_styrmodell(data: object) -> Styrmodell:
    """A styrmodell from already-read data (a TOML document as a dict), fully checked."""
    model: Styrmodell | None = None
    problems: list[Problem] = []
    try:
        model = Styrmodell.model_validate(data)
    except ValidationError as error:
        problems = [_translate(details) for details in error.errors()]
    # Cross references are checked even when some values are broken, on the
    # parts that are whole, so one round of editing can fix everything.
    problems += _consistency_problems(_Parts.salvaged(data))
    if problems or model is None:
        raise StyrmodellInvalid(_in_file_order(problems))
    return model


def shipped_styrmodell_path(name: str = "lerum") -> Path:
    """The file of a styrmodell shipped with the engine, e.g. 'lerum' or 'norrvik'."""
    if name not in _shipped_names():
        raise StyrmodellInvalid(
            [
                Problem(
                    "modell",
                    f"Det finns ingen medföljande styrmodell '{name}'; "
                    f"välj en av: {', '.join(_shipped_names())}.",
                )
            ]
        )
    return _MODELLER / f"{name}.toml"


@cache
def default_styrmodell() -> Styrmodell:
    """Lerum's styrmodell, shipped with the engine and read once."""
    return load_styrmodell(shipped_styrmodell_path("lerum"))


def _shipped_names() -> list[str]:
    return sorted(path.stem for path in _MODELLER.glob("*.toml"))


def _in_file_order(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=_section_rank)


def _section_rank(problem: Problem) -> int:
    section = re.match(r"[a-z_]+", problem.location)
    if section and section.group() in _SECTIONS:
        return _SECTIONS.index(section.group())
    return len(_SECTIONS)


# --- Reading the file -------------------------------------------------------

_COORDINATES = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"
_SYNTAX_IN_SWEDISH = {
    "Invalid value": 'ogiltigt värde; text ska stå inom citattecken, t.ex. "Kommunstyrelsen"',
    "Invalid statement": "ogiltig rad; väntade 'nyckel = värde', [tabell] eller [[lista]]",
    "Expected '=' after a key": "'=' saknas efter nyckeln; en nyckel utan citattecken får bara "
    "innehålla a–z, A–Z, 0–9, '_' och '-' (inte å, ä, ö)",
    "Expected newline or end of document": "väntade radbrytning efter värdet",
    "Unterminated string": "texten saknar avslutande citattecken",
    # A line break inside "..." is how tomllib reports a missing closing quote.
    "Illegal character '\\n'": "texten saknar avslutande citattecken",
    "Illegal character": "otillåtet tecken i texten",
    "Unclosed array": "listan saknar avslutande ']'",
    "Unclosed inline table": "tabellen saknar avslutande '}'",
    "Cannot overwrite a value": "nyckeln har redan ett värde; ange varje nyckel en gång",
    "Cannot declare": "tabellen är redan deklarerad; ange den en gång",
    "Duplicate inline table key": "nyckeln finns redan i tabellen",
    "Expected ']' at the end": "']' saknas efter tabellens namn",
    "Expected ']]' at the end": "']]' saknas efter listans namn",
    "Invalid initial character for a key": "ogiltigt tecken i början av en nyckel",
    "Invalid date or datetime": "ogiltigt datum",
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise StyrmodellInvalid([Problem("fil", _unreadable(path, error))]) from None
    try:
        # utf-8-sig: some Windows editors put a byte order mark first.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StyrmodellInvalid([_not_utf8(raw, error.start)]) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StyrmodellInvalid([_syntax_problem(str(error), text)]) from None
    except RecursionError:
        raise StyrmodellInvalid(
            [
                Problem(
                    "fil",
                    "Värdena är för djupt nästlade för att läsas; en styrmodell behöver "
                    "bara några nivåer av tabeller och listor.",
                )
            ]
        ) from None


def _unreadable(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return f"Filen {path} finns inte."
    if isinstance(error, IsADirectoryError):
        return f"{path} är en katalog; ange en TOML-fil."
    if isinstance(error, PermissionError):
        return f"Behörighet saknas att läsa {path}."
    return f"Filen {path} kan inte läsas ({error.strerror or error})."


def _not_utf8(raw: bytes, start: int) -> Problem:
    line = raw.count(b"\n", 0, start) + 1
    column = start - (raw.rfind(b"\n", 0, start) + 1) + 1
    return Problem(
        f"rad {line}, kolumn {column}",
        f"Filen är inte giltig UTF-8 (byte 0x{raw[start]:02x}); spara den som UTF-8.",
    )


def _syntax_problem(message: str, text: str) -> Problem:
    coordinates = _COORDINATES.search(message)
    if coordinates:
        location = f"rad {coordinates[1]}, kolumn {coordinates[2]}"
        reason = message[: coordinates.start()]
    else:
        location = f"rad {text.count(chr(10)) + 1} (slutet av filen)"
        reason = message.removesuffix(_AT_END)
    swedish = next((sv for en, sv in _SYNTAX_IN_SWEDISH.items() if reason.startswith(en)), reason)
    return Problem(location, f"TOML-syntaxfel: {swedish}.")


# --- Translating pydantic's errors --------------------------------------------

_BOUNDS = {
    "greater_than": ("gt", "större än"),
    "greater_than_equal": ("ge", "minst"),
    "less_than": ("lt", "mindre än"),
    "less_than_equal": ("le", "högst"),
}


def _translate(error: ErrorDetails) -> Problem:
    loc = tuple(error["loc"])
    return Problem(_location(loc), _message(error, loc))


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(hela filen)"


def _message(error: ErrorDetails, loc: tuple[int | str, ...]) -> str:
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    value = error["input"]
    if kind.startswith(ERROR_TYPE_PREFIX):
        return error["msg"]
    if kind == "missing":
        return f"'{loc[-1]}' saknas; ange {_describe(_annotation_at(loc), loc[-1])}."
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind in ("enum", "literal_error"):
        allowed = ", ".join(re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
        return f"{_show(value)} är inte tillåtet; välj ett av: {allowed}."
    if kind in _BOUNDS:
        bound, words = _BOUNDS[kind]
        return f"Ska vara {words} {ctx.get(bound)}, inte {_show(value)}."
    if kind == "string_too_short":
        return "Får inte vara tomt."
    if kind == "too_short":
        return f"Får inte vara tom; ange minst {ctx.get('min_length')}."
    if kind.endswith("_type"):
        expected = _describe(_annotation_at(loc), loc[-1] if loc else None)
        return f"Ska vara {expected}, inte {_kind_of(value)}."
    return f"Ogiltigt värde {_show(value)} ({kind})."


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    key = str(loc[-1])
    owner = _annotation_at(loc[:-1])
    allowed = list(owner.model_fields) if _is_model(owner) else []
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=_SUGGESTION_CUTOFF)
    hint = f"menade du '{close[0]}'? " if close else ""
    return f"Okänd nyckel '{key}'; {hint}tillåtna nycklar här: {', '.join(allowed)}."


def _annotation_at(loc: tuple[int | str, ...]) -> Any:
    """The declared type at a location in the file, or None if the location is not declared."""
    annotation: Any = Styrmodell
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            if get_origin(annotation) is not list:
                return None
            annotation = get_args(annotation)[0]
        elif _is_model(annotation) and part in annotation.model_fields:
            annotation = annotation.model_fields[part].annotation
        else:
            return None
    return _unwrap(annotation)


def _unwrap(annotation: Any) -> Any:
    """The type itself, without Annotated metadata or the `| None` of an optional key."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            present = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(present) != 1:
                return annotation
            annotation = present[0]
        else:
            return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _describe(annotation: Any, key: object = None) -> str:
    if _is_model(annotation):
        return f"en tabell med nycklarna {', '.join(annotation.model_fields)}"
    if get_origin(annotation) is list:
        item = _unwrap(get_args(annotation)[0])
        if _is_model(item) and isinstance(key, str):
            return f"en lista av tabeller, [[{key}]], med nycklarna {', '.join(item.model_fields)}"
        return f"en lista [...] där varje värde är {_describe(item)}"
    if get_origin(annotation) is Literal:
        return "ett av värdena " + ", ".join(f"'{arg}'" for arg in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "ett av värdena " + ", ".join(f"'{member.value}'" for member in annotation)
    if annotation is bool:
        return "true eller false"
    if annotation is int:
        return "ett heltal"
    if annotation is str:
        return "en text inom citattecken"
    return "ett giltigt värde"


def _kind_of(value: object) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, bool):
        return f"ett sanningsvärde ({_show(value)})"
    if isinstance(value, int | float | str):
        name = {int: "ett heltal", float: "ett decimaltal"}.get(type(value), "en text")
        return f"{name} ({_show(value)})"
    if isinstance(value, list | tuple):
        return "en lista"
    if isinstance(value, dict):
        return "en tabell"
    if isinstance(value, date | datetime | time):
        return f"ett datum eller klockslag ({value.isoformat()})"
    return f"ett värde av typen {type(value).__name__}"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value[:40]}…'" if len(value) > 40 else f"'{value}'"
    if isinstance(value, int) and abs(value) > 10**15:
        # str() of a huge int raises ValueError (the 4300 digit limit).
        return "ett mycket stort tal"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "en lista"
    if isinstance(value, dict):
        return "en tabell"
    return f"ett värde av typen {type(value).__name__}"


# --- Cross references ---------------------------------------------------------

_T = TypeVar("_T")

_BEFATTNING: TypeAdapter[Befattning] = TypeAdapter(Befattning)
_BEDOMNINGSNIVA: TypeAdapter[Bedomningsniva] = TypeAdapter(Bedomningsniva)
_BESLUTSOMRADE: TypeAdapter[Beslutsomrade] = TypeAdapter(Beslutsomrade)
_DOKUMENTTYP: TypeAdapter[Dokumenttyp] = TypeAdapter(Dokumenttyp)
_ALLVARLIGHETSGRAD: TypeAdapter[Allvarlighetsgrad] = TypeAdapter(Allvarlighetsgrad)
_ESKALERINGSNIVA: TypeAdapter[Eskaleringsniva] = TypeAdapter(Eskaleringsniva)
_UPPFOLJNINGSLED: TypeAdapter[Uppfoljningsled] = TypeAdapter(Uppfoljningsled)
_KIND: TypeAdapter[PositionKind] = TypeAdapter(Kind)
_SLUG: TypeAdapter[str] = TypeAdapter(Slug)
_MANAD: TypeAdapter[int] = TypeAdapter(Manad)

# Escalation climbs the chain: officials from the bottom up, then organs, then KF.
_RANK = {
    PositionKind.MEDARBETARE: 0,
    PositionKind.CHEF: 1,
    PositionKind.SEKTORSCHEF: 2,
    PositionKind.FORVALTNINGSCHEF: 3,
    PositionKind.FULLMAKTIGE: 5,
}
_ORGAN_RANK = 4


@dataclass(frozen=True)
class _Section(Generic[_T]):
    """The items of a list that are valid on their own, with their index in the file."""

    items: list[tuple[int, _T]]
    complete: bool
    listed: bool = True

    @classmethod
    def salvaged(cls, raw: object, adapter: TypeAdapter[_T]) -> _Section[_T]:
        if not isinstance(raw, list):
            return cls([], complete=False, listed=False)
        items: list[tuple[int, _T]] = []
        for index, item in enumerate(raw):
            try:
                items.append((index, adapter.validate_python(item)))
            except ValidationError:
                continue
        return cls(items, complete=len(items) == len(raw))


@dataclass(frozen=True)
class _Parts:
    """What of a file is whole enough to check references on."""

    befattning: _Section[Befattning]
    ids_in_file: frozenset[str]
    nivaer_under: _Section[PositionKind]
    bedomningsskala: _Section[Bedomningsniva]
    beslutsomraden: _Section[Beslutsomrade]
    dokumenttyper: _Section[Dokumenttyp]
    allvarlighetsgrader: _Section[Allvarlighetsgrad]
    avvikelsekategorier: _Section[str]
    eskalering: _Section[Eskaleringsniva]
    uppfoljningsmanader: _Section[int]
    uppfoljningsled: _Section[Uppfoljningsled]

    @classmethod
    def salvaged(cls, data: object) -> _Parts:
        top: Mapping[Any, Any] = data if isinstance(data, dict) else {}
        kalender = top.get("kalender")
        kal: Mapping[Any, Any] = kalender if isinstance(kalender, dict) else {}
        nivaer = top.get("nivaer_under", [PositionKind.CHEF, PositionKind.MEDARBETARE])
        return cls(
            befattning=_Section.salvaged(top.get("befattning"), _BEFATTNING),
            ids_in_file=_ids_written(top.get("befattning")),
            nivaer_under=_Section.salvaged(nivaer, _KIND),
            bedomningsskala=_Section.salvaged(top.get("bedomningsskala"), _BEDOMNINGSNIVA),
            beslutsomraden=_Section.salvaged(top.get("beslutsomraden"), _BESLUTSOMRADE),
            dokumenttyper=_Section.salvaged(top.get("dokumenttyper"), _DOKUMENTTYP),
            allvarlighetsgrader=_Section.salvaged(top.get("allvarlighetsgrader"), _ALLVARLIGHETSGRAD),
            avvikelsekategorier=_Section.salvaged(top.get("avvikelsekategorier"), _SLUG),
            eskalering=_Section.salvaged(top.get("eskalering"), _ESKALERINGSNIVA),
            uppfoljningsmanader=_Section.salvaged(kal.get("uppfoljningsmanader"), _MANAD),
            uppfoljningsled=_Section.salvaged(kal.get("uppfoljningsled"), _UPPFOLJNINGSLED),
        )


def _ids_written(raw: object) -> frozenset[str]:
    """Ids of every befattning in the file, even broken ones, so that a reference
    to a broken befattning is not also reported as unknown."""
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(item["id"] for item in raw if isinstance(item, dict) and isinstance(item.get("id"), str))


class _Chain:
    """The befattningar by id, for following references."""

    def __init__(self, parts: _Parts) -> None:
        self.items = parts.befattning.items
        self.by_id: dict[str, Befattning] = {}
        for _, befattning in self.items:
            self.by_id.setdefault(befattning.id, befattning)
        self.known = frozenset(self.by_id) | parts.ids_in_file
        # Without a list of befattningar there is nothing to check references against.
        self.listed = parts.befattning.listed
        # Whether every `under` leads somewhere: only then can the shape of the
        # chain (who lies directly under whom) be judged.
        self.resolved = parts.befattning.complete and all(
            b.under is None or b.under in self.by_id for _, b in self.items
        )
        # Whether every kind present in the file is known: only then can a
        # missing kind be reported.
        self.kinds: frozenset[PositionKind] | None = None
        if parts.befattning.complete and parts.nivaer_under.complete:
            self.kinds = frozenset(b.slag for _, b in self.items) | frozenset(
                kind for _, kind in parts.nivaer_under.items
            )

    def get(self, ref: str | None) -> Befattning | None:
        return None if ref is None else self.by_id.get(ref)

    def unknown(self, location: str, ref: str) -> Iterator[Problem]:
        if ref in self.known or not self.listed:
            return
        close = difflib.get_close_matches(ref, sorted(self.known), n=1, cutoff=_SUGGESTION_CUTOFF)
        hint = f"menade du '{close[0]}'?" if close else f"befintliga: {', '.join(sorted(self.known))}."
        yield Problem(location, f"'{ref}' finns inte bland befattningarna; {hint}")

    def missing_kind(self, location: str, kind: str) -> Iterator[Problem]:
        # A file without fullmäktige already has a problem at its root; saying
        # so again at every reference to the kind would bury it.
        if kind == PositionKind.FULLMAKTIGE:
            return
        if self.kinds is not None and kind not in self.kinds:
            yield Problem(
                location,
                f"Ingen befattning av slaget '{kind}' finns i styrmodellen; "
                f"slag som finns: {', '.join(sorted(self.kinds))}.",
            )


def _consistency_problems(parts: _Parts) -> list[Problem]:
    chain = _Chain(parts)
    return [
        *_duplicate_values("befattning", parts.befattning, lambda b: b.id, ".id"),
        *_reference_problems(chain),
        *_root_problems(chain, complete=parts.befattning.complete),
        *_cycle_problems(chain),
        *_chair_problems(chain),
        *_placement_problems(chain),
        *_nivaer_under_problems(parts.nivaer_under),
        *_duplicate_values("bedomningsskala", parts.bedomningsskala, lambda n: n.kod, ".kod"),
        *_duplicate_values("beslutsomraden", parts.beslutsomraden, lambda o: o.kod, ".kod"),
        *_innehavare_problems(chain, parts.beslutsomraden),
        *_duplicate_values("dokumenttyper", parts.dokumenttyper, lambda d: d.kod, ".kod"),
        *_antas_av_problems(chain, parts.dokumenttyper),
        *_duplicate_values("allvarlighetsgrader", parts.allvarlighetsgrader, lambda g: g.kod, ".kod"),
        *_direkt_till_problems(parts.allvarlighetsgrader, parts.eskalering),
        *_duplicate_values("avvikelsekategorier", parts.avvikelsekategorier, str, ""),
        *_eskalering_problems(chain, parts.eskalering),
        *_duplicate_values("kalender.uppfoljningsmanader", parts.uppfoljningsmanader, str, ""),
        *_uppfoljningsled_problems(chain, parts.uppfoljningsled),
    ]


def _duplicate_values(section: str, items: _Section[_T], key: Any, field: str) -> Iterator[Problem]:
    first: dict[str, int] = {}
    for index, item in items.items:
        value = key(item)
        if value in first:
            yield Problem(
                f"{section}[{index}]{field}",
                f"'{value}' finns redan i {section}[{first[value]}]; varje värde får förekomma en gång.",
            )
        else:
            first[value] = index


def _reference_problems(chain: _Chain) -> Iterator[Problem]:
    for index, befattning in chain.items:
        if befattning.under is not None:
            yield from chain.unknown(f"befattning[{index}].under", befattning.under)


def _root_problems(chain: _Chain, *, complete: bool) -> Iterator[Problem]:
    roots = [(index, b) for index, b in chain.items if b.under is None]
    if not roots:
        # With a broken befattning the missing root may be that one.
        if complete and chain.items:
            yield Problem(
                "befattning",
                "Ingen befattning saknar 'under'; exakt en, av slaget 'fullmaktige', ska vara "
                "roten i styrkedjan.",
            )
    else:
        root_index, root = next(((i, b) for i, b in roots if b.slag is PositionKind.FULLMAKTIGE), roots[0])
        if root.slag is not PositionKind.FULLMAKTIGE:
            yield Problem(
                f"befattning[{root_index}].slag",
                f"'{root.id}' saknar 'under' och är därmed roten, men är av slaget '{root.slag}'; "
                "roten ska vara av slaget 'fullmaktige'.",
            )
        for index, befattning in roots:
            if index != root_index:
                yield Problem(
                    f"befattning[{index}].under",
                    f"Saknas: bara roten '{root.id}' får sakna 'under'; ange vilken befattning "
                    f"'{befattning.id}' ligger under.",
                )
    for index, befattning in chain.items:
        if befattning.slag is PositionKind.FULLMAKTIGE and befattning.under is not None:
            yield Problem(
                f"befattning[{index}].under",
                "Fullmäktige är roten i styrkedjan och ska inte ha 'under'.",
            )


def _cycle_problems(chain: _Chain) -> Iterator[Problem]:
    """Each cycle once, at the member that comes first in the file."""
    in_reported_cycle: set[str] = set()
    for index, start in chain.items:
        if start.id in in_reported_cycle or chain.by_id.get(start.id) is not start:
            continue
        path = [start.id]
        current = start
        while (parent := chain.get(current.under)) is not None:
            if parent.id == start.id:
                in_reported_cycle.update(path)
                yield Problem(
                    f"befattning[{index}].under",
                    f"'{start.id}' ligger under sig själv: {' → '.join([*path, start.id])}; "
                    "kedjan uppåt ska sluta i fullmäktige.",
                )
                break
            if parent.id in path:
                break  # leads into a cycle it is not part of; reported from that cycle
            path.append(parent.id)
            current = parent


def _chair_problems(chain: _Chain) -> Iterator[Problem]:
    for index, organ in chain.items:
        if organ.ordforande is None:
            continue
        location = f"befattning[{index}].ordforande"
        if organ.slag not in ORGANS:
            yield Problem(location, f"Bara organ har ordförande; '{organ.id}' är av slaget '{organ.slag}'.")
            continue
        chair = chain.get(organ.ordforande)
        if chair is None:
            yield from chain.unknown(location, organ.ordforande)
            continue
        if chair.slag is not PositionKind.FORTROENDEVALD:
            yield Problem(
                location,
                f"'{chair.id}' är av slaget '{chair.slag}'; ordföranden ska vara en befattning "
                "av slaget 'fortroendevald'.",
            )
        if chair.under != organ.id:
            yield Problem(
                location,
                f"'{chair.id}' ligger under '{chair.under}'; ordföranden ska ligga direkt under "
                f"'{organ.id}'.",
            )


def _placement_problems(chain: _Chain) -> Iterator[Problem]:
    for index, befattning in chain.items:
        if befattning.ledamoter is not None and befattning.slag not in ORGANS:
            yield Problem(
                f"befattning[{index}].ledamoter",
                f"Bara organ har ledamöter; '{befattning.id}' är av slaget '{befattning.slag}'.",
            )
        parent = chain.get(befattning.under)
        if parent is None:
            continue
        if befattning.slag in ELECTED and parent.slag in OFFICIALS:
            yield Problem(
                f"befattning[{index}].under",
                f"'{befattning.id}' ({befattning.slag}) är politiskt vald och kan inte ligga under "
                f"'{parent.id}' ({parent.slag}), som är tjänsteperson; lägg den under ett organ.",
            )
        if befattning.slag in OFFICIALS and parent.slag is PositionKind.FORTROENDEVALD:
            yield Problem(
                f"befattning[{index}].under",
                f"'{befattning.id}' är tjänsteperson och lyder under ett organ, inte under en "
                f"enskild förtroendevald som '{parent.id}'.",
            )


def _nivaer_under_problems(nivaer: _Section[PositionKind]) -> Iterator[Problem]:
    yield from _duplicate_values("nivaer_under", nivaer, str, "")
    for index, kind in nivaer.items:
        if kind not in ESTABLISHABLE_UNDER:
            yield Problem(
                f"nivaer_under[{index}]",
                f"'{kind}' inrättas inte under styrkedjan; här hör bara "
                f"{', '.join(ESTABLISHABLE_UNDER)} hemma, övriga anges som [[befattning]].",
            )


def _innehavare_problems(chain: _Chain, omraden: _Section[Beslutsomrade]) -> Iterator[Problem]:
    for index, omrade in omraden.items:
        location = f"beslutsomraden[{index}].innehavare"
        holder = chain.get(omrade.innehavare)
        if holder is None:
            yield from chain.unknown(location, omrade.innehavare)
        elif holder.slag not in ORGANS:
            yield Problem(
                location,
                f"'{holder.id}' är av slaget '{holder.slag}'; innehavaren ska vara ett organ "
                "(fullmäktige, styrelse, nämnd ...) som har ärendet genom lag eller reglemente.",
            )


def _antas_av_problems(chain: _Chain, typer: _Section[Dokumenttyp]) -> Iterator[Problem]:
    for index, typ in typer.items:
        for position, kind in enumerate(typ.antas_av):
            yield from chain.missing_kind(f"dokumenttyper[{index}].antas_av[{position}]", kind)


def _direkt_till_problems(
    grader: _Section[Allvarlighetsgrad], eskalering: _Section[Eskaleringsniva]
) -> Iterator[Problem]:
    if not eskalering.complete:
        return
    levels = [niva.slag for _, niva in eskalering.items]
    for index, grad in grader.items:
        if grad.direkt_till is not None and grad.direkt_till not in levels:
            yield Problem(
                f"allvarlighetsgrader[{index}].direkt_till",
                f"'{grad.direkt_till}' är ingen nivå i eskaleringen; välj en av: {', '.join(levels)}.",
            )


def _eskalering_problems(chain: _Chain, eskalering: _Section[Eskaleringsniva]) -> Iterator[Problem]:
    yield from _duplicate_values("eskalering", eskalering, lambda n: n.slag, ".slag")
    previous: tuple[int, PositionKind] | None = None
    for index, niva in eskalering.items:
        location = f"eskalering[{index}].slag"
        yield from chain.missing_kind(location, niva.slag)
        rank = _RANK.get(niva.slag, _ORGAN_RANK)
        if previous is not None and rank < _RANK.get(previous[1], _ORGAN_RANK):
            yield Problem(
                location,
                f"Eskaleringen går nerifrån och upp: '{niva.slag}' kan inte komma efter "
                f"'{previous[1]}' (eskalering[{previous[0]}]).",
            )
        previous = (index, niva.slag)


def _uppfoljningsled_problems(chain: _Chain, led: _Section[Uppfoljningsled]) -> Iterator[Problem]:
    for index, edge in led.items:
        location = f"kalender.uppfoljningsled[{index}]"
        if edge.fran is edge.till:
            yield Problem(
                location,
                f"'fran' och 'till' är båda '{edge.fran}'; uppföljning går till befattningen ovanför.",
            )
        elif chain.kinds is not None and chain.resolved and not _is_edge(chain, edge):
            yield Problem(
                location,
                f"Ingen befattning av slaget '{edge.fran}' ligger direkt under en av slaget "
                f"'{edge.till}'; uppföljning går längs styrkedjan, till befattningen närmast ovanför.",
            )


def _is_edge(chain: _Chain, edge: Uppfoljningsled) -> bool:
    kinds = chain.kinds or frozenset()
    if edge.fran not in {b.slag for _, b in chain.items}:
        # A kind established at run time: it can only be placed where allowed.
        allowed = ESTABLISHABLE_UNDER.get(edge.fran, frozenset())
        return edge.fran in kinds and edge.till in allowed and edge.till in kinds
    return any(
        b.slag is edge.fran and (parent := chain.get(b.under)) is not None and parent.slag is edge.till
        for _, b in chain.items
    )
