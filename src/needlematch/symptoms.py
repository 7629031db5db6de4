"""What the runner reported: one pydantic model, whatever produced it (flags, free text, the interview, JSON)."""

# No `from __future__ import annotations` here: pydantic would then compile and
# evaluate every field's annotation from its string as each model class is made,
# which cost every run of `match` start-up time (catalogue, assessment and symptoms:
# about 16 million instructions of some 930 million, measured with callgrind).

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from needlematch.errors import SymptomsError
from needlematch.vocabulary import (
    DIMENSION_FLAGS,
    TERM_IDS_BY_DIMENSION,
    TERMS_BY_ID,
    closest_terms,
)


class UnknownTermError(SymptomsError, ValueError):
    """A term id that is not in the vocabulary (or not in the dimension it was given for)."""

    def __init__(self, term: str, dimension: str | None) -> None:
        self.term = term
        self.dimension = dimension
        nearest = closest_terms(term, dimension)
        self.suggestion = nearest[0] if nearest else None
        where = f" for {DIMENSION_FLAGS[dimension]}" if dimension else ""
        hint = f"; did you mean '{self.suggestion}'?" if self.suggestion else ""
        valid = ""
        if dimension:
            valid = f" (valid: {', '.join(TERM_IDS_BY_DIMENSION[dimension])})"
        super().__init__(f"unknown term '{term}'{where}{hint}{valid}")


class ContradictionError(SymptomsError, ValueError):
    """The same term was reported both present and absent."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        super().__init__(
            f"reported both present and absent: {', '.join(terms)}; "
            "give each term either as present or with --not, not both"
        )


def normalise_term(value: str, dimension: str | None = None) -> str:
    """A term id from user input: case-insensitive, `_` or spaces read as `-`; raises UnknownTermError."""
    term = "-".join(value.strip().lower().replace("_", "-").split())
    if dimension is None:
        if term in TERMS_BY_ID:
            return term
    elif term in TERM_IDS_BY_DIMENSION[dimension]:
        return term
    raise UnknownTermError(term or value, dimension)


def _checker(dimension: str | None) -> Any:
    # A term id given as it is spelled needs no normalising: the usual case in a batch.
    valid = TERMS_BY_ID if dimension is None else frozenset(TERM_IDS_BY_DIMENSION[dimension])

    def check(values: list[str]) -> list[str]:
        seen: list[str] = []
        for value in values:
            term = value if value in valid else normalise_term(value, dimension)
            if term not in seen:
                seen.append(term)
        return seen

    return check


def _check_onset(value: str | None) -> str | None:
    return None if value is None else normalise_term(value, "onset")


Region = Annotated[list[str], AfterValidator(_checker("where"))]
Part = Annotated[list[str], AfterValidator(_checker("part"))]
Timing = Annotated[list[str], AfterValidator(_checker("when"))]
Quality = Annotated[list[str], AfterValidator(_checker("feels"))]
Trigger = Annotated[list[str], AfterValidator(_checker("triggers"))]
Sign = Annotated[list[str], AfterValidator(_checker("signs"))]
AnyTerm = Annotated[list[str], AfterValidator(_checker(None))]


MIN_AGE = 5
MAX_AGE = 100


def _no_terms() -> list[str]:
    # A Python function, not `list`: pydantic inspects a default factory's signature,
    # and for a builtin that first compiles the tokenizer (about 9 ms at start-up).
    return []


class Symptoms(BaseModel):
    """Terms the runner reported present, terms reported absent, how bad it is, and their own words."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    where: Region = Field(default_factory=_no_terms, description="body regions (term ids)")
    part: Part = Field(default_factory=_no_terms, description="which part of the region")
    when: Timing = Field(default_factory=_no_terms, description="when it hurts")
    feels: Quality = Field(default_factory=_no_terms, description="what the pain feels like")
    triggers: Trigger = Field(default_factory=_no_terms, description="what makes it worse")
    onset: Annotated[str | None, AfterValidator(_check_onset)] = Field(
        default=None, description="sudden or gradual"
    )
    signs: Sign = Field(default_factory=_no_terms, description="other signs noticed")
    absent: AnyTerm = Field(
        default_factory=_no_terms, description="terms the runner says are absent"
    )
    both_sides: bool = Field(default=False, description="both legs are affected")
    severity: Annotated[int, Field(ge=0, le=10)] | None = Field(
        default=None, description="pain now, 0 to 10"
    )
    age: Annotated[int, Field(ge=MIN_AGE, le=MAX_AGE)] | None = Field(
        default=None, description=f"age in years, {MIN_AGE} to {MAX_AGE}"
    )
    sex: Literal["female", "male"] | None = Field(default=None, description="female or male")
    duration: Literal["days", "weeks", "months", "longer"] | None = Field(
        default=None,
        description="how long it has been going on: days, weeks (1 to 6), "
        "months (6 weeks to 3 months) or longer",
    )
    screened: bool = Field(
        default=False,
        description="the warning-sign screen was answered: a screen sign not reported is absent",
    )
    unsure: AnyTerm = Field(
        default_factory=_no_terms, description="terms the runner was asked about and is not sure of"
    )
    text: str | None = Field(default=None, description="the runner's own words, if any")

    @model_validator(mode="after")
    def _not_both_present_and_absent(self) -> "Symptoms":
        clash = [term for term in self.absent if term in self.present()]
        if clash:
            raise ContradictionError(clash)
        return self

    def present(self) -> list[str]:
        """Every term reported present, in vocabulary order of dimensions; `both-sides` included."""
        terms = [*self.where, *self.part, *self.when, *self.feels, *self.triggers]
        if self.onset:
            terms.append(self.onset)
        terms += self.signs
        if self.both_sides:
            terms.append("both-sides")
        return terms

    def is_empty(self) -> bool:
        """Nothing reported at all: no term present or absent, no severity."""
        return (
            not self.present()
            and not self.absent
            and self.severity is None
            and self.age is None
            and self.sex is None
            and self.duration is None
            and not self.unsure
            and not self.screened
        )

    def describes_pain(self) -> bool:
        """Something about the pain itself was reported, not only who the runner is."""
        return bool(self.present() or self.absent or self.severity is not None)

    def merged(self, other: "Symptoms", *, own_values_win: bool = False) -> "Symptoms":
        """Both reports as one: terms unioned in order (self's first, no repeats).

        Onset and severity come from `other` where it gives them, or from self
        when `own_values_win`. Raises ContradictionError (inside a pydantic
        ValidationError) if a term ends up both present and absent.
        """
        first, second = (other, self) if own_values_win else (self, other)
        texts = list(dict.fromkeys(text for text in (self.text, other.text) if text))
        return Symptoms(
            where=[*self.where, *other.where],
            part=[*self.part, *other.part],
            when=[*self.when, *other.when],
            feels=[*self.feels, *other.feels],
            triggers=[*self.triggers, *other.triggers],
            onset=second.onset or first.onset,
            signs=[*self.signs, *other.signs],
            absent=[*self.absent, *other.absent],
            both_sides=self.both_sides or other.both_sides,
            severity=second.severity if second.severity is not None else first.severity,
            age=second.age if second.age is not None else first.age,
            sex=second.sex or first.sex,
            duration=second.duration or first.duration,
            screened=self.screened or other.screened,
            unsure=[*self.unsure, *other.unsure],
            text="\n".join(texts) if texts else None,
        )


def symptoms_from_terms(
    present: list[str] | set[str] | tuple[str, ...],
    absent: list[str] | set[str] | tuple[str, ...] = (),
    severity: int | None = None,
    text: str | None = None,
) -> Symptoms:
    """Symptoms from bare term ids, each sorted into its dimension (used by the parser and the interview)."""
    fields: dict[str, list[str]] = {dimension: [] for dimension in TERM_IDS_BY_DIMENSION}
    onset: str | None = None
    for term in present:
        dimension = TERMS_BY_ID[normalise_term(term)].dimension
        if dimension == "onset":
            onset = term
        else:
            fields[dimension].append(term)
    return Symptoms(
        where=fields["where"],
        part=fields["part"],
        when=fields["when"],
        feels=fields["feels"],
        triggers=fields["triggers"],
        onset=onset,
        signs=fields["signs"],
        absent=[normalise_term(term) for term in absent],
        both_sides=bool(fields["sides"]),
        severity=severity,
        text=text,
    )
