"""A report's contents as the templates read them: Swedish names, formatted numbers and references.

Pure: the same contents give the same document. Every count becomes a cell
that links to its entry under "Underlag", which names what was counted and
the ids of the records (as many as fit; the rest are named by the selection).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from babel.dates import format_date
from babel.numbers import format_percent

from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.reports.charts import Chart, bar_chart, grouped_bar_chart
from lerum_flow.reports.contents import Contents
from lerum_flow.reports.figures.arshjul import Deadline, Outcome
from lerum_flow.reports.figures.counted import Counted
from lerum_flow.reports.figures.maluppfyllelse import Goal, by_assessment
from lerum_flow.reports.figures.uppdrag_counts import COLUMNS, total
from lerum_flow.reports.period import ReportKind
from lerum_flow.reports.positions import PositionIndex, level_name, level_rank
from lerum_flow.swedish_numbers import LOCALE, THOUSANDS, number

# Ids listed under one entry of the Underlag; a larger count is named by its selection and its first ids.
LISTED_IDS = 20
ID_DIGITS = 8
OUTCOME_COLOURS = {
    Outcome.IN_TIME: "#2e7d32",
    Outcome.LATE: "#f9a825",
    Outcome.MISSED: "#c62828",
    Outcome.COMING: "#757575",
}
SERIES_COLOURS = ("#1565c0", "#2e7d32", "#6a1b9a", "#c62828")
CATEGORY_NAMES = {
    "ekonomi": "Ekonomi",
    "verksamhet": "Verksamhet",
    "kvalitet": "Kvalitet",
    "arbetsmiljo": "Arbetsmiljö",
    "sakerhet": "Säkerhet",
    "ovrigt": "Övrigt",
}
AUDIENCE = {
    "ks": "Kommundirektören till kommunstyrelsen",
    "kommundirektor": "Sektorscheferna till kommundirektören",
}


def day(value: date | None) -> str:
    """ISO 8601, as Swedish readers and the records write a day (sv_SE's short date form)."""
    return format_date(value, format="short", locale=LOCALE) if value else "–"


def long_day(value: date) -> str:
    return format_date(value, format="long", locale=LOCALE)


def percent(part: int, whole: int) -> str:
    if whole == 0:
        return "–"
    return format_percent(part / whole, format="#,##0 %", locale=LOCALE).replace("\xa0", THOUSANDS)


@dataclass(frozen=True)
class Cell:
    text: str
    ref: str = ""
    numeric: bool = False


@dataclass(frozen=True)
class Reference:
    anchor: str
    what: str
    count: int
    ids: tuple[str, ...]


@dataclass
class References:
    """The Underlag: one entry per traced count, numbered in the order the document shows them."""

    entries: list[Reference] = field(default_factory=list)

    def cell(self, counted: Counted, what: str) -> Cell:
        if counted.value == 0:
            return Cell(number(0), numeric=True)
        anchor = f"underlag-{len(self.entries) + 1}"
        ids = tuple(str(i)[:ID_DIGITS] for i in counted.records[:LISTED_IDS])
        self.entries.append(Reference(anchor, what, counted.value, ids))
        return Cell(number(counted.value), ref=anchor, numeric=True)

    def record(self, record_id: object, text: str, what: str) -> Cell:
        anchor = f"underlag-{len(self.entries) + 1}"
        self.entries.append(Reference(anchor, what, 1, (str(record_id)[:ID_DIGITS],)))
        return Cell(text, ref=anchor)


@dataclass(frozen=True)
class Table:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric_from: int = 1
    anchor: str = ""


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    intro: str
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]


@dataclass(frozen=True)
class GoalLine:
    anchor: str
    depth: int
    title: str
    kind: str
    recipient: str
    symbol: str
    label: str
    rank: int
    text: str
    reported_on: str
    trend: str
    trend_text: str
    short_id: str


@dataclass(frozen=True)
class Document:
    title: str
    kommun: str
    subtitle: str
    window: str
    sections: tuple[Section, ...]
    goals: tuple[GoalLine, ...]
    scale: tuple[tuple[str, str], ...]
    references: tuple[Reference, ...]
    provenance: tuple[tuple[str, str], ...]
    again: str


def document_of(contents: Contents, *, command: str) -> Document:
    """The document; `command` is the command line that makes the same report again."""
    record = contents.record
    refs = References()
    window = f"{day(record.period.start)}–{day(min(record.period.end, record.on))}"
    sections = (
        _goals_section(contents, refs),
        _uppdrag_section(contents, refs, window),
        _avvikelser_section(contents, refs, window),
        _delegation_section(contents, refs, window),
        _arshjul_section(contents, refs),
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
        goals=_goal_lines(contents),
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


def listed_goals(contents: Contents) -> list[Goal]:
    """The mål and uppdrag listed one by one: down to the sectors in a report on the whole
    municipality (those further down are counted in its summary), all of them in a sector's."""
    if contents.record.scope is not None:
        return list(contents.goals)
    positions = contents.record.positions
    deepest = level_rank(PositionKind.SEKTORSCHEF)
    return [g for g in contents.goals if level_rank(positions.placement(g.recipient).level) <= deepest]


def _goal_lines(contents: Contents) -> tuple[GoalLine, ...]:
    positions = contents.record.positions
    return tuple(
        GoalLine(
            anchor=f"post-{str(g.id)[:ID_DIGITS]}",
            depth=min(g.depth, 6),
            title=g.title,
            kind="Mål" if g.kind == "mal" else "Uppdrag",
            recipient=positions.name(g.recipient),
            symbol=g.latest.symbol,
            label=g.latest.label,
            rank=g.latest.rank,
            text=g.text,
            reported_on=day(g.reported_on),
            trend=" ".join(p.scale.symbol for p in g.trend),
            trend_text=", ".join(f"{p.period or day(p.reported_on)}: {p.scale.label}" for p in g.trend)
            or "Ingen återrapportering i år",
            short_id=str(g.id)[:ID_DIGITS],
        )
        for g in listed_goals(contents)
    )


def _goals_section(contents: Contents, refs: References) -> Section:
    summary = by_assessment(contents.goals, contents.scale)
    whole = len(contents.goals)
    chart = bar_chart(
        "maluppfyllelse",
        "Mål och uppdrag per bedömning",
        [(f"{step.symbol} {step.label}", count.value, step.colour) for step, count in summary],
        value_title="Antal",
        category_title="Bedömning",
    )
    chart = replace(chart, data_in="tabell-bedomningar")
    table = Table(
        "Mål och uppdrag per senaste bedömning",
        ("Bedömning", "Antal", "Andel"),
        tuple(
            (
                Cell(f"{step.symbol} {step.label}"),
                refs.cell(count, f"Mål och uppdrag vars senaste bedömning är {step.label.lower()}"),
                Cell(percent(count.value, whole), numeric=True),
            )
            for step, count in summary
        ),
        anchor="tabell-bedomningar",
    )
    return Section(
        "maluppfyllelse",
        "Måluppfyllelse",
        "Varje mål och uppdrag från kommunfullmäktige och nedåt som gällde under året, med den senaste "
        "bedömningen på styrmodellens skala och bedömningarna vid årets uppföljningar (trend). "
        + (
            ""
            if contents.record.scope is not None
            else "Diagrammet räknar alla; listan visar dem ned till sektorerna (en sektors månadsrapport "
            "listar sektorns alla)."
        ),
        (chart,),
        (table,),
    )


def _uppdrag_section(contents: Contents, refs: References, window: str) -> Section:
    positions = contents.record.positions
    lines = contents.uppdrag
    labels = [
        _group(level_name(line.level), positions.sector_name(line.sector) if line.sector else "")
        for line in lines
    ]
    names = [title for _, title in COLUMNS]
    rows = []
    for label, line in zip(labels, lines, strict=True):
        rows.append(
            (
                Cell(label),
                *(
                    refs.cell(getattr(line, key), f"Uppdrag till {label}, givna {window}: {title.lower()}")
                    for key, title in COLUMNS
                ),
            )
        )
    whole = total(lines)
    rows.append(
        (
            Cell("Totalt"),
            *(
                refs.cell(getattr(whole, key), f"Alla uppdrag givna {window}: {t.lower()}")
                for key, t in COLUMNS
            ),
        )
    )
    # The chart sums each level over its sectors (the table beside it has them one by one).
    levels = list(dict.fromkeys(line.level for line in lines))
    charted = [key for key, _ in COLUMNS if key in ("given", "reported", "completed", "late")]
    chart = grouped_bar_chart(
        "uppdrag",
        "Uppdrag per nivå",
        [level_name(level) for level in levels],
        [
            (
                title,
                colour,
                [sum(getattr(line, key).value for line in lines if line.level == level) for level in levels],
            )
            for (key, title), colour in zip(
                [c for c in COLUMNS if c[0] in charted], SERIES_COLOURS, strict=True
            )
        ],
        group_title="Mottagarens nivå",
    )
    return Section(
        "uppdrag",
        "Uppdrag",
        f"Uppdrag givna {window}, efter mottagarens nivå och sektor. Försenade: sista dag passerad utan "
        f"godkänd rapport, per {day(contents.record.on)}. Mottagna räknar inte återkallade uppdrag.",
        (chart,),
        (Table(f"Uppdrag givna {window}", ("Mottagare", *names), tuple(rows)),),
    )


def _group(level: str, sector: str) -> str:
    return f"{level}, {sector}" if sector else level


def _avvikelser_section(contents: Contents, refs: References, window: str) -> Section:
    figures = contents.avvikelser
    model = contents.record.styrmodell
    severity_names = [(g.namn if (g := model.allvarlighetsgrad(s)) else s) for s in figures.severities]
    category_rows = tuple(
        (
            Cell(_category(line.category)),
            *(
                refs.cell(c, f"Avvikelser {window}, {_category(line.category).lower()}, {n.lower()}")
                for c, n in zip(line.by_severity, severity_names, strict=True)
            ),
            refs.cell(line.total, f"Avvikelser {window}, {_category(line.category).lower()}"),
        )
        for line in figures.categories
    )
    ack_rows = tuple(
        (
            Cell(level_name(line.level)),
            refs.cell(line.reached, f"Avvikelser {window} som nådde nivån {level_name(line.level).lower()}"),
            refs.cell(
                line.acknowledged, f"Avvikelser {window} kvitterade av {level_name(line.level).lower()}"
            ),
            Cell(_hours(line.median_hours), numeric=True),
            Cell(_hours(line.longest_hours), numeric=True),
            refs.cell(
                line.passed_on_unacknowledged,
                f"Avvikelser {window} som gick vidare okvitterade från {level_name(line.level).lower()}",
            ),
            refs.cell(
                line.waiting,
                f"Avvikelser {window} som väntar på kvittens hos {level_name(line.level).lower()}",
            ),
        )
        for line in figures.acknowledgement
    )
    closure = figures.closure
    closure_rows = (
        (
            Cell("Stängda efter beslutad åtgärd"),
            refs.cell(closure.with_action, f"Avvikelser {window} stängda efter beslutad åtgärd"),
        ),
        (
            Cell("Stängda utan beslutad åtgärd"),
            refs.cell(closure.without_action, f"Avvikelser {window} stängda utan beslutad åtgärd"),
        ),
        (Cell("Öppna"), refs.cell(closure.open, f"Avvikelser {window} som är öppna")),
        (
            Cell("Nådde kommunstyrelsen"),
            refs.cell(figures.reached.ks, f"Avvikelser {window} som nådde kommunstyrelsen"),
        ),
        (
            Cell("Nådde kommunfullmäktige"),
            refs.cell(figures.reached.kf, f"Avvikelser {window} som nådde kommunfullmäktige"),
        ),
    )
    chart = bar_chart(
        "avvikelser",
        "Avvikelser per kategori",
        [(_category(line.category), line.total.value, "#1565c0") for line in figures.categories],
        value_title="Antal",
        category_title="Kategori",
    )
    ack_chart = bar_chart(
        "kvittens",
        "Mediantid till kvittens per nivå (timmar)",
        [
            (level_name(line.level), round(line.median_hours or 0, 1), "#6a1b9a")
            for line in figures.acknowledgement
        ],
        value_title="Timmar",
        category_title="Nivå",
        decimals=1,
    )
    return Section(
        "avvikelser",
        "Avvikelser",
        f"Avvikelser som inträffade {window}: per kategori och allvarlighetsgrad, hur länge varje nivå tog "
        "på sig att kvittera (från att avvikelsen nådde nivån), hur de stängdes och vilka som nådde "
        "kommunstyrelsen och fullmäktige.",
        (chart, ack_chart),
        (
            Table(
                "Avvikelser per kategori och allvarlighetsgrad",
                ("Kategori", *severity_names, "Totalt"),
                category_rows,
            ),
            Table(
                "Tid till kvittens per nivå",
                (
                    "Nivå",
                    "Nådde nivån",
                    "Kvitterade",
                    "Median (timmar)",
                    "Längst (timmar)",
                    "Vidare okvitterade",
                    "Väntar",
                ),
                ack_rows,
            ),
            Table("Hur avvikelserna hanterades", ("Utfall", "Antal"), closure_rows),
        ),
    )


def _category(code: str) -> str:
    return CATEGORY_NAMES.get(code, code)


def _hours(value: float | None) -> str:
    return number(value, 1) if value is not None else "–"


def _delegation_section(contents: Contents, refs: References, window: str) -> Section:
    record = contents.record
    model = record.styrmodell
    rows = []
    for line in contents.delegation:
        area = model.beslutsomrade(line.matter)
        matter = area.namn if area else line.matter or "–"
        who = _delegate_name(record.positions, line.delegate)
        what = f"Delegeringsbeslut {window} av {who}, {matter.lower()}"
        rows.append(
            (
                Cell(who),
                Cell(matter),
                refs.cell(line.taken, what),
                refs.cell(line.reported, f"{what}, anmälda"),
                refs.cell(line.unreported, f"{what}, ej anmälda"),
                Cell(percent(line.reported.value, line.taken.value), numeric=True),
            )
        )
    taken = sum(line.taken.value for line in contents.delegation)
    reported = sum(line.reported.value for line in contents.delegation)
    chart = bar_chart(
        "delegering",
        "Delegeringsbeslut: anmälda och ej anmälda",
        [("Anmälda", reported, "#2e7d32"), ("Ej anmälda", taken - reported, "#c62828")],
        value_title="Antal",
        category_title="Anmälan",
    )
    return Section(
        "delegering",
        "Delegeringsbeslut",
        f"Beslut fattade med stöd av delegering {window}, per delegat och beslutsområde, och om de har "
        f"anmälts till det delegerande organet (per {day(record.on)}).",
        (chart,),
        (
            Table(
                "Delegeringsbeslut per delegat och område",
                ("Delegat", "Område", "Fattade", "Anmälda", "Ej anmälda", "Andel anmälda"),
                tuple(rows),
                numeric_from=2,
            ),
        ),
    )


def _delegate_name(positions: PositionIndex, delegate: str) -> str:
    """A delegate, or a group of them ("level/sector") as a report on the whole municipality shows them."""
    level, slash, sector = delegate.partition("/")
    if not slash:
        return positions.name(delegate)
    return _group(level_name(level), positions.sector_name(sector) if sector else "")


def _owed_by(positions: PositionIndex, deadline: Deadline) -> str:
    """Who owes a step: one position by name; several of one kind by their title and number
    ("Sektorschef, sektor lärande" and four more: "Sektorschef (5 st.)")."""
    name = positions.name(deadline.owed_by)
    if not deadline.owed_by_others:
        return name
    return f"{name.partition(', ')[0]} ({deadline.owed_by_others + 1} st.)"


def _arshjul_section(contents: Contents, refs: References) -> Section:
    record = contents.record
    rows = tuple(
        (
            Cell(d.what),
            Cell(_owed_by(record.positions, d)),
            Cell(day(d.by)),
            Cell(d.outcome.value.capitalize()),
            refs.record(d.record, day(d.answered_on), f"{d.what}: beslutet eller uppdraget som besvarade den")
            if d.record
            else Cell(day(d.answered_on)),
        )
        for d in contents.deadlines
    )
    counts = [(o, sum(1 for d in contents.deadlines if d.outcome is o)) for o in Outcome]
    chart = bar_chart(
        "arshjul",
        "Årshjulets tidpunkter",
        [(o.value.capitalize(), n, OUTCOME_COLOURS[o]) for o, n in counts],
        value_title="Antal",
        category_title="Utfall",
    )
    return Section(
        "arshjul",
        "Årshjulet",
        f"Beslut, rapporter och månadsrapporter som årshjulet kräver senast en dag "
        f"{day(record.period.start)}–{day(record.period.end)}: i tid, för sent, missade, eller kommande "
        f"per {day(record.on)}.",
        (chart,),
        (
            Table(
                "Årshjulets tidpunkter",
                ("Vad", "Av vem", "Senast", "Utfall", "Besvarat"),
                rows,
                numeric_from=99,
            ),
        ),
    )
