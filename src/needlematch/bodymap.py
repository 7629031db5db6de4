"""The body map as data: front and back views of the legs and lower back, row by row, and the place each row names.

`layout` lays it out as plain ASCII segments, each with what it is (a marked
place, a label, the figure), so it reads the same without colour:
`render.body_map` colours the segments on screen, and the report writes them
as they are. Nothing here imports a terminal library.
"""

from __future__ import annotations

from collections.abc import Iterable

# Each row: the front view's art, the place it names (on the left), the back
# view's art, and the place it names (on the right). Every art string is
# FIGURE_WIDTH wide. The front view shows the runner facing you.
FIGURE_WIDTH = 13
ROWS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("  _________  ", None, "  _________  ", None),
    (" /         \\ ", "hip", " |    |    | ", "lower-back"),
    (" \\___/ \\___/ ", "groin", " (___/ \\___) ", "buttock"),
    ("  |  | |  |  ", "thigh-front", "  |  | |  |  ", "thigh-back"),
    ("  |()| |()|  ", "knee", "  |--| |--|  ", None),
    ("  |  | |  |  ", "shin", "  (  ) (  )  ", "calf"),
    ("   ||   ||   ", "ankle", "   ||   ||   ", "achilles"),
    ("  /__\\ /__\\  ", "foot", "  (_o) (o_)  ", "heel"),
)
# Written beside the top row: which view is which.
TITLES = ("FRONT", "BACK")

# The places as the map names them: short, so that the drawing fits 80 columns.
LABELS: dict[str, str] = {
    "hip": "hip",
    "groin": "groin",
    "thigh-front": "front of thigh",
    "knee": "knee",
    "shin": "shin",
    "ankle": "ankle",
    "foot": "foot",
    "lower-back": "lower back",
    "buttock": "buttock",
    "thigh-back": "back of thigh",
    "calf": "calf",
    "achilles": "Achilles",
    "heel": "heel",
}

# How a marked place reads without colour: its name in capitals with an arrow
# pointing at the figure.
LEFT_MARK = "{label} >>"
RIGHT_MARK = "<< {label}"

GAP = "    "
LABEL_WIDTH = max(len(LEFT_MARK.format(label=label.upper())) for label in LABELS.values())

# What each segment is, for the one who colours it.
MARKED, LABEL, TITLE, FIGURE, FIGURE_MARKED, SPACE = (
    "marked",
    "label",
    "title",
    "figure",
    "figure-marked",
    "",
)
Segment = tuple[str, str]


def _label(place: str | None, marked: set[str], left: bool) -> Segment:
    if place is None:
        return "", SPACE
    label = LABELS[place]
    if place not in marked:
        return label, LABEL
    return (LEFT_MARK if left else RIGHT_MARK).format(label=label.upper()), MARKED


def layout(marked: Iterable[str] = ()) -> list[list[Segment]]:
    """The map, row by row, as (text, kind) segments; the places in `marked` in capitals with an arrow."""
    chosen = set(marked)
    rows: list[list[Segment]] = []
    for index, (front_art, front_place, back_art, back_place) in enumerate(ROWS):
        left = _label(front_place, chosen, left=True)
        right = _label(back_place, chosen, left=False)
        if index == 0:
            left, right = (f"({TITLES[0].lower()})", TITLE), (f"({TITLES[1].lower()})", TITLE)
        row = [
            (left[0].rjust(LABEL_WIDTH), left[1]),
            (" ", SPACE),
            (front_art, FIGURE_MARKED if front_place in chosen else FIGURE),
            (GAP, SPACE),
            (back_art, FIGURE_MARKED if back_place in chosen else FIGURE),
        ]
        if right[0]:
            row += [(" ", SPACE), right]
        rows.append(row)
    return rows


def lines(marked: Iterable[str] = ()) -> list[str]:
    """The map as plain lines, trailing spaces trimmed."""
    return ["".join(text for text, _ in row).rstrip() for row in layout(marked)]
