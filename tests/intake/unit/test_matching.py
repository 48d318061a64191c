"""Issue 11 item 10: duplicates match on the USCC when both have one, else on the normalised name,
and a missing project is compatible (domain/matching.py)."""

from intake.domain.matching import match, matter_facts, matter_locks
from intake.domain.model import MatterFacts

USCC = "91330106MA2H0XXX1A"
OTHER_USCC = "91330106MA2H0YYY2B"


def facts(
    *,
    name: str = "杭州甲建设有限公司",
    uscc: str | None = None,
    project: str | None = "运河项目",
    division: str = "330106",
) -> MatterFacts:
    return matter_facts(division=division, employer_name=name, employer_uscc=uscc, project_name=project)


def test_a_uscc_on_one_side_only_matches_on_the_normalised_name() -> None:
    reason = match(facts(uscc=USCC), facts(name=" 杭州甲建设（有限公司） ", uscc=None))
    assert reason is not None
    assert reason.employer == "name"
    assert reason.project == "same"
    assert "same employer name" in reason.text()


def test_both_with_a_uscc_match_on_it_whatever_the_names() -> None:
    reason = match(facts(uscc=USCC.lower()), facts(name="别名甲建设", uscc=USCC))
    assert reason is not None
    assert (reason.employer, reason.employer_value) == ("uscc", USCC)
    assert match(facts(uscc=USCC), facts(uscc=OTHER_USCC)) is None  # same name, different employers


def test_a_missing_project_is_compatible_and_different_projects_are_not() -> None:
    new_without = match(facts(project=None), facts(project="运河项目"))
    assert new_without is not None
    assert new_without.project == "missing_on_new"
    lead_without = match(facts(project="运河项目"), facts(project="  "))
    assert lead_without is not None
    assert lead_without.project == "missing_on_lead"
    neither = match(facts(project=None), facts(project=None))
    assert neither is not None
    assert neither.project == "missing_on_both"
    assert match(facts(project="运河项目"), facts(project="另一个项目")) is None


def test_a_matter_belongs_to_one_division() -> None:
    assert match(facts(uscc=USCC), facts(uscc=USCC, division="330105")) is None
    assert match(facts(), facts(division="330105")) is None


def test_different_names_without_both_usccs_do_not_match() -> None:
    assert match(facts(name="甲建设"), facts(name="乙建设", uscc=USCC)) is None


def test_the_reason_is_kept_in_words_and_in_matched_on() -> None:
    reason = match(facts(uscc=USCC, project=None), facts(uscc=USCC))
    assert reason is not None
    assert reason.text() == f"rule 8: same USCC {USCC}, same division, this clue names no project"
    assert reason.matched_on() == {
        "employer": f"uscc:{USCC}",
        "project": "运河项目",
        "employer_basis": "uscc",
        "project_basis": "missing_on_new",
    }


def test_submissions_that_could_match_share_a_lock_and_take_locks_in_one_order() -> None:
    with_code, name_only = facts(uscc=USCC), facts(uscc=None)
    assert set(matter_locks(with_code)) & set(matter_locks(name_only))
    assert set(matter_locks(with_code)) & set(matter_locks(facts(name="别名", uscc=USCC)))
    assert matter_locks(with_code) == sorted(matter_locks(with_code))
