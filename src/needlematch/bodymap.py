"""The body map as data: front and back views of the legs and lower back, row by row, and the place each row names.

`render.body_map` draws it (plain ASCII, so it reads the same without colour);
this module only says what is where.
"""

from __future__ import annotations

# Each row: the front view's art, the place it names (on the left), the back
# view's art, and the place it names (on the right). Every art string is
# FIGURE_WIDTH wide. The front view shows the runner facing you.
FIGURE_WIDTH = 13
ROWS: tuple[tuple[str, str | None, str, str | None], ...] = (
    ("  _________  ", None, "  _________  ", None),
    (" /         \\ ", "hip", " |    |    | ", "lower-back"),
    (" \\___/ \\___/ ", "groin", " (___/ \\___) ", "buttock"),
    ("  |  | |  |  ", "thigh-front", "  |  | |  |  ", "thigh-back"),
    ("  |  | |  |  ", None, "  |  | |  |  ", None),
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
