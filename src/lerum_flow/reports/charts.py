"""The report's charts: Vega-Lite specifications from the figures, drawn to SVG offline by vl-convert.

Every chart carries a text alternative and the table of its data, which the
templates show beside it: a reader who cannot see the picture reads the same
numbers. Marks are labelled with their values, so colour is never the only
carrier of meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import altair as alt
import vl_convert

from lerum_flow.swedish_numbers import number

LOCALE: Final = "sv-SE"
FONT = "DejaVu Sans"
WIDTH = 520


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    alt: str
    svg: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # The id of a table of the document that already holds this chart's data (then not repeated).
    data_in: str = ""
    # Nothing to draw (no values, or only zeros): the report says so in words instead of an empty plot.
    empty: bool = False


def bar_chart(
    key: str,
    title: str,
    values: Sequence[tuple[str, int | float, str]],
    *,
    value_title: str,
    category_title: str,
    decimals: int = 0,
) -> Chart:
    """Horizontal bars, one per (label, value, colour), each labelled with its value."""
    data = [{"kategori": label, "varde": value, "farg": colour} for label, value, colour in values]
    order = [label for label, _, _ in values]
    fmt = f",.{decimals}f"
    base = alt.Chart({"values": data}).encode(
        y=alt.Y("kategori:N", sort=order, title=category_title),
        x=alt.X("varde:Q", title=value_title, axis=_value_axis(fmt, [v for _, v, _ in values], decimals)),
    )
    bars = base.mark_bar().encode(color=alt.Color("farg:N", scale=None, legend=None))
    labels = base.mark_text(align="left", dx=3, font=FONT).encode(text=alt.Text("varde:Q", format=fmt))
    spec = (bars + labels).properties(width=WIDTH - 200, title=title)
    shown = [(label, number(value, decimals) if decimals else number(value)) for label, value, _ in values]
    summary = "; ".join(f"{label}: {value}" for label, value in shown)
    empty = not any(value for _, value, _ in values)
    return Chart(
        key=key,
        title=title,
        alt=_alt(title, summary),
        svg="" if empty else render(spec.to_dict()),
        columns=(category_title, value_title),
        rows=tuple(shown),
        empty=empty,
    )


def grouped_bar_chart(
    key: str,
    title: str,
    groups: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[int]]],
    *,
    group_title: str,
) -> Chart:
    """Bars per group, one per series (name, colour, value per group), side by side and labelled."""
    data = [
        {"grupp": group, "serie": name, "varde": values[i], "farg": colour}
        for name, colour, values in series
        for i, group in enumerate(groups)
    ]
    names = [name for name, _, _ in series]
    colours = [colour for _, colour, _ in series]
    # Each bar says which series it is: the legend's colour is never the only key.
    base = (
        alt.Chart({"values": data})
        .transform_calculate(etikett="datum.serie + ' ' + format(datum.varde, ',.0f')")
        .encode(
            y=alt.Y("grupp:N", sort=list(groups), title=group_title),
            yOffset=alt.YOffset("serie:N", sort=names),
            x=alt.X(
                "varde:Q", title="Antal", axis=_value_axis(",.0f", [v for _, _, vs in series for v in vs], 0)
            ),
        )
    )
    bars = base.mark_bar().encode(
        color=alt.Color(
            "serie:N",
            sort=names,
            scale=alt.Scale(domain=names, range=colours),
            legend=alt.Legend(title=None, orient="bottom"),
        )
    )
    labels = base.mark_text(align="left", dx=3, font=FONT, fontSize=9).encode(text="etikett:N")
    spec = (bars + labels).properties(width=WIDTH - 220, title=title)
    rows = tuple((group, *(number(values[i]) for _, _, values in series)) for i, group in enumerate(groups))
    summary = "; ".join(
        f"{group}: " + ", ".join(f"{name.lower()} {number(values[i])}" for name, _, values in series)
        for i, group in enumerate(groups)
    )
    empty = not any(value for _, _, values in series for value in values)
    return Chart(
        key=key,
        title=title,
        alt=_alt(title, summary),
        svg="" if empty else render(spec.to_dict()),
        columns=(group_title, *names),
        rows=rows,
        empty=empty,
    )


def _value_axis(fmt: str, values: Sequence[int | float], decimals: int) -> alt.Axis:
    """The value axis. Counts up to ten get a tick at every whole number: Vega's own ticks fall on
    halves there (`tickMinStep` notwithstanding), which whole-number labels showed as "0 1 1"."""
    top = max(values, default=0)
    if decimals == 0 and 0 < top <= 10:
        return alt.Axis(format=fmt, values=list(range(int(top) + 1)))
    return alt.Axis(format=fmt, tickMinStep=1)


def _alt(title: str, summary: str) -> str:
    """The chart in words: what it shows and every value it draws."""
    return f"Stapeldiagram, {title.lower()}. " + (
        f"{summary}." if summary else "Inga uppgifter under perioden."
    )


def render(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite specification, drawn offline with Swedish number and date formats."""
    config = {"font": FONT, "background": "white", "view": {"stroke": None}}
    spec = {**spec, "config": {**spec.get("config", {}), **config}}
    svg = vl_convert.vegalite_to_svg(spec, format_locale=LOCALE, time_format_locale=LOCALE)
    return str(svg)
