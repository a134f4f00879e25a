"""The report's sections on goals: måluppfyllelse line by line, and the uppdrag counted per level."""

from __future__ import annotations

from dataclasses import replace

from lerum_flow.domain.styrkedja import PositionKind
from lerum_flow.level_names import level_name
from lerum_flow.reports.charts import bar_chart, grouped_bar_chart
from lerum_flow.reports.contents import Contents
from lerum_flow.reports.document_parts import (
    ID_DIGITS,
    SERIES_COLOURS,
    Cell,
    GoalLine,
    References,
    Section,
    Table,
    day,
    group_name,
    percent,
)
from lerum_flow.reports.figures.maluppfyllelse import Goal, by_assessment
from lerum_flow.reports.figures.uppdrag_counts import COLUMNS, total
from lerum_flow.reports.positions import level_rank


def listed_goals(contents: Contents) -> list[Goal]:
    """The mål and uppdrag listed one by one: down to the sectors in a report on the whole
    municipality (those further down are counted in its summary), all of them in a sector's."""
    if contents.record.scope is not None:
        return list(contents.goals)
    positions = contents.record.positions
    deepest = level_rank(PositionKind.SEKTORSCHEF)
    return [g for g in contents.goals if level_rank(positions.placement(g.recipient).level) <= deepest]


def goal_lines(contents: Contents) -> tuple[GoalLine, ...]:
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


def goals_section(contents: Contents, refs: References) -> Section:
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


def uppdrag_section(contents: Contents, refs: References, window: str) -> Section:
    positions = contents.record.positions
    lines = contents.uppdrag
    labels = [
        group_name(level_name(line.level), positions.sector_name(line.sector) if line.sector else "")
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
