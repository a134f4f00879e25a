"""A report's contents as the templates read them: Swedish names, formatted numbers and references.

Pure: the same contents give the same document. Every count becomes a cell
that links to its entry under "Underlag", which names what was counted and
the ids of the records (as many as fit; the rest are named by the selection).
"""

from __future__ import annotations

from lerum_flow.reports.contents import Contents
from lerum_flow.reports.document_parts import AUDIENCE, Document, References, day
from lerum_flow.reports.goal_sections import goal_lines, goals_section, uppdrag_section
from lerum_flow.reports.period import ReportKind
from lerum_flow.reports.record_sections import arshjul_section, avvikelser_section, delegation_section
from lerum_flow.swedish_numbers import number


def document_of(contents: Contents, *, command: str) -> Document:
    """The document; `command` is the command line that makes the same report again."""
    record = contents.record
    refs = References()
    window = f"{day(record.period.start)}–{day(min(record.period.end, record.on))}"
    sections = (
        goals_section(contents, refs),
        uppdrag_section(contents, refs, window),
        avvikelser_section(contents, refs, window),
        delegation_section(contents, refs, window),
        arshjul_section(contents, refs),
    )
    as_of = record.provenance.as_of
    provenance = (
        ("Läget per", day(as_of.on)),
        ("Känt per", day(as_of.known_on) if as_of.known_on else "allt som var registrerat vid framtagandet"),
        ("Händelseloggen till och med position", number(record.provenance.position)),
        ("Styrmodell (sha256)", record.provenance.model_digest[:16]),
    )
    return Document(
        title=record.period.name,
        kommun=record.styrmodell.kommun.namn,
        subtitle=_subtitle(contents),
        window=window,
        sections=sections,
        goals=goal_lines(contents),
        scale=tuple((s.symbol, s.label) for s in contents.scale),
        references=tuple(refs.entries),
        provenance=provenance,
        again=command,
    )


def _subtitle(contents: Contents) -> str:
    record = contents.record
    if record.scope is not None:
        return f"{record.positions.sector_name(record.scope)}, till kommundirektören"
    if record.period.kind is ReportKind.MANAD:
        return AUDIENCE.get(record.audience, AUDIENCE["ks"])
    return "Kommunstyrelsen till kommunfullmäktige och revisorerna"
