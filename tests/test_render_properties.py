"""Whatever a runner types, the screen shows it as written: markup and control characters are inert."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from needlematch import render
from needlematch.catalogue import load_catalogue
from needlematch.engine import assess
from needlematch.parse import understand
from needlematch.printable import printable
from needlematch.report import markdown_report

CATALOGUE = load_catalogue()
MARKUP = st.sampled_from(
    ["[bold]", "[/]", "[/bold]", "[red on white]", "[link=https://x.example]", ":smile:", "[", "]"]
)
words = st.lists(st.one_of(MARKUP, st.text(min_size=1, max_size=12)), max_size=12).map(" ".join)


def _shown(text: str) -> str:
    buffer = io.StringIO()
    render.console(no_color=True, file=buffer).print(render.literal(text), soft_wrap=True)
    return buffer.getvalue()


@settings(max_examples=200)
@given(words)
def test_user_text_prints_literally(text: str) -> None:
    shown = _shown(text)
    assert "\x1b" not in shown
    # Tabs become spaces and lines may wrap; every other character stays as typed.
    assert shown.split() == printable(text).split()


@settings(max_examples=100)
@given(words)
def test_any_description_renders_and_reports_without_error(text: str) -> None:
    result = assess(understand(text).symptoms, CATALOGUE)
    buffer = io.StringIO()
    screen = render.console(no_color=True, file=buffer)
    screen.print(render.understood_line(result))
    screen.print(render.ranking_table(result))
    assert "\x1b" not in buffer.getvalue()
    report = markdown_report(result, CATALOGUE)
    assert "\x1b" not in report and report.startswith("# needlematch")


def test_markup_in_a_description_is_shown_as_typed() -> None:
    assert _shown("[bold]knee[/bold] pain :smile:").strip() == "[bold]knee[/bold] pain :smile:"
    assert _shown("\x1b[31mred\x1b[0m").strip() == "\\x1b[31mred\\x1b[0m"
