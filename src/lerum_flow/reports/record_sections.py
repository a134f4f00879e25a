"""The report's sections on the record: avvikelser, delegated decisions and the årshjul's deadlines."""

from __future__ import annotations

from lerum_flow.domain.plan_steps import StepOutcome
from lerum_flow.level_names import level_name
from lerum_flow.reports.charts import bar_chart
from lerum_flow.reports.contents import Contents
from lerum_flow.reports.document_parts import (
    CATEGORY_NAMES,
    OUTCOME_COLOURS,
    Cell,
    References,
    Section,
    Table,
    day,
    group_name,
    percent,
)
from lerum_flow.reports.figures.arshjul import Deadline
from lerum_flow.reports.positions import PositionIndex
from lerum_flow.swedish_numbers import number


def avvikelser_section(contents: Contents, refs: References, window: str) -> Section:
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


def delegation_section(contents: Contents, refs: References, window: str) -> Section:
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
    return group_name(level_name(level), positions.sector_name(sector) if sector else "")


def _owed_by(positions: PositionIndex, deadline: Deadline) -> str:
    """Who owes a step: one position by name; several of one kind by their title and number
    ("Sektorschef, sektor lärande" and four more: "Sektorschef (5 st.)")."""
    name = positions.name(deadline.owed_by)
    if not deadline.owed_by_others:
        return name
    return f"{name.partition(', ')[0]} ({deadline.owed_by_others + 1} st.)"


def arshjul_section(contents: Contents, refs: References) -> Section:
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
    counts = [(o, sum(1 for d in contents.deadlines if d.outcome is o)) for o in StepOutcome]
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
