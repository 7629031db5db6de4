"""Red flags decide triage whatever the ranking says; typical overuse cases stay routine."""

from __future__ import annotations

import pytest

from needlematch.catalogue import TRIAGE_ORDER, Catalogue
from needlematch.engine import assess
from needlematch.symptoms import Symptoms, symptoms_from_terms
from needlematch.triage import red_flags_found


def test_every_red_flag_condition_fires(catalogue: Catalogue) -> None:
    for flag in catalogue.red_flags:
        for condition in flag.when:
            terms = {group[0] for group in condition.all_of}
            onsets = terms & {"sudden", "gradual"}
            if len(onsets) > 1:
                continue
            symptoms = symptoms_from_terms(terms, severity=condition.min_severity)
            if condition.min_age is not None or condition.max_age is not None:
                age = condition.min_age if condition.min_age is not None else condition.max_age
                symptoms = symptoms.model_copy(update={"age": age, "sex": condition.sex})
            result = assess(symptoms, catalogue)
            assert flag.id in {found.id for found in result.triage.red_flags}, flag.id
            assert TRIAGE_ORDER.index(result.triage.level) >= TRIAGE_ORDER.index(flag.level)


@pytest.mark.parametrize(
    ("symptoms", "level", "flag"),
    [
        (
            Symptoms(where=["calf"], when=["at-rest"], signs=["swelling", "redness-warmth"]),
            "urgent",
            "dvt",
        ),
        (
            Symptoms(where=["calf"], signs=["swelling", "breathless"]),
            "emergency",
            "dvt-with-breathlessness",
        ),
        (Symptoms(where=["achilles"], onset="sudden", signs=["pop"]), "urgent", "achilles-rupture"),
        # A hot, swollen knee with no twist or pop to explain it: checked for infection today.
        (
            Symptoms(where=["knee"], signs=["redness-warmth", "swelling"]),
            "urgent",
            "hot-swollen-joint",
        ),
        # A teenager's knee that aches at rest and wakes him: bone tumour or infection until shown otherwise.
        (
            Symptoms(where=["knee"], when=["at-rest"], signs=["night-pain"], age=15),
            "urgent",
            "bone-tumour-or-infection",
        ),
        # The day after a hard session, a constant shin pain and a foot that cannot be pulled up.
        (
            Symptoms(where=["shin"], when=["all-the-time"], onset="sudden", signs=["weakness"]),
            "emergency",
            "acute-compartment-syndrome",
        ),
        # A constant ache in a runner's hip: a femoral neck stress fracture until shown otherwise.
        (
            Symptoms(where=["hip"], when=["all-the-time"]),
            "urgent",
            "femoral-neck-stress-fracture",
        ),
        # A sudden pain at the Achilles mid-sprint that leaves a limp: checked for a rupture.
        (
            Symptoms(where=["achilles"], onset="sudden", signs=["limping"]),
            "urgent",
            "achilles-rupture",
        ),
        # Low-back pain that makes a runner limp: the sacrum, a stress fracture site that heals poorly.
        (
            Symptoms(where=["lower-back"], onset="sudden", signs=["pop", "limping"]),
            "soon",
            "high-risk-stress-fracture",
        ),
        # One leg swollen at the knee after a long drive: a clot behind the knee until shown otherwise.
        (Symptoms(where=["knee"], signs=["swelling", "clot-risk"]), "urgent", "dvt"),
        (Symptoms(where=["groin"], signs=["limping"]), "urgent", "femoral-neck-stress-fracture"),
        # Severe groin pain that built up without an injury: the hip's stress fracture first.
        (Symptoms(where=["groin"], severity=7), "urgent", "femoral-neck-stress-fracture"),
        (Symptoms(where=["lower-back"], signs=["bladder-bowel"]), "emergency", "cauda-equina"),
        (
            Symptoms(where=["knee"], signs=["fever", "redness-warmth"]),
            "emergency",
            "septic-arthritis",
        ),
    ],
)
def test_warning_signs_escalate(
    catalogue: Catalogue, symptoms: Symptoms, level: str, flag: str
) -> None:
    result = assess(symptoms, catalogue)
    assert result.triage.level == level
    assert flag in [found.id for found in result.triage.red_flags]
    assert result.triage.advice


def test_severe_groin_pain_from_a_sudden_strain_is_no_hip_fracture_warning(
    catalogue: Catalogue,
) -> None:
    strain = Symptoms(where=["groin"], onset="sudden", severity=8)
    assert "femoral-neck-stress-fracture" not in [
        found.id for found in assess(strain, catalogue).triage.red_flags
    ]
    mild = Symptoms(where=["groin"], severity=4)
    assert assess(mild, catalogue).triage.level == "routine"


@pytest.mark.parametrize(
    "symptoms",
    [
        Symptoms(where=["knee"], part=["around"], feels=["dull-ache"], triggers=["stairs"]),
        Symptoms(where=["knee"], part=["outer"], feels=["burning"], triggers=["downhill"]),
        Symptoms(where=["shin"], part=["inner"], when=["start-of-run"], both_sides=True),
        Symptoms(where=["heel"], part=["under"], when=["morning"], feels=["stabbing"]),
        Symptoms(where=["achilles"], when=["morning"], feels=["stiffness"]),
        Symptoms(where=["thigh-back"], onset="sudden", triggers=["sprinting"], signs=["bruising"]),
        Symptoms(where=["calf"], feels=["tightness"], when=["during-run"]),
        Symptoms(where=["knee"], signs=["swelling"]),
        Symptoms(where=["shin"], when=["at-night"]),
    ],
)
def test_typical_overuse_cases_are_not_urgent(catalogue: Catalogue, symptoms: Symptoms) -> None:
    result = assess(symptoms, catalogue)
    assert result.triage.level in {"routine", "soon"}
    assert not [f for f in result.triage.red_flags if f.level in {"urgent", "emergency"}]


def test_red_flags_are_listed_most_urgent_first(catalogue: Catalogue) -> None:
    symptoms = Symptoms(where=["calf"], signs=["swelling", "breathless", "cannot-bear-weight"])
    levels = [TRIAGE_ORDER.index(flag.level) for flag in red_flags_found(symptoms, catalogue)]
    assert levels == sorted(levels, reverse=True) and len(levels) >= 2


def test_a_leading_stress_fracture_is_seen_soon(catalogue: Catalogue) -> None:
    result = assess(
        Symptoms(
            where=["shin"],
            signs=["point-tenderness"],
            triggers=["hopping", "mileage-increase", "walking"],
            when=["at-night"],
            onset="gradual",
        ),
        catalogue,
    )
    assert result.matches[0].id == "stress-fracture"
    assert result.triage.level in {"soon", "urgent"}


def test_swelling_after_a_journey_in_both_legs_is_not_called_a_clot(catalogue: Catalogue) -> None:
    # Both ankles puffy after a flight is the usual dependent swelling; a clot is one-sided.
    symptoms = Symptoms(where=["ankle"], signs=["swelling", "clot-risk"], both_sides=True)
    assert "dvt" not in {found.id for found in assess(symptoms, catalogue).triage.red_flags}


def test_a_sprained_ankle_that_is_warm_and_swollen_is_not_called_an_infection(
    catalogue: Catalogue,
) -> None:
    symptoms = Symptoms(
        where=["ankle"], onset="sudden", signs=["redness-warmth", "swelling", "twist"]
    )
    assert "hot-swollen-joint" not in {
        found.id for found in assess(symptoms, catalogue).triage.red_flags
    }


def test_growing_pains_in_both_legs_at_night_are_not_called_a_tumour(catalogue: Catalogue) -> None:
    symptoms = Symptoms(
        where=["knee"], when=["at-rest"], signs=["night-pain"], age=9, both_sides=True
    )
    found = {flag.id for flag in assess(symptoms, catalogue).triage.red_flags}
    assert "bone-tumour-or-infection" not in found


def test_how_it_started_is_asked_first_where_a_sudden_start_is_a_warning(
    catalogue: Catalogue,
) -> None:
    # Achilles pain with nothing else known: "did it start suddenly?" comes before any
    # other question, since a sudden start with a limp is checked for a rupture.
    from needlematch.engine import next_question

    symptoms = Symptoms(where=["achilles"], part=["around"], screened=True, age=40, sex="male")
    first = next_question(symptoms, catalogue)
    assert first is not None and first.term == "sudden"
    assert "rupture" in first.reason.lower()
    then = next_question(symptoms.model_copy(update={"onset": "sudden"}), catalogue)
    assert then is not None and then.term == "limping"


def _every_condition_in_turn(
    symptoms: Symptoms, catalogue: Catalogue
) -> list[tuple[str, list[str]]]:
    """The red flags raised, found the plain way: every flag, every condition, in order."""
    from needlematch.known import flag_terms
    from needlematch.triage import _flags, _mask, _matched_terms

    present = flag_terms(symptoms)
    bits = _mask(present)
    found = []
    for compiled in _flags(catalogue):
        for condition in compiled.conditions:
            terms = _matched_terms(condition, present, bits, symptoms)
            if terms:
                found.append((compiled.flag.id, terms))
                break
    return found


def test_red_flags_looked_up_by_term_are_those_every_condition_gives(
    catalogue: Catalogue,
) -> None:
    import random

    from needlematch.vocabulary import TERMS

    pick = random.Random(5)
    ids = [term.id for term in TERMS if term.dimension not in {"onset", "sides"}]
    raised = 0
    for _ in range(3000):
        terms = set(pick.sample(ids, pick.randint(1, 9)))
        if pick.random() < 0.3:
            terms.add(pick.choice(["sudden", "gradual"]))
        symptoms = symptoms_from_terms(terms, severity=pick.choice([None, 2, 6, 9])).model_copy(
            update={"age": pick.choice([None, 14, 35, 70]), "sex": pick.choice([None, "female"])}
        )
        expected = _every_condition_in_turn(symptoms, catalogue)
        found = [(flag.id, flag.terms) for flag in red_flags_found(symptoms, catalogue)]
        assert found == expected, sorted(terms)
        raised += bool(found)
    assert raised > 300  # the cases do raise red flags, and many of them


def test_a_constant_calf_ache_without_an_injury_is_a_clot_to_rule_out(catalogue: Catalogue) -> None:
    ache = Symptoms(where=["calf"], when=["all-the-time"], feels=["dull-ache"], onset="gradual")
    assert "dvt" in [found.id for found in assess(ache, catalogue).triage.red_flags]
    strain = Symptoms(where=["calf"], when=["all-the-time"], onset="sudden")
    assert "dvt" not in [found.id for found in assess(strain, catalogue).triage.red_flags]


def test_both_feet_going_numb_on_the_run_is_exertional_compartment_syndrome(
    catalogue: Catalogue,
) -> None:
    feet = Symptoms(where=["foot"], when=["during-run"], signs=["numbness"], both_sides=True)
    found = [flag.id for flag in assess(feet, catalogue).triage.red_flags]
    assert "exertional-compartment-syndrome" in found


def test_hip_pain_at_rest_with_sitting_pain_or_a_sudden_groin_strain_is_not_the_hip_fracture(
    catalogue: Catalogue,
) -> None:
    def flags(**fields: object) -> list[str]:
        return [f.id for f in assess(Symptoms.model_validate(fields), catalogue).triage.red_flags]

    assert "femoral-neck-stress-fracture" in flags(where=["hip"], when=["at-rest"])
    assert "femoral-neck-stress-fracture" not in flags(
        where=["hip"], when=["at-rest"], triggers=["sitting-long"]
    )
    assert "femoral-neck-stress-fracture" in flags(
        where=["hip"], when=["at-rest"], triggers=["sitting-long"], signs=["limping"]
    )
    assert "femoral-neck-stress-fracture" not in flags(
        where=["groin"], when=["at-night"], onset="sudden"
    )


def test_behind_the_outer_ankle_bone_is_not_the_achilles(catalogue: Catalogue) -> None:
    sided = Symptoms(where=["ankle"], part=["back", "outer"], onset="sudden", signs=["limping"])
    assert "achilles-rupture" not in [f.id for f in assess(sided, catalogue).triage.red_flags]
    behind = Symptoms(where=["ankle"], part=["back"], onset="sudden", signs=["limping"])
    assert "achilles-rupture" in [f.id for f in assess(behind, catalogue).triage.red_flags]


def _flag_ids(catalogue: Catalogue, **fields: object) -> list[str]:
    return [f.id for f in assess(Symptoms.model_validate(fields), catalogue).triage.red_flags]


def test_a_knee_that_gives_way_since_a_sudden_injury_is_a_ligament_to_rule_out(
    catalogue: Catalogue,
) -> None:
    landing = {"where": ["knee"], "signs": ["giving-way"], "absent": ["swelling"]}
    assert "knee-ligament-tear" in _flag_ids(catalogue, **landing, onset="sudden")
    assert "knee-ligament-tear" not in _flag_ids(catalogue, **landing, onset="gradual")


def test_sudden_achilles_pain_on_a_sprint_or_jump_is_a_rupture_to_rule_out(
    catalogue: Catalogue,
) -> None:
    sprint = {"where": ["achilles"], "onset": "sudden", "triggers": ["sprinting"]}
    assert "achilles-rupture" in _flag_ids(catalogue, **sprint)
    # A calf pull that reaches down into the Achilles is the calf's own story.
    assert "achilles-rupture" not in _flag_ids(
        catalogue, **{**sprint, "where": ["calf", "achilles"]}
    )
    assert "achilles-rupture" not in _flag_ids(
        catalogue, where=["achilles"], onset="gradual", triggers=["sprinting"]
    )


def test_night_pain_with_a_limp_in_a_young_runner_is_a_bone_to_check(catalogue: Catalogue) -> None:
    young = {"signs": ["night-pain", "limping"], "age": 20}
    assert "bone-tumour-or-infection" in _flag_ids(catalogue, **young)
    assert "bone-tumour-or-infection" not in _flag_ids(catalogue, **{**young, "age": 45})


def test_hip_pain_at_night_after_a_sudden_strain_is_not_the_hip_fracture(
    catalogue: Catalogue,
) -> None:
    night = {"where": ["hip"], "part": ["front"], "signs": ["night-pain"]}
    assert "femoral-neck-stress-fracture" in _flag_ids(catalogue, **night, onset="gradual")
    assert "femoral-neck-stress-fracture" not in _flag_ids(catalogue, **night, onset="sudden")
    # A limp still sends a sudden hip pain on.
    limp = {**night, "onset": "sudden", "signs": ["night-pain", "limping"]}
    assert "femoral-neck-stress-fracture" in _flag_ids(catalogue, **limp)


def test_missed_periods_alone_are_red_s_to_see_soon(catalogue: Catalogue) -> None:
    assert "high-risk-stress-fracture" in _flag_ids(
        catalogue, signs=["missed-periods"], age=16, sex="female"
    )


def test_hip_pain_on_walking_after_more_miles_is_the_hip_fracture_to_rule_out(
    catalogue: Catalogue,
) -> None:
    ramp = {"where": ["hip"], "triggers": ["walking", "mileage-increase"], "age": 51}
    assert "femoral-neck-stress-fracture" in _flag_ids(catalogue, **ramp)
    # Pain on the outer hip bone is the trochanter's.
    assert "femoral-neck-stress-fracture" not in _flag_ids(catalogue, **ramp, part=["outer"])


def test_acute_injuries_with_a_pop_or_at_the_sitting_bone_are_sent_on(
    catalogue: Catalogue,
) -> None:
    landing = {"where": ["knee"], "onset": "sudden", "signs": ["pop", "twist"]}
    assert "knee-ligament-tear" in _flag_ids(catalogue, **landing)
    seat = {"where": ["thigh-back"], "part": ["sitting-bone"], "onset": "sudden"}
    assert "hamstring-avulsion" in _flag_ids(catalogue, **seat, signs=["limping"])
    assert "hamstring-avulsion" not in _flag_ids(catalogue, **seat)


def test_a_calf_that_wakes_you_at_night_without_a_run_injury_is_a_clot_to_rule_out(
    catalogue: Catalogue,
) -> None:
    desk = {"where": ["calf"], "when": ["at-rest"], "signs": ["night-pain"], "onset": "sudden"}
    assert "dvt" in _flag_ids(catalogue, **desk)
    strain = {"where": ["calf"], "when": ["at-rest", "during-run"], "onset": "sudden"}
    assert "dvt" not in _flag_ids(catalogue, **strain)
