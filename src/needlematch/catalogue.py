"""The injury catalogue (data/injuries.json): strict pydantic models and a loader whose errors a person can act on."""

# No `from __future__ import annotations` here: pydantic would then compile and
# evaluate every field's annotation from its string as each model class is made,
# which cost every run of `match` start-up time (catalogue, assessment and symptoms:
# about 16 million instructions of some 930 million, measured with callgrind).

import itertools
import os
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from needlematch.errors import NeedlematchError
from needlematch.limits import MAX_CATALOGUE_BYTES, size_in_words
from needlematch.vocabulary import TERMS_BY_ID, closest_terms

CATALOGUE_ENV = "NEEDLEMATCH_CATALOGUE"

# How typical a term is for an injury, from most to least. The engine reads the
# likelihood of each level from the catalogue's `likelihoods`; a term an
# injury's profile does not list counts as "unlisted".
Typicality = Literal["typical", "common", "occasional", "rare"]
TYPICALITY_LEVELS: tuple[str, ...] = ("typical", "common", "occasional", "rare", "unlisted")

TriageLevel = Literal["routine", "soon", "urgent", "emergency"]
TRIAGE_ORDER: tuple[str, ...] = ("routine", "soon", "urgent", "emergency")

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
# The smallest chance the catalogue may give. Below it a probability is noise, and
# a subnormal one (5e-324) turns into zero, and a math error, in the engine's logs.
MIN_PROBABILITY = 1e-6
Probability = Annotated[float, Field(ge=MIN_PROBABILITY, lt=1.0, allow_inf_nan=False)]

# Ids the program itself uses: "none of these" is the engine's unmatched hypothesis
# (engine.UNMATCHED_ID) and an answer on the warning-sign screen. An injury with one of
# these ids would be counted twice.
RESERVED_IDS = frozenset({"none-of-these"})


def _known_term(term: str) -> str:
    if term not in TERMS_BY_ID:
        suggestion = closest_terms(term)
        hint = f"; did you mean '{suggestion[0]}'?" if suggestion else ""
        raise ValueError(f"unknown term '{term}'{hint}")
    return term


TermId = Annotated[str, AfterValidator(_known_term)]


def _not_reserved(injury_id: str) -> str:
    if injury_id in RESERVED_IDS:
        raise ValueError(
            f"the id '{injury_id}' is reserved: needlematch uses it for 'none of these'; "
            "choose another id"
        )
    return injury_id


InjuryId = Annotated[Slug, AfterValidator(_not_reserved)]


class _Strict(BaseModel):
    # Built on first use: a catalogue loaded from its validated cache is never validated
    # again, so the validators of these models are not built at all on that path.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# Default factories are Python functions, not `list` or `dict`: pydantic inspects a
# factory's signature, and for a builtin that first compiles the tokenizer (about 9 ms).
def _empty_list() -> list[Any]:
    return []


def _empty_dict() -> dict[Any, Any]:
    return {}


def _unique(values: list[str], what: str) -> None:
    repeated = sorted(value for value, count in Counter(values).items() if count > 1)
    if repeated:
        raise ValueError(f"duplicate {what}: {', '.join(repeated)}")


class Source(_Strict):
    """A public clinical page or paper a statement comes from."""

    title: Text
    url: Url


class Prior(_Strict):
    """How common the injury is among injured runners, and where that figure comes from."""

    value: Probability
    basis: Text
    sources: list[Source] = Field(min_length=1)


class NeedlingEvidence(_Strict):
    """What published trials and reviews say about dry needling for this injury."""

    strength: Literal["strong", "moderate", "mixed", "weak", "missing"]
    summary: Text
    sources: list[Source] = Field(min_length=1)


class Companion(_Strict):
    """Something to pair dry needling with, adapted to the injury."""

    kind: Literal["strength", "mobility", "technique"]
    advice: Text


class DryNeedling(_Strict):
    """How dry needling is said to help, what the evidence says, and what goes with it."""

    how_it_helps: Text
    evidence: NeedlingEvidence
    pair_with: list[Companion] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_of_each_kind(self) -> "DryNeedling":
        _unique([companion.kind for companion in self.pair_with], "companion kind")
        return self


BodyArea = Literal["knee", "hip-groin-back", "thigh", "lower-leg", "ankle-foot"]
BODY_AREA_LABELS: dict[str, str] = {
    "knee": "Knee",
    "hip-groin-back": "Hip, groin, buttock and back",
    "thigh": "Thigh",
    "lower-leg": "Lower leg",
    "ankle-foot": "Ankle and foot",
}

Practitioner = Literal[
    "physiotherapist", "podiatrist", "sports-doctor", "family-doctor", "orthopaedic-surgeon"
]
PRACTITIONER_LABELS: dict[str, str] = {
    "physiotherapist": "a physiotherapist",
    "podiatrist": "a podiatrist",
    "sports-doctor": "a sports-medicine doctor",
    "family-doctor": "a family doctor (GP)",
    "orthopaedic-surgeon": "an orthopaedic surgeon",
}

Sex = Literal["female", "male"]
# How much likelier a person in a band (or of a sex) is to have a condition
# than the average injured runner. 0.01 is "cannot happen here" (Sever's disease
# once the heel's growth plate has closed); 20 is the most any band may claim.
Factor = Annotated[float, Field(ge=0.01, le=20.0, allow_inf_nan=False)]


class AgeBand(_Strict):
    """A band of ages that conditions weigh differently (children, adolescents, adults...)."""

    id: Slug
    label: Text
    min_age: Annotated[int, Field(ge=0, le=120)]
    max_age: Annotated[int, Field(ge=0, le=120)]


# Constants of the code, made without validation: AgeBand's validator is then built
# only when a catalogue is validated (tests/test_catalogue.py checks these bands).
DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand.model_construct(id="child", label="5 to 12", min_age=5, max_age=12),
    AgeBand.model_construct(id="adolescent", label="13 to 17", min_age=13, max_age=17),
    AgeBand.model_construct(id="adult", label="18 to 39", min_age=18, max_age=39),
    AgeBand.model_construct(id="middle-aged", label="40 to 59", min_age=40, max_age=59),
    AgeBand.model_construct(id="older", label="60 and over", min_age=60, max_age=100),
)


class Demographics(_Strict):
    """How age and sex weigh this condition, with where those figures come from."""

    age: dict[Slug, Factor] = Field(default_factory=_empty_dict)
    sex: dict[Sex, Factor] = Field(default_factory=_empty_dict)
    basis: Text
    sources: list[Source] = Field(min_length=1)


class WhoTreats(_Strict):
    """Who to see first, and when to go further."""

    who: list[Practitioner] = Field(min_length=1)
    when: Text

    @model_validator(mode="after")
    def _no_repeats(self) -> "WhoTreats":
        _unique(list(self.who), "practitioner")
        return self


class Escalation(_Strict):
    """A triage level that applies when this injury leads the ranking (e.g. a suspected stress fracture)."""

    level: Literal["soon", "urgent", "emergency"]
    min_probability: Probability
    advice: Text


class Injury(_Strict):
    """One running injury: what it is, how to recognise it, and what helps."""

    id: InjuryId
    name: Text
    short_name: Text
    aliases: list[Text] = Field(default_factory=_empty_list)
    feels_like: Text
    why_it_happens: Text
    dry_needling: DryNeedling
    profile: dict[TermId, Typicality] = Field(min_length=1)
    prior: Prior
    escalation: Escalation | None = None
    sources: list[Source] = Field(min_length=1)
    body_area: BodyArea
    who_treats: WhoTreats
    demographics: Demographics | None = None

    @model_validator(mode="after")
    def _aliases_unique(self) -> "Injury":
        _unique([alias.lower() for alias in self.aliases], "alias")
        return self


class OtherCondition(_Strict):
    """A common running pain outside the catalogue, profiled so that "none of these" recognises it.

    It is never offered as a match: it only makes "none of these" likelier when
    the picture fits it better than any catalogue injury.
    """

    id: Slug
    name: Text
    share: Probability = Field(description="its share of the 'none of these' prior")
    profile: dict[TermId, Typicality] = Field(min_length=1)
    sources: list[Source] = Field(min_length=1)
    demographics: Demographics | None = None


class Unmatched(_Strict):
    """None of these: running pains outside the catalogue (meniscus tears, bursitis, nerve pain...).

    "None of these" is a mixture: each of `conditions` with its share of the
    prior, and a generic `profile` for anything else, with the share left over.
    """

    prior: Prior
    profile: dict[TermId, Typicality] = Field(min_length=1)
    examples: list[Text] = Field(min_length=1)
    conditions: list[OtherCondition] = Field(default_factory=_empty_list)

    @model_validator(mode="after")
    def _shares_leave_room(self) -> "Unmatched":
        _unique([condition.id for condition in self.conditions], "other condition id")
        total = sum(condition.share for condition in self.conditions)
        if total >= 1.0:
            raise ValueError(
                f"the shares of the other conditions add up to {total:.2f}; they must leave "
                "some share (below 1) for the generic profile"
            )
        return self


class Condition(_Strict):
    """A combination of reported terms: every group must have at least one of its terms present."""

    all_of: list[Annotated[list[TermId], Field(min_length=1)]] = Field(min_length=1)
    min_severity: Annotated[int, Field(ge=0, le=10)] | None = None
    min_age: Annotated[int, Field(ge=0, le=120)] | None = Field(
        default=None, description="only from this age (a known age outside the range rules it out)"
    )
    max_age: Annotated[int, Field(ge=0, le=120)] | None = Field(
        default=None, description="only up to this age: a slipped hip growth plate is a child's"
    )
    sex: Sex | None = None
    none_of: list[TermId] = Field(
        default_factory=_empty_list,
        description="terms that, reported present, say the picture is something else: "
        "pain from lying on the hip at night is pressure, not a fracture's night pain",
    )


class RedFlag(_Strict):
    """A warning sign that escalates triage whatever the ranking says."""

    id: Slug
    name: Text
    level: Literal["soon", "urgent", "emergency"]
    when: list[Condition] = Field(min_length=1)
    advice: Text
    sources: list[Source] = Field(min_length=1)


class PainRisingRule(_Strict):
    """Pain that rises at each of the last `entries` saved entries for a place, over `min_days` or more."""

    id: Slug
    name: Text
    entries: int = Field(
        ge=2, description="how many entries in a row, each more painful than the one before"
    )
    min_days: int = Field(
        ge=0, description="the first and last of them are at least this many days apart"
    )
    level: Literal["soon", "urgent", "emergency"]
    advice: Text
    sources: list[Source] = Field(min_length=1)


class NoImprovementRule(_Strict):
    """Pain that has not dropped by `min_drop` points `days` or more after the routine advice was given."""

    id: Slug
    name: Text
    days: int = Field(ge=1)
    min_drop: int = Field(
        ge=1, le=10, description="the drop in pain (0 to 10) that counts as a clear improvement"
    )
    level: Literal["soon", "urgent", "emergency"]
    advice: Text
    sources: list[Source] = Field(min_length=1)


class NewWarningSignRule(_Strict):
    """A red flag, or one of `signs`, that the last entry for the place did not have."""

    id: Slug
    name: Text
    signs: list[TermId] = Field(min_length=1)
    level: Literal["soon", "urgent", "emergency"]
    advice: Text
    sources: list[Source] = Field(min_length=1)


class PainMonitoringRule(_Strict):
    """The limits of running with pain: at most `max_during` during it, and the next morning no worse than before."""

    id: Slug
    name: Text
    max_during: int = Field(ge=0, le=10)
    max_morning_rise: int = Field(
        ge=0, le=10, description="how much worse than before the next morning may be"
    )
    inside_advice: Text
    outside_advice: Text
    sources: list[Source] = Field(min_length=1)


class CourseRules(_Strict):
    """What the course of saved entries means: when it raises the advice to see a practitioner."""

    pain_rising: PainRisingRule
    no_improvement: NoImprovementRule
    new_warning_sign: NewWarningSignRule
    pain_monitoring: PainMonitoringRule


class Likelihoods(_Strict):
    """The chance a runner reports a term, for each level of how typical the term is.

    "typical" must be the highest: that is what makes adding a typical finding
    never lower an injury's probability.
    """

    typical: Probability
    common: Probability
    occasional: Probability
    rare: Probability
    unlisted: Probability

    @model_validator(mode="after")
    def _decreasing(self) -> "Likelihoods":
        values = [getattr(self, level) for level in TYPICALITY_LEVELS]
        if any(higher <= lower for higher, lower in itertools.pairwise(values)):
            raise ValueError(
                "likelihoods must decrease strictly: typical > common > occasional > rare > unlisted"
            )
        return self


class Catalogue(_Strict):
    """The whole file: injuries, the "none of these" profile, red flags and advice."""

    schema_version: Literal[1]
    likelihoods: Likelihoods
    region_likelihoods: Likelihoods | None = Field(
        default=None,
        description="the same scale for where it hurts, which sets injuries apart more "
        "sharply than any other finding; default: `likelihoods`",
    )
    age_bands: list[AgeBand] = Field(default_factory=lambda: list(DEFAULT_AGE_BANDS))
    injuries: list[Injury] = Field(min_length=1)
    unmatched: Unmatched
    red_flags: list[RedFlag] = Field(min_length=1)
    routine_advice: Text
    disclaimer: Text
    course_rules: CourseRules | None = Field(
        default=None,
        description="how saved entries for one place raise the advice (history); "
        "without it the course is compared but raises nothing",
    )

    @model_validator(mode="after")
    def _names_find_one_injury(self) -> "Catalogue":
        # Every name is compared as `find` looks it up, short names included: two
        # injuries sharing one would show one's advice under the other's name.
        ids = [injury.id for injury in self.injuries]
        if len(set(ids)) < len(ids):
            return self  # a repeated id: the id rule below names it
        names: list[str] = []
        for injury in self.injuries:
            names += {
                _fold(name) for name in (injury.id, injury.name, injury.short_name, *injury.aliases)
            }
        _unique(names, "injury name, short name or alias (shared by two injuries)")
        return self

    @model_validator(mode="after")
    def _ids_unique(self) -> "Catalogue":
        _unique([injury.id for injury in self.injuries], "injury id")
        _unique([flag.id for flag in self.red_flags], "red flag id")
        names: list[str] = []
        for injury in self.injuries:
            names += {injury.id, injury.name.lower(), *(alias.lower() for alias in injury.aliases)}
        _unique(names, "injury name or alias (shared by two injuries)")
        bands = [band.id for band in self.age_bands]
        _unique(bands, "age band id")
        for band in self.age_bands:
            if band.min_age > band.max_age:
                raise ValueError(f"age band '{band.id}' ends before it starts")
        weighed = [(injury.id, injury.demographics) for injury in self.injuries]
        weighed += [(other.id, other.demographics) for other in self.unmatched.conditions]
        for condition_id, demographics in weighed:
            if demographics is None:
                continue
            unknown = sorted(set(demographics.age) - set(bands))
            if unknown:
                raise ValueError(
                    f"{condition_id}: unknown age band {', '.join(unknown)} "
                    f"(the catalogue's bands: {', '.join(bands)})"
                )
        return self

    def age_band(self, age: int | None) -> str | None:
        """The id of the band an age falls in, or None when the age is unknown or in no band."""
        if age is None:
            return None
        return next(
            (band.id for band in self.age_bands if band.min_age <= age <= band.max_age), None
        )

    def _names(self) -> dict[str, Injury]:
        """Every id, name, short name and alias, folded for lookup, mapped to its injury."""
        return {
            _fold(name): injury
            for injury in self.injuries
            for name in (injury.id, injury.name, injury.short_name, *injury.aliases)
        }

    def find(self, query: str) -> Injury | None:
        """The injury whose id, name, short name or alias is `query`, ignoring case and punctuation."""
        return self._names().get(_fold(query))

    def named_in(self, text: str) -> list[Injury]:
        """The injuries whose name, short name or alias appears in `text` ("I think it's ITBS")."""
        words = f" {_fold(text)} "
        return [
            injury
            for injury in self.injuries
            if any(
                f" {_fold(name)} " in words
                for name in (injury.name, injury.short_name, *injury.aliases)
            )
        ]

    def closest(self, query: str) -> Injury | None:
        """The injury whose name or alias is nearest to `query`, for a "did you mean" on a miss."""
        import difflib

        names = self._names()
        wanted = _fold(query)
        # A word of the name ("knee", "shin") first, then the nearest spelling ("fascitis").
        found = [name for name in names if wanted and wanted in name.split()][:1]
        found = found or difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.5)
        return names[found[0]] if found else None


def _fold(name: str) -> str:
    """A name as compared: lower case, letters and digits only ("Runner's Knee" -> "runners knee")."""
    kept = "".join(ch if ch.isalnum() else " " if ch in " -_/" else "" for ch in name.lower())
    return " ".join(kept.split())


class CatalogueError(NeedlematchError):
    """A catalogue that cannot be used; `problems` lists every reason with where it is.

    Its message is the command line's: which file, how many problems, and where to
    check it; `details` are the problems, one a line.
    """

    exit_code = 1

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            f"the catalogue {path} is not usable ({count}); fix it, or check it with "
            "`needlematch validate PATH`:",
            *problems,
        )


def bundled_catalogue_path() -> Path:
    """data/injuries.json: inside the installed wheel, or at the repository root for a source checkout."""
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "data" / "injuries.json"
    if installed.is_file():
        return installed
    return package_dir.parents[1] / "data" / "injuries.json"


def catalogue_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Which catalogue to read: --catalogue, then $NEEDLEMATCH_CATALOGUE, then the bundled one."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(CATALOGUE_ENV)
    if from_env:
        return Path(from_env)
    return bundled_catalogue_path()


def _where(loc: tuple[int | str, ...], raw: Any) -> str:
    """A pydantic error location as a person reads it: `injuries[2] (shin-splints).profile.kneee`."""
    parts: list[str] = []
    node: Any = raw
    for step in loc:
        if isinstance(step, int):
            label = f"[{step}]"
            if isinstance(node, list) and 0 <= step < len(node):
                node = node[step]
                if isinstance(node, dict) and isinstance(node.get("id"), str):
                    label += f" ({node['id']})"
            else:
                node = None
            parts.append(label)
        else:
            parts.append(("." if parts else "") + step)
            node = node.get(step) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def problems_from_validation(error: ValidationError, raw: Any) -> list[str]:
    """One line per problem, each naming its place, from a pydantic ValidationError."""
    lines = []
    for detail in error.errors(include_url=False):
        loc = tuple(
            step for step in detail["loc"] if step not in ("function-after[_known_term(), str]",)
        )
        message = detail["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        if detail["type"] == "extra_forbidden":
            message = "unknown field (not part of the catalogue schema; see `needlematch schema`)"
        elif detail["type"] in _TYPE_ERRORS and isinstance(detail.get("input"), str):
            message += f", not the string {_quoted(detail['input'])}: write numbers without quotes"
        lines.append(f"{_where(loc, raw)}: {message}")
    return lines


# Pydantic's "not a number / not a whole number / not true or false" errors.
_TYPE_ERRORS = frozenset({"float_type", "int_type", "bool_type", "float_parsing", "int_parsing"})


def _quoted(value: str) -> str:
    return repr(value if len(value) <= 20 else value[:20] + "...")


def parse_catalogue(text: str, path: Path | str = "<catalogue>") -> Catalogue:
    """Validate catalogue JSON text; raise CatalogueError listing every problem.

    This is the one set of rules: `validate` and every command that loads a
    catalogue come here, so a catalogue `validate` accepts is one `match` runs.
    Numbers are strict: "0.1" in quotes is a string, not a probability.
    """
    from needlematch.strictjson import JsonProblem, loads  # not needed for the cached copy

    try:
        raw = loads(text)
    except JsonProblem as broken:
        raise CatalogueError(path, [broken.where() + broken.message]) from None
    try:
        return Catalogue.model_validate(raw, strict=True)
    except ValidationError as invalid:
        raise CatalogueError(path, problems_from_validation(invalid, raw)) from None


def load_catalogue(explicit: str | os.PathLike[str] | None = None) -> Catalogue:
    """Read and validate the catalogue chosen by `catalogue_path`; raise CatalogueError.

    The bundled catalogue is validated once and then read from its validated
    copy while the file (and the code that reads it) stays the same; a catalogue
    given with `explicit` or $NEEDLEMATCH_CATALOGUE is validated every time.
    """
    path = catalogue_path(explicit)
    data = _read(path)
    if explicit or os.environ.get(CATALOGUE_ENV):
        return _parse_bytes(data, path)
    from needlematch import catalogue_cache

    key = catalogue_cache.cache_key(data)
    cached = catalogue_cache.read_cached(key)
    if cached is not None:
        return cached
    catalogue = _parse_bytes(data, path)
    catalogue_cache.write_cached(key, catalogue)
    return catalogue


def _read(path: Path) -> bytes:
    """The catalogue file's bytes, up to the limit; CatalogueError when there are none to use."""
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_CATALOGUE_BYTES + 1)
    except FileNotFoundError:
        raise CatalogueError(path, ["file not found"]) from None
    except IsADirectoryError:
        raise CatalogueError(path, ["is a folder, not a catalogue file"]) from None
    except OSError as unreadable:
        raise CatalogueError(
            path, [f"cannot be read: {unreadable.strerror or unreadable}"]
        ) from None
    if len(data) > MAX_CATALOGUE_BYTES:
        raise CatalogueError(
            path,
            [
                f"larger than {size_in_words(MAX_CATALOGUE_BYTES)}, the most needlematch reads "
                "as a catalogue: is it the right file?"
            ],
        )
    return data


def _parse_bytes(data: bytes, path: Path) -> Catalogue:
    from needlematch.strictjson import JsonProblem, decode_utf8

    try:
        text = decode_utf8(data)
    except JsonProblem as undecodable:
        raise CatalogueError(path, [undecodable.where() + undecodable.message]) from None
    return parse_catalogue(text, path)


def catalogue_json_schema() -> dict[str, Any]:
    """The JSON Schema of the catalogue file."""
    schema = Catalogue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "needlematch injury catalogue"
    return schema
