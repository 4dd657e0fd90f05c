import dataclasses

import pytest

from training.catalogue import (
    Catalogue,
    CatalogueError,
    Competency,
    Course,
    Field,
    Ladder,
    Level,
    Track,
    catalogue_from,
)
from training.defaults import default_catalogue


def test_default_catalogue_has_the_nine_fields_of_the_article_in_three_tracks():
    cat = default_catalogue()
    by_track = {t: [f.code for f in cat.fields_in(t)] for t in Track}
    assert by_track == {
        Track.SERVICE: ["basic_service", "high_end_service", "wealth_manager", "crm_expert"],
        Track.OPERATIONS: ["back_office", "centre_roles"],
        Track.ANALYTICS: ["data_analyst", "model_builder", "systems_developer"],
    }
    for fld in cat.fields.values():
        assert fld.ladder.top >= 2, fld.code
        assert [lv.number for lv in fld.ladder.levels] == list(range(1, fld.ladder.top + 1))
        # each rung up asks for at least as much tenure as the one below
        tenures = [lv.tenure_months for lv in fld.ladder.levels]
        assert tenures == sorted(tenures), fld.code
    assert "financial adviser" in cat.fields["high_end_service"].name
    assert "quality inspection" in cat.fields["centre_roles"].description
    assert "AI and BI" in cat.fields["model_builder"].name


def test_wealth_manager_level_2_needs_licence_two_years_and_quality_85():
    level = default_catalogue().level("wealth_manager", 2)
    assert "INV-ADV" in level.certifications
    assert level.tenure_months == 24
    assert level.min_quality == 85


def test_default_catalogue_is_a_fresh_copy_each_call():
    first = default_catalogue()
    first.courses["INDUCT"].raises["english"] = 5  # a caller editing its copy
    assert "english" not in default_catalogue().courses["INDUCT"].raises


def _tiny(**changes) -> dict:
    comp = Competency("c", "C")
    course = Course("K", "Course", 4, {"c": 2})
    level = Level("f", 1, "One", {"c": 2}, ("K",))
    parts = {
        "fields": [Field("f", "F", Track.SERVICE, Ladder((level,)))],
        "competencies": [comp],
        "courses": [course],
        "certifications": [],
    }
    parts.update(changes)
    return parts


def test_a_consistent_tiny_catalogue_builds():
    cat = catalogue_from(**_tiny())
    assert cat.level("f", 1).title == "One"
    with pytest.raises(KeyError, match="no level 2"):
        cat.level("f", 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"courses": [Course("K", "Course", 4, {"nope": 2})]},
            r"courses\[K\]\.raises: unknown competency 'nope'",
        ),
        ({"courses": [Course("K", "Course", 4, {"c": 6})]}, r"courses\[K\]\.raises\[c\]: proficiency 6"),
        ({"courses": [Course("K", "Course", 0, {"c": 2})]}, r"courses\[K\]\.hours"),
        ({"courses": [Course("K", "Course", 4, {"c": 2}, awards="X")]}, r"courses\[K\]\.awards: unknown"),
        (
            {
                "courses": [
                    Course("K", "Course", 4, {"c": 2}, prerequisites=("K2",)),
                    Course("K2", "Course 2", 4, {}, prerequisites=("K",)),
                ]
            },
            r"cycle K -> K2 -> K",
        ),
        (
            {"fields": [Field("f", "F", Track.SERVICE, Ladder((Level("f", 2, "Two"),)))]},
            r"fields\[f\]\.ladder: levels numbered \[2\]",
        ),
        (
            {
                "fields": [
                    Field("f", "F", Track.SERVICE, Ladder((Level("f", 1, "One", certifications=("AML",)),)))
                ]
            },
            r"fields\[f\]\.ladder\.levels\[1\]\.certifications: unknown certification 'AML'",
        ),
        (
            {
                "fields": [
                    Field("f", "F", Track.SERVICE, Ladder((Level("f", 1, "One", requires_levels={"g": 1}),)))
                ]
            },
            r"requires_levels: 'g' is not another field",
        ),
        (
            {"fields": [Field("f", "F", Track.SERVICE, Ladder((Level("g", 1, "One"),)))]},
            r"levels\[1\]\.field: 'g'",
        ),
        (
            {"competencies": [Competency("c", "C"), Competency("c", "again")]},
            r"competencies: code 'c' appears twice",
        ),
    ],
)
def test_inconsistent_catalogues_are_refused_naming_the_field(changes, message):
    with pytest.raises(CatalogueError, match=message):
        catalogue_from(**_tiny(**changes))


def test_editing_a_copy_is_validated_again():
    cat = default_catalogue()
    fld = cat.fields["data_analyst"]
    bad = dataclasses.replace(fld.ladder.levels[0], min_quality=120)
    fields = dict(cat.fields)
    fields["data_analyst"] = dataclasses.replace(fld, ladder=Ladder((bad, *fld.ladder.levels[1:])))
    with pytest.raises(CatalogueError, match=r"fields\[data_analyst\]\.ladder\.levels\[1\]\.min_quality"):
        Catalogue(fields, cat.competencies, cat.courses, cat.certifications)
