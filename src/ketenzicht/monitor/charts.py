"""Charts drawn on the server: Vega-Lite specs (Altair) rendered to SVG by vl-convert.

Each SVG is made an image for assistive technology (``role="img"`` with a title and a
description); the data table next to it carries the numbers. Element ids inside the SVG
get a per-chart prefix, so several charts on one page never share an id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from typing import Any

import altair as alt
import vl_convert as vlc
from markupsafe import Markup

FONT = "Arial, Helvetica, sans-serif"
COLOURS = ["#01689b", "#e17000", "#39870c", "#a90061", "#673327", "#8fcae7"]


@dataclass
class Chart:
    """An SVG with the table behind it and where to download that table as CSV."""

    id: str
    title: str
    description: str
    svg: Markup
    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    csv_url: str
    notes: list[str] = field(default_factory=list)


@lru_cache(maxsize=128)
def _render(spec_json: str) -> str:
    return str(vlc.vegalite_to_svg(json.loads(spec_json)))


def to_svg(chart: alt.TopLevelMixin, chart_id: str, title: str, description: str) -> Markup:
    """Render ``chart`` and make it an accessible image."""
    spec = chart.to_dict()
    spec.setdefault("config", {}).update({"aria": False, "font": FONT})
    svg = _render(json.dumps(spec, sort_keys=True))
    # Vega still gives mark containers ARIA roles; inside one role="img" they only confuse
    # assistive technology (and axe asks each for a text alternative), so they go.
    svg = re.sub(r' (role="graphics-[a-z]+"|aria-roledescription="[^"]*")', "", svg)
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{chart_id}-{m.group(1)}"', svg)
    svg = svg.replace("url(#", f"url(#{chart_id}-")
    head = (f'<svg role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'focusable="false" ')
    svg = svg.replace("<svg ", head, 1)
    first_close = svg.index(">") + 1
    meta = (f'<title id="{chart_id}-title">{escape(title)}</title>'
            f'<desc id="{chart_id}-desc">{escape(description)}</desc>')
    return Markup(svg[:first_close] + meta + svg[first_close:])  # noqa: S704 - escaped above


def bars(data: list[dict[str, Any]], *, x: str, y: str, label: str, x_title: str,
         y_title: str, colour: str | None = None, colour_title: str = "",
         sort: Sequence[str] | None = None, horizontal: bool = False) -> alt.LayerChart:
    """Bars with their shown value (e.g. "<5") written at the end of each bar."""
    frame = alt.Data(values=data)  # type: ignore[no-untyped-call]
    cat_enc = alt.X if not horizontal else alt.Y
    val_enc = alt.Y if not horizontal else alt.X
    cat = cat_enc(f"{x}:N", title=x_title, sort=list(sort) if sort else None,
                  axis=alt.Axis(labelAngle=0, labelLimit=160))
    val = val_enc(f"{y}:Q", title=y_title)
    enc: dict[str, Any] = {"x" if not horizontal else "y": cat,
                           "y" if not horizontal else "x": val}
    if colour:
        enc["color"] = alt.Color(f"{colour}:N", title=colour_title,
                                 scale=alt.Scale(range=COLOURS),
                                 legend=alt.Legend(orient="bottom", labelLimit=480))
        enc["xOffset" if not horizontal else "yOffset"] = alt.XOffset(f"{colour}:N") \
            if not horizontal else alt.YOffset(f"{colour}:N")
    base = alt.Chart(frame).encode(**enc)
    mark = base.mark_bar(color=COLOURS[0]) if not colour else base.mark_bar()
    text = base.mark_text(
        align="left" if horizontal else "center", baseline="middle" if horizontal else "bottom",
        dx=3 if horizontal else 0, dy=0 if horizontal else -3, color="#222").encode(
        text=alt.Text(f"{label}:N"))
    return alt.LayerChart(layer=[mark, text]).properties(
        width=520, height=max(200, 22 * len(data)) if horizontal else 260)


def intervals(data: list[dict[str, Any]], *, x_title: str, y_title: str,
              colour_title: str) -> alt.LayerChart:
    """Point estimates with their interval per year, one colour per stratum."""
    frame = alt.Data(values=data)  # type: ignore[no-untyped-call]
    x = alt.X("year:O", title=x_title, axis=alt.Axis(labelAngle=0))
    colour = alt.Color("stratum:N", title=colour_title, scale=alt.Scale(range=COLOURS),
                       legend=alt.Legend(orient="bottom"))
    offset = alt.XOffset("stratum:N")
    rule = alt.Chart(frame).mark_rule(strokeWidth=2).encode(
        x=x, xOffset=offset, y=alt.Y("low:Q", title=y_title), y2="high:Q", color=colour)
    point = alt.Chart(frame).mark_point(filled=True, size=70).encode(
        x=x, xOffset=offset, y="estimate:Q", color=colour,
        shape=alt.Shape("stratum:N", legend=None))
    return alt.LayerChart(layer=[rule, point]).properties(width=520, height=280)
