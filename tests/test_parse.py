"""Free text -> Symptoms: lay words, negation, typos, pain scores and unrecognised words."""

from __future__ import annotations

import pytest

from needlematch.parse import Understanding, understand
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import TERMS


def present(text: str) -> set[str]:
    return set(understand(text).symptoms.present())


def absent(text: str) -> set[str]:
    return set(understand(text).symptoms.absent)


# --- the public shape ---------------------------------------------------------------------------


def test_understanding_holds_symptoms_and_keeps_the_original_text() -> None:
    text = "Sharp pain in my KNEE"
    result = understand(text)
    assert isinstance(result, Understanding)
    assert isinstance(result.symptoms, Symptoms)
    assert result.symptoms.text == text
    assert result.symptoms.where == ["knee"]
    assert result.unrecognised == []


def test_understanding_is_frozen() -> None:
    result = understand("knee")
    with pytest.raises(ValueError):
        result.unrecognised = ["x"]  # type: ignore[misc]


def test_empty_text_understands_nothing() -> None:
    result = understand("")
    assert result.symptoms.is_empty()
    assert result.unrecognised == []


# --- the combined example from the issue ---------------------------------------------------------


def test_a_full_it_band_description() -> None:
    symptoms = understand(
        "sharp burning pain on the outside of my knee after about 4 km, worse downhill"
    ).symptoms
    assert symptoms.where == ["knee"]
    assert symptoms.part == ["outer"]
    assert symptoms.feels == ["sharp", "burning"]
    assert symptoms.when == ["during-run"]
    assert symptoms.triggers == ["downhill"]
    assert symptoms.absent == []


# --- one lay phrase per dimension -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # where / part
        ("my kneecap hurts", {"knee"}),
        ("pain in my arch", {"foot", "under"}),
        ("the sitting bone is sore", {"buttock"}),
        ("outside of my knee", {"knee", "outer"}),
        ("inner shin", {"shin", "inner"}),
        ("along the inside of my shin bone", {"shin", "inner"}),
        ("bottom of my heel", {"heel", "under"}),
        ("back of my heel", {"heel", "back"}),
        ("back of my ankle", {"achilles", "back"}),
        ("my achilles tendon", {"achilles"}),
        ("top of my foot", {"foot", "top"}),
        ("my hamstrings", {"thigh-back"}),
        ("my quads", {"thigh-front"}),
        ("pain in my glutes", {"buttock"}),
        ("my lower back", {"lower-back"}),
        ("my back hurts too", {"lower-back"}),
        ("tight calves", {"calf", "tightness"}),
        ("side of my hip", {"hip", "outer"}),
        ("behind the kneecap", {"knee", "around"}),
        ("hurts all around the knee", {"knee", "around"}),
        ("both knees", {"knee", "both-sides"}),
        ("both of my shins", {"shin", "both-sides"}),
        # when
        ("first thing in the morning", {"morning"}),
        ("when I get out of bed", {"morning"}),
        ("at the start of a run", {"start-of-run"}),
        ("for the first mile", {"start-of-run"}),
        ("after 3 miles", {"during-run"}),
        ("20 minutes into a run", {"during-run"}),
        ("after long runs", {"after-run", "long-runs"}),
        ("the next day", {"next-day"}),
        ("even at rest", {"at-rest"}),
        ("it wakes me at night", {"night-pain", "at-night"}),
        ("it's there all the time", {"all-the-time"}),
        # feels
        ("a dull ache", {"dull-ache"}),
        ("stabbing pain", {"stabbing"}),
        ("shooting down my leg", {"shooting"}),
        ("stiff and throbbing", {"stiffness", "throbbing"}),
        ("tender to touch", {"tenderness"}),
        ("it hurts when I press on it", {"tenderness"}),
        # triggers
        ("worse going downstairs", {"stairs"}),
        ("worse downhill", {"downhill"}),
        ("running up hills", {"uphill"}),
        ("squatting and kneeling", {"squatting"}),
        ("after sitting for a long time", {"sitting-long"}),
        ("hurts when hopping", {"hopping"}),
        ("during intervals and tempo", {"speed-work", "during-run"}),
        ("since I upped my mileage", {"mileage-increase"}),
        ("I increased my weekly distance a lot", {"mileage-increase"}),
        ("I switched to new shoes", {"new-shoes"}),
        ("mostly on concrete", {"hard-surface"}),
        # onset
        ("it came on gradually", {"gradual"}),
        ("started suddenly while sprinting", {"sudden", "sprinting"}),
        ("got worse over a few weeks", {"gradual"}),
        # signs
        ("tingling in my toes", {"numbness", "foot"}),
        ("pins and needles", {"numbness"}),
        ("can't put weight on it", {"cannot-bear-weight"}),
        ("unable to bear weight", {"cannot-bear-weight"}),
        ("I heard a pop", {"pop"}),
        ("felt like being kicked in the back of the leg", {"pop", "back"}),
        ("like someone kicked me in the achilles", {"pop", "achilles"}),
        ("short of breath", {"breathless"}),
        ("missed periods", {"weight-loss"}),
        ("hot and swollen", {"redness-warmth", "swelling"}),
        ("it clicks and locks", {"clicking", "locking"}),
        ("my knee gives way", {"knee", "giving-way"}),
        ("one spot on the bone hurts", {"point-tenderness"}),
        ("I'm limping", {"limping"}),
        ("feverish and unwell", {"fever"}),
        ("foot goes cold and pale", {"cold-foot"}),
        ("trouble controlling my bladder", {"bladder-bowel"}),
    ],
)
def test_lay_words_map_to_terms(text: str, expected: set[str]) -> None:
    assert expected <= present(text), understand(text).symptoms


@pytest.mark.parametrize(
    ("text", "unexpected"),
    [
        ("I run 5 days a week and running is my life", {"during-run", "after-run"}),
        ("back to running after a break", {"back", "after-run"}),
        ("it eases once I'm warmed up", {"redness-warmth"}),
        ("I have a hot spot on my sole", {"redness-warmth"}),
        ("both sharp and burning", {"both-sides"}),
        ("on top of that my knee hurts", {"top"}),
        ("after around 4 km", {"around"}),
        ("the pain kicks in after 5 km", {"pop", "sprinting"}),
        ("I run about 30 km a week", {"during-run"}),
        ("after 20 minutes of sitting", {"during-run"}),
        ("I hope it heals", {"hopping", "heel"}),
        ("it hurts", {t.id for t in TERMS}),
    ],
)
def test_ordinary_words_do_not_become_terms(text: str, unexpected: set[str]) -> None:
    assert not (present(text) & unexpected), understand(text).symptoms


def test_back_alone_is_a_part_and_my_back_is_the_lower_back() -> None:
    assert present("heel pain at the back") == {"heel", "back"}
    assert "lower-back" in present("pain in my back and down my leg")
    assert "lower-back" not in present("back of my knee")


def test_thigh_alone_is_the_front_unless_the_back_is_said() -> None:
    assert "thigh-front" in present("my thigh hurts")
    assert "thigh-back" in present("upper thigh at the back")


def test_longest_phrase_wins() -> None:
    # "back of my thigh" is one region, not the part "back" plus a thigh.
    assert understand("back of my thigh").symptoms.where == ["thigh-back"]
    # "sitting bone" is the buttock, not the trigger "sitting".
    assert present("sitting bone") == {"buttock"}
    # "first steps in the morning" is morning, not stairs.
    assert present("first steps in the morning") == {"morning"}


def test_injury_names_add_only_the_region_they_name() -> None:
    assert present("I think it's shin splints") == {"shin"}
    assert present("probably IT band syndrome") == set()
    result = understand("I think I have plantar fasciitis")
    assert result.symptoms.present() == []
    assert result.unrecognised == ["plantar fasciitis"]


# --- negation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("no swelling", {"swelling"}),
        ("not swollen", {"swelling"}),
        ("it doesn't hurt at night", {"at-night"}),
        ("it doesnt hurt at night", {"at-night"}),
        ("never at rest", {"at-rest"}),
        ("without numbness", {"numbness"}),
        ("no swelling or bruising", {"swelling", "bruising"}),
        ("No swelling, bruising or redness.", {"swelling", "bruising", "redness-warmth"}),
        ("I haven't noticed any swelling", {"swelling"}),
        ("didn't hear a pop", {"pop"}),
        ("no numbness or tingling", {"numbness"}),
        ("swelling: none", {"swelling"}),
        ("walking is fine", {"walking"}),
        ("I haven't changed my shoes", {"new-shoes"}),
    ],
)
def test_negated_terms_are_absent(text: str, gone: set[str]) -> None:
    symptoms = understand(text).symptoms
    assert set(symptoms.absent) == gone
    assert not (set(symptoms.present()) & gone)


def test_negation_stops_at_but() -> None:
    symptoms = understand("no swelling but it clicks").symptoms
    assert symptoms.absent == ["swelling"]
    assert symptoms.signs == ["clicking"]


def test_negation_stops_at_a_new_clause() -> None:
    assert present("no swelling and it clicks") == {"clicking"}
    assert present("there's no swelling and the pain is sharp") == {"sharp"}
    symptoms = understand("not sharp, more of a dull ache").symptoms
    assert symptoms.feels == ["dull-ache"]
    assert symptoms.absent == ["sharp"]


def test_negation_stops_at_a_sentence_end() -> None:
    symptoms = understand("No swelling. My knee clicks.").symptoms
    assert symptoms.absent == ["swelling"]
    assert set(symptoms.present()) == {"knee", "clicking"}


def test_a_lone_no_negates_nothing() -> None:
    assert present("No, it is swollen") == {"swelling"}


def test_cannot_is_an_inability_not_a_negation() -> None:
    assert "numbness" in present("I can't feel my toes")
    assert "sprinting" in present("I cannot sprint")
    assert understand("can't put weight on it").symptoms.absent == []


def test_pseudo_negations_negate_nothing() -> None:
    assert absent("not sure if it's swollen") == set()
    assert absent("rest doesn't help, it hurts at night") == set()


def test_affirmed_and_negated_term_stays_present() -> None:
    symptoms = understand("no swelling at first, but now it is swollen").symptoms
    assert "swelling" in symptoms.signs
    assert "swelling" not in symptoms.absent
    symptoms = understand("my knee is swollen. no swelling in the other one").symptoms
    assert "swelling" in symptoms.signs
    assert symptoms.absent == []


# --- typos --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("achillies", "achilles"),
        ("my hamstirng", "thigh-back"),
        ("kneee", "knee"),
        ("shinn pain", "shin"),
        ("it is swolen", "swelling"),
        ("numbess", "numbness"),
        ("tingeling", "numbness"),
        ("throbing", "throbbing"),
        ("pain in my heal", "heel"),
    ],
)
def test_typos_are_forgiven(text: str, term: str) -> None:
    assert term in present(text)


def test_ordinary_words_are_not_corrected_into_terms() -> None:
    assert present("it hurts and I think it started there") == set()
    assert present("three weeks, maybe longer") == set()


def test_inflections_are_understood() -> None:
    assert "swelling" in present("it swells up")
    assert "hopping" in present("it hurt when I hopped")
    assert "clicking" in present("it clicked")


# --- pain score ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("7/10", 7),
        ("7 out of 10", 7),
        ("pain is about a 6", 6),
        ("severity 8", 8),
        ("pain level: 3", 3),
        ("I'd rate it a 9", 9),
        ("seven out of ten", 7),
        ("0/10 at rest", 0),
        ("10/10 agony", 10),
        ("6.5/10", 7),
        ("pain for 3 weeks", None),
        ("after about 4 km", None),
    ],
)
def test_pain_score(text: str, severity: int | None) -> None:
    assert understand(text).symptoms.severity == severity


def test_out_of_range_score_is_ignored_and_reported() -> None:
    result = understand("my knee is 12/10 right now")
    assert result.symptoms.severity is None
    assert "12/10" in result.unrecognised
    assert result.symptoms.where == ["knee"]


# --- unrecognised -------------------------------------------------------------------------------


def test_unrecognised_lists_content_words_not_stop_words() -> None:
    result = understand("I think my knee hurts when running after a marathon-ish zumba class")
    assert "zumba" in result.unrecognised
    assert "class" in result.unrecognised
    for word in ("i", "my", "think", "hurts", "running", "when", "after"):
        assert word not in result.unrecognised


def test_unrecognised_is_modest_for_long_text() -> None:
    result = understand(" ".join(f"word{i} zzz{i}q" for i in range(500)))
    assert len(result.unrecognised) <= 20


def test_used_words_are_not_unrecognised() -> None:
    result = understand("Left knee, sharp, 7/10; started when I upped my weekly mileage")
    assert result.unrecognised == []


# --- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[bold red]knee[/bold red] [link=http://x]x[/link]",
        "\x00\x01\x1b[31mknee\x1b[0m\x7f",
        "💥🦵🔥 knee 🏃‍♀️",
        "膝が痛い",
        "\ud800 lone surrogate",
        "a" * 100_000,
        "no " * 20_000,
        "kn\u200bee \u202eeenk",
    ],
)
def test_strange_text_does_not_raise(text: str) -> None:
    result = understand(text)
    assert result.symptoms.text == text
    assert not set(result.symptoms.present()) & set(result.symptoms.absent)


def test_rich_markup_still_reads_the_words() -> None:
    assert present("[bold]sharp[/bold] pain in my [red]knee[/red]") == {"sharp", "knee"}


def test_vocabulary_synonyms_all_parse_to_their_own_term() -> None:
    for term in TERMS:
        for synonym in term.synonyms:
            found = present(synonym)
            assert term.id in found or term.id == "both-sides", (term.id, synonym, found)
