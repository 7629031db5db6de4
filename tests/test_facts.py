"""Age, sex and how long it has hurt, read from a runner's own words (facts.py, through understand)."""

from __future__ import annotations

import pytest

from needlematch.facts import duration_band, read_facts
from needlematch.parse import understand


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("I'm 52 and my knee hurts", 52, None),
        ("my 11-year-old son has heel pain", 11, "male"),
        ("47F, knee pain", 47, "female"),
        ("M, 34. Shin pain", 34, "male"),
        ("asking for my son, hes 10", 10, "male"),
        ("she's 12 and plays netball", 12, None),
        ("Mid 50s, been running most of my life", 55, None),
        ("late 40s female runner", 48, "female"),
        ("In my forties now, I ran my first marathon", 45, None),
        ("woman in my fifties, I started running last year", 55, None),
        ("in my sixties, hip pain", 65, None),
        ("in my late forties", 48, None),
        ("I am a 45 year old woman", 45, "female"),
        ("female, 28, marathoner", 28, "female"),
        ("28 yo male", 28, "male"),
        ("19 F, shin pain in one spot", 19, "female"),
        ("Jo's 11, mad about rugby, and his heel hurts", 11, None),
        ("I'm a senior in high school and I run cross country", 17, None),
        ("my daughter is a high school sophomore", 15, "female"),
        ("I'm a freshman and started cross country this year", 14, None),
        ("I'm a senior in college and my shin hurts", None, None),
        ("My dd is 13 and was just diagnosed", 13, "female"),
        ("my ds is 11 and his heel hurts", 11, "male"),
        ("I turned 60 earlier this year and my knees hurt", 60, None),
        ("54 here, been doing 20-30 miles a week for 35 years", 54, None),
        ("When I was fourteen my knee was sore after rugby", 14, None),
        ("I'm 18 now. When I was 12 I got a pain in my knee", 18, None),
        ("when I was 20 minutes in, my calf went", None, None),
        ("It's 11 miles to work and my heel hurts", None, None),
        ("hey all, 45 m, marathoner here", 45, "male"),
        ("sprints, 60 m then an easy jog", None, None),
        ("46, male, marathons", 46, "male"),
        ("Son, 12, started running club", 12, "male"),
        ("my daughter (12) has knee pain", 12, "female"),
        ("I'm a male runner", None, "male"),
        ("In sixth or seventh grade I got pain in my knee", 12, None),
        ("My nephew Leo (13, soccer mad) came limping off", 13, "male"),
        ("my 15 yo niece has a sore knee", 15, "female"),
        ("my son runs, 12 miles a week", None, "male"),
        ("My lad is 13 and lives for soccer", 13, "male"),
        ("my teenager, 15, has shin pain", 15, None),
        ("my son plays U11 football and his heels hurt", 10, "male"),
        ("My lad is football mad, plays U11 for two teams", 10, "male"),
    ],
)
def test_age_and_sex_are_read(text: str, age: int | None, sex: str | None) -> None:
    symptoms = understand(text).symptoms
    assert (symptoms.age, symptoms.sex) == (age, sex)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 10 km into a run when it starts",
        "I'm 5 weeks into training",
        "it hurts 7/10",
        "I ran the 60m dash",
        "it was mid 50s at the start of the race",
        "he's 10 minutes away",
        "he's 6 foot tall",
        "In my early twenties, after my babies, I was carrying extra pounds",
        "In my early thirties I started training for a triathlon",
        "I ran 800 m, 10 times",
        "the 34.5 km mark",
    ],
)
def test_numbers_that_are_not_ages_are_left_alone(text: str) -> None:
    facts = read_facts(text.lower())
    assert facts.age is None
    assert facts.sex is None


def test_an_age_is_not_read_as_a_pain_score() -> None:
    symptoms = understand("47F, knee pain, 6/10").symptoms
    assert symptoms.age == 47
    assert symptoms.severity == 6


@pytest.mark.parametrize(
    ("text", "duration"),
    [
        ("pain for 3 weeks", "weeks"),
        ("I have had this for about two months", "months"),
        ("the past few days", "days"),
        ("6 months now", "longer"),
        ("it started three weeks ago", "weeks"),
        ("since last year", "longer"),
        ("about five years ago I fell", None),
        ("knee ache for ages", "longer"),
        ("it flares for a day or two after a long run", None),
        ("a niggle in my hamstring for months", "months"),
        ("my shin has hurt for weeks now", "weeks"),
        ("I trained for months for this race and now my knee hurts", None),
    ],
)
def test_duration_is_read(text: str, duration: str | None) -> None:
    assert understand(text).symptoms.duration == duration


def test_duration_bands_follow_the_interface() -> None:
    assert [duration_band(days) for days in (1, 6, 7, 42, 43, 92, 93)] == [
        "days",
        "days",
        "weeks",
        "weeks",
        "months",
        "months",
        "longer",
    ]
