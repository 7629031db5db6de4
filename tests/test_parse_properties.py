"""Properties of the free-text parser: any text parses, deterministically, into valid Symptoms."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from needlematch.parse import understand
from needlematch.symptoms import Symptoms
from needlematch.vocabulary import PLACE_OVERLAPS, REGION_PARTS, TERMS, Term

_SYNONYMS = [synonym for term in TERMS for synonym in term.synonyms]
_GLUE = ["no", "not", "never", "without", "but", "and", "or", ",", ".", "my", "after", "7/10",
         "can't", "doesn't", "both", "back", "around", "hot", "[bold]", "[/bold]", "\x00", "🦵"]  # fmt: skip

# Descriptions built from vocabulary words and the words that steer negation and scope.
descriptions = st.lists(st.sampled_from(_SYNONYMS + _GLUE), max_size=30).map(" ".join)
markup = st.lists(
    st.one_of(
        st.sampled_from(["[bold]", "[/bold]", "[/]", "[red]", "[link=x]", "\x1b[31m", "\x7f"]),
        st.characters(max_codepoint=0x1F),
    ),
    max_size=50,
).map("".join)


def _check(text: str) -> None:
    result = understand(text)
    symptoms = result.symptoms
    assert symptoms.text == text
    assert not set(symptoms.present()) & set(symptoms.absent)
    # Round-trips through validation: the model it built is one pydantic accepts.
    assert Symptoms.model_validate(symptoms.model_dump()) == symptoms
    assert all(isinstance(word, str) and word for word in result.unrecognised)
    assert len(result.unrecognised) <= 20


@given(st.text())
def test_any_unicode_text_parses(text: str) -> None:
    _check(text)


@given(descriptions)
@settings(max_examples=300)
def test_vocabulary_soup_parses_to_valid_symptoms(text: str) -> None:
    _check(text)


@given(st.one_of(st.text(), descriptions))
def test_parsing_is_deterministic(text: str) -> None:
    assert understand(text) == understand(text)


@given(markup)
def test_markup_and_control_characters_do_not_raise(text: str) -> None:
    _check(text)


@given(descriptions, st.sampled_from([t for t in TERMS if t.dimension != "onset"]))
def test_a_negated_term_said_again_is_present(before: str, term: Term) -> None:
    # An affirmation wins over a negation of the same term, whatever came before.
    text = f"{before}. No {term.synonyms[0]}. Yes, {term.synonyms[0]}."
    symptoms = understand(text).symptoms
    assert term.id not in symptoms.absent
    if term.dimension == "part" and not _fits_a_place(term.id, symptoms.where):
        assert term.id not in symptoms.present()  # "feet under me" is no place that hurts
    else:
        assert term.id in symptoms.present()


def _fits_a_place(part: str, places: list[str]) -> bool:
    if not places:
        return True
    fitting = {p for place in places for p in REGION_PARTS.get(place, ())}
    fitting |= {p for (_, p), overlaps in PLACE_OVERLAPS.items() if set(overlaps) & set(places)}
    return part in fitting


@settings(max_examples=5, deadline=None)
@given(st.text(min_size=1, max_size=50), st.integers(min_value=1_000, max_value=4_000))
def test_very_long_text_parses(chunk: str, repeats: int) -> None:
    # "However long": tens of thousands of characters of anything still parse.
    text = (chunk + " knee ") * repeats
    understood = understand(text)
    assert understood.symptoms.text == text
    assert not set(understood.symptoms.present()) & set(understood.symptoms.absent)
