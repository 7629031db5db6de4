"""The questions `check` asks after the interview for the history, driven through a pipe."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from needlematch.interview import ask_pain_monitoring, ask_to_save

UP, DOWN, ENTER = "\x1b[A", "\x1b[B", "\r"


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


@pytest.mark.parametrize(("keys", "saved"), [(ENTER, False), (UP + ENTER, True)])
def test_save_defaults_to_no(pipe: PipeInput, keys: str, saved: bool) -> None:
    pipe.send_text(keys)
    assert ask_to_save("/tmp/history.db", input=pipe, output=DummyOutput()) is saved


def test_pain_during_and_the_next_morning(pipe: PipeInput) -> None:
    pipe.send_text(DOWN * 4 + ENTER + DOWN * 2 + ENTER)
    assert ask_pain_monitoring("knee", input=pipe, output=DummyOutput()) == (4, 2)


def test_pain_questions_can_be_skipped(pipe: PipeInput) -> None:
    pipe.send_text(DOWN * 3 + ENTER + UP + ENTER)  # "not yet" is last: Up from the top wraps
    assert ask_pain_monitoring("knee", input=pipe, output=DummyOutput()) == (3, None)
    pipe.send_text(UP + ENTER)
    assert ask_pain_monitoring("knee", input=pipe, output=DummyOutput()) == (None, None)
