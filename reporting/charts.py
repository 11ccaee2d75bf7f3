"""
Charts drawn on the server as SVG: lines of the monthly trend, bars per municipality. Each is
an image with a title and a description, and its numbers are in a table beside it. They draw
the dashboard's published numbers (reporting/reports.py), rounded like the tables, and nothing
else; a value not shown ("–") is drawn at zero.
"""

from dataclasses import dataclass

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 28, 16, 40
COLOURS = ["#0000bf", "#bd2719", "#008741"]  # HDS bus, brick, tram: AA contrast on white
DASHES = ["", "8 4", "2 3"]  # colour is not the only difference between the lines


def _value(value) -> int:
    return value if isinstance(value, int) else 0


def _scale(values) -> int:
    top = max([_value(v) for v in values] + [10])  # an empty chart still has 0, 5, 10
    step = 10 ** max(len(str(top)) - 1, 0)
    return ((top + step - 1) // step) * step


@dataclass
class LineChart:
    lines: list  # (label, colour, dash, "x,y x,y …")
    labels: list  # (x, text) along the bottom
    ticks: list  # (y, text) along the left
    width: int = WIDTH
    height: int = HEIGHT
    label_y: int = HEIGHT - BOTTOM + 22
    grid_left: int = LEFT
    grid_right: int = WIDTH - RIGHT


def line_chart(rows, series, label_of) -> LineChart:
    """`rows` of dicts; `series` of (key, label); `label_of(row)` for the x axis."""
    top = _scale([row[key] for row in rows for key, _label in series])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(rows) - 1, 1)

    def point(index, value):
        x = LEFT + index * step
        y = TOP + inner_h - inner_h * _value(value) / top
        return f"{x:.1f},{y:.1f}"

    lines = [(label, COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)],
              " ".join(point(i, row[key]) for i, row in enumerate(rows)))
             for n, (key, label) in enumerate(series)]
    labels = [(LEFT + i * step, label_of(row)) for i, row in enumerate(rows)]
    ticks = [(TOP + inner_h - inner_h * f, int(top * f)) for f in (0, 0.5, 1)]
    return LineChart(lines=lines, labels=labels, ticks=ticks)


@dataclass
class BarChart:
    bars: list  # Bar
    height: int
    width: int = WIDTH


@dataclass
class Bar:
    y: int
    width: float
    label: str
    value: object

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def value_x(self) -> float:
        return BAR_LEFT + self.width + 6


BAR_LEFT, BAR_ROW = 180, 26


MOST_BARS = 20  # a bar for each of the country's municipalities would be read by nobody


def bar_chart(rows, key, label_key) -> BarChart:
    """Bars of the rows with the largest values; the table beside the chart has them all."""
    rows = sorted(rows, key=lambda row: -_value(row[key]))[:MOST_BARS]
    top = _scale([row[key] for row in rows])
    bar_area = WIDTH - BAR_LEFT - 60
    bars = [Bar(TOP + i * BAR_ROW, bar_area * _value(row[key]) / top, row[label_key], row[key])
            for i, row in enumerate(rows)]
    return BarChart(bars=bars, height=TOP + BAR_ROW * len(rows) + 8)
