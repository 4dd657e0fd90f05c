"""Between the database and the `training` engine: seed the catalogue, read it back as a `Catalogue`, and
read an agent's rows as an `AgentRecord`. Every judgement (eligibility, plans, skills) is the engine's.

The catalogue is stored in English and Chinese; the engine's `Catalogue` holds one text per name, so
`load_catalogue` gives the names in the reader's language (English where the Chinese is empty, and outside a
request). Machine-readable answers (the API) keep English names and give the Chinese beside them: they read
inside `names_in_english()` and take the Chinese from `chinese_names()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from training.catalogue import (
    Catalogue,
    Certification,
    Competency,
    Course,
    Field,
    Ladder,
    Level,
    Track,
    catalogue_from,
)
from training.defaults import default_catalogue
from training.kpis import KpiDay, KpiValue, kpi_values
from training.quality import QualityScore
from training.records import (
    AgentRecord,
    CertificationHeld,
    CompetencyAssessment,
    CourseCompletion,
    EvidenceStatus,
    LevelHeld,
)
from wfm.careers import catalogue_zh
from wfm.extensions import db
from wfm.first_use import get_or_make, stored_or_default
from wfm.i18n import localized
from wfm.models import Agent
from wfm.models.careers import (
    Assessment,
    CareerCertification,
    CareerCompetency,
    CareerCourse,
    CareerField,
    CareerLevel,
    CareerProfile,
    CareerTrack,
    CertificationRow,
    CourseCompletionRow,
    LevelHeldRow,
)
from wfm.models.intraday import AdherenceDay
from wfm.models.talent import AgentKpi, QualityEvaluation

# Where an agent of a demo team is counted until HR says otherwise.
DEFAULT_FIELD = "basic_service"

_IN_ENGLISH: ContextVar[bool] = ContextVar("catalogue_names_in_english", default=False)


@dataclass(frozen=True)
class ChineseNames:
    """The catalogue's Chinese texts by code ("" or missing: not translated, English is shown)."""

    fields: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (name, description)
    levels: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # -> (title, description)
    competencies: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (name, description)
    courses: dict[str, str] = field(default_factory=dict)
    certifications: dict[str, str] = field(default_factory=dict)
    tracks: dict[str, str] = field(default_factory=dict)


# The three tracks in English (the engine's `Track` codes); their Chinese is the article's.
TRACK_NAMES = {"service": "Service", "operations": "Operations", "analytics": "Analytics"}


def seeded_chinese() -> ChineseNames:
    """The Chinese of the seeded catalogue (`catalogue_zh`)."""
    return ChineseNames(
        fields=dict(catalogue_zh.FIELDS),
        levels={
            (code, number): (title, "")
            for code, titles in catalogue_zh.LEVELS.items()
            for number, title in enumerate(titles, start=1)
        },
        competencies=dict(catalogue_zh.COMPETENCIES),
        courses=dict(catalogue_zh.COURSES),
        certifications=dict(catalogue_zh.CERTIFICATIONS),
        tracks=dict(catalogue_zh.TRACKS),
    )


def seed_tracks() -> None:
    """Store the tracks not stored yet, named in both languages (a catalogue stored before tracks were
    rows gets them on its next change). The caller commits."""
    stored = set(db.session.scalars(select(CareerTrack.code)))
    for code, name in TRACK_NAMES.items():
        if code not in stored:
            db.session.add(CareerTrack(code=code, name=name, name_zh=catalogue_zh.TRACKS.get(code, "")))
    db.session.flush()


def track_names(english: bool = False) -> dict[str, str]:
    """Track code -> its name in the reader's language (`english`: in English); before the tracks are
    stored, the seeded names."""
    names = dict(TRACK_NAMES)
    chinese = dict(catalogue_zh.TRACKS)
    for row in db.session.scalars(select(CareerTrack)):
        names[row.code], chinese[row.code] = row.name, row.name_zh
    if english or _IN_ENGLISH.get():
        return names
    return {code: localized(name, chinese.get(code, "")) for code, name in names.items()}


def seed_catalogue(cat: Catalogue | None = None) -> bool:
    """Store the seeded catalogue, English and Chinese, when none is stored yet (True if it stored it); a
    catalogue given instead is stored in English only. The caller commits."""
    if db.session.scalar(select(CareerField.id).limit(1)) is not None:
        return False
    seed_tracks()
    zh = seeded_chinese() if cat is None else ChineseNames()
    cat = cat or default_catalogue()
    for c in cat.competencies.values():
        name_zh, description_zh = zh.competencies.get(c.code, ("", ""))
        db.session.add(
            CareerCompetency(
                code=c.code,
                name=c.name,
                description=c.description,
                name_zh=name_zh,
                description_zh=description_zh,
            )
        )
    for c in cat.certifications.values():
        db.session.add(
            CareerCertification(
                code=c.code,
                name=c.name,
                validity_months=c.validity_months,
                issuer=c.issuer,
                name_zh=zh.certifications.get(c.code, ""),
            )
        )
    for c in cat.courses.values():
        db.session.add(
            CareerCourse(
                code=c.code,
                name=c.name,
                name_zh=zh.courses.get(c.code, ""),
                hours=c.hours,
                raises=dict(c.raises),
                pass_score=c.pass_score,
                validity_months=c.validity_months,
                prerequisites=list(c.prerequisites),
                awards=c.awards,
            )
        )
    db.session.flush()
    for position, f in enumerate(cat.fields.values()):
        name_zh, description_zh = zh.fields.get(f.code, ("", ""))
        row = CareerField(
            code=f.code,
            name=f.name,
            track=f.track.value,
            description=f.description,
            position=position,
            name_zh=name_zh,
            description_zh=description_zh,
        )
        for lv in f.ladder.levels:
            level = level_row(lv)
            level.title_zh, level.description_zh = zh.levels.get(lv.key, ("", ""))
            row.levels.append(level)
        db.session.add(row)
    db.session.flush()
    return True


def level_row(lv: Level) -> CareerLevel:
    return CareerLevel(
        number=lv.number,
        title=lv.title,
        competencies=dict(lv.competencies),
        courses=list(lv.courses),
        certifications=list(lv.certifications),
        tenure_months=lv.tenure_months,
        min_quality=lv.min_quality,
        requires_levels=dict(lv.requires_levels),
        description=lv.description,
        kpis=dict(lv.kpis),
    )


def level_of(row: CareerLevel, field_code: str) -> Level:
    return Level(
        field_code,
        row.number,
        row.title,
        dict(row.competencies),
        tuple(row.courses),
        tuple(row.certifications),
        row.tenure_months,
        row.min_quality,
        dict(row.requires_levels),
        row.description,
        {kpi: float(need) for kpi, need in (row.kpis or {}).items()},
    )


def catalogue_for_change() -> Catalogue:
    """The catalogue a change works on, stored first when none is yet (the rows a change writes refer to
    its codes). Changes call this; pages call `load_catalogue`, which never writes."""
    if not seed_catalogue():
        seed_tracks()
    return load_catalogue()


@contextmanager
def names_in_english() -> Iterator[None]:
    """Within it, `load_catalogue` gives the English names whatever the reader's language (the API)."""
    token = _IN_ENGLISH.set(True)
    try:
        yield
    finally:
        _IN_ENGLISH.reset(token)


def load_catalogue(english: bool = False) -> Catalogue:
    """The stored catalogue as the engine's `Catalogue`, validated by the engine, its names and descriptions
    in the reader's language (`english`: in English); before any is stored (the first change stores it, as
    do `wfm careers seed` and `wfm demo`), the default one, without writing."""
    if db.session.scalar(select(CareerField.id).limit(1)) is None:
        cat, zh = default_catalogue(), seeded_chinese()
    else:
        cat, zh = _stored_catalogue(), chinese_names()
    if english or _IN_ENGLISH.get():
        return cat
    return in_reader_language(cat, zh)


def chinese_names() -> ChineseNames:
    """The stored catalogue's Chinese texts (the seeded ones before any is stored)."""
    if db.session.scalar(select(CareerField.id).limit(1)) is None:
        return seeded_chinese()
    fields: dict[str, tuple[str, str]] = {}
    levels: dict[tuple[str, int], tuple[str, str]] = {}
    for f in db.session.scalars(select(CareerField).options(selectinload(CareerField.levels))):
        fields[f.code] = (f.name_zh, f.description_zh)
        for lv in f.levels:
            levels[(f.code, lv.number)] = (lv.title_zh, lv.description_zh)
    return ChineseNames(
        fields=fields,
        levels=levels,
        competencies={
            c.code: (c.name_zh, c.description_zh) for c in db.session.scalars(select(CareerCompetency))
        },
        courses={c.code: c.name_zh for c in db.session.scalars(select(CareerCourse))},
        certifications={c.code: c.name_zh for c in db.session.scalars(select(CareerCertification))},
        tracks=dict(catalogue_zh.TRACKS)
        | {t.code: t.name_zh for t in db.session.scalars(select(CareerTrack))},
    )


def in_reader_language(cat: Catalogue, zh: ChineseNames) -> Catalogue:
    """`cat` with each name, title and description in the reader's language (English where the Chinese is
    empty). Codes and requirements are untouched, so the engine judges exactly as with `cat`."""
    if localized("en", "zh") == "en":  # the reader reads English: nothing to change
        return cat
    blank = ("", "")
    fields = []
    for f in cat.fields.values():
        name, description = zh.fields.get(f.code, blank)
        levels = tuple(
            replace(
                lv,
                title=localized(lv.title, zh.levels.get(lv.key, blank)[0]),
                description=localized(lv.description, zh.levels.get(lv.key, blank)[1]),
            )
            for lv in f.ladder.levels
        )
        fields.append(
            replace(
                f,
                name=localized(f.name, name),
                description=localized(f.description, description),
                ladder=Ladder(levels),
            )
        )
    competencies = []
    for c in cat.competencies.values():
        name, description = zh.competencies.get(c.code, blank)
        competencies.append(
            replace(c, name=localized(c.name, name), description=localized(c.description, description))
        )
    courses = [replace(c, name=localized(c.name, zh.courses.get(c.code, ""))) for c in cat.courses.values()]
    certifications = [
        replace(c, name=localized(c.name, zh.certifications.get(c.code, "")))
        for c in cat.certifications.values()
    ]
    return catalogue_from(fields, competencies, courses, certifications)


def _stored_catalogue() -> Catalogue:
    fields = []
    for f in db.session.scalars(
        select(CareerField)
        .options(selectinload(CareerField.levels))
        .order_by(CareerField.position, CareerField.id)
    ):
        fields.append(
            Field(
                f.code,
                f.name,
                Track(f.track),
                Ladder(tuple(level_of(lv, f.code) for lv in f.levels)),
                f.description,
            )
        )
    comps = [
        Competency(c.code, c.name, c.description)
        for c in db.session.scalars(select(CareerCompetency).order_by(CareerCompetency.id))
    ]
    courses = [
        Course(
            c.code,
            c.name,
            c.hours,
            dict(c.raises),
            c.pass_score,
            c.validity_months,
            tuple(c.prerequisites),
            c.awards,
        )
        for c in db.session.scalars(select(CareerCourse).order_by(CareerCourse.id))
    ]
    certs = [
        Certification(c.code, c.name, c.validity_months, c.issuer)
        for c in db.session.scalars(select(CareerCertification).order_by(CareerCertification.id))
    ]
    return catalogue_from(fields, comps, courses, certs)


def profile_shown(agent: Agent) -> CareerProfile:
    """The agent's career profile for a page; before the first change to it, the default (counted in basic
    service), not written: reading changes nothing."""
    return stored_or_default(CareerProfile, {"agent_id": agent.id}, {"primary_field": DEFAULT_FIELD})


def profile_of(agent: Agent) -> CareerProfile:
    """The agent's stored career profile, made on first use: for a change to it (pages: `profile_shown`)."""
    profile = db.session.scalar(select(CareerProfile).where(CareerProfile.agent_id == agent.id))
    if profile is None:
        seed_catalogue()
        profile = get_or_make(CareerProfile, {"agent_id": agent.id}, {"primary_field": DEFAULT_FIELD})
    return profile


def record_of(agent: Agent) -> AgentRecord:
    """The agent's rows as the engine's record (agent ids are database ids as text)."""
    return records_of([agent])[0]


def records_of(agents: list[Agent]) -> list[AgentRecord]:
    """Records of many agents with one query per table (the dashboards read every agent)."""
    ids = [a.id for a in agents]
    profiles = {
        p.agent_id: p
        for p in db.session.scalars(select(CareerProfile).where(CareerProfile.agent_id.in_(ids)))
    }
    levels = _by_agent(
        select(LevelHeldRow)
        .where(LevelHeldRow.agent_id.in_(ids))
        .order_by(LevelHeldRow.since, LevelHeldRow.id)
    )
    assessments = _by_agent(
        select(Assessment).where(Assessment.agent_id.in_(ids)).order_by(Assessment.on, Assessment.id)
    )
    completions = _by_agent(
        select(CourseCompletionRow)
        .where(CourseCompletionRow.agent_id.in_(ids))
        .order_by(CourseCompletionRow.completed_on, CourseCompletionRow.id)
    )
    certs = _by_agent(
        select(CertificationRow)
        .where(CertificationRow.agent_id.in_(ids))
        .order_by(CertificationRow.issued_on, CertificationRow.id)
    )
    evaluations = _by_agent(
        select(QualityEvaluation)
        .where(
            QualityEvaluation.agent_id.in_(ids),
            QualityEvaluation.calibration.is_(None),
            QualityEvaluation.status != "cancelled",
        )
        .order_by(QualityEvaluation.on, QualityEvaluation.id)
    )
    kpis = _kpis_by_agent(ids)
    records = []
    for a in agents:
        profile = profiles.get(a.id)
        records.append(
            AgentRecord(
                agent_id=str(a.id),
                hire_date=a.hire_date,
                primary_field=profile.primary_field if profile else DEFAULT_FIELD,
                levels=tuple(LevelHeld(r.field_code, r.level, r.since) for r in levels.get(a.id, [])),
                assessments=tuple(
                    CompetencyAssessment(
                        r.competency, r.proficiency, r.on, EvidenceStatus(r.status), r.decided_on, r.source
                    )
                    for r in assessments.get(a.id, [])
                ),
                completions=tuple(
                    CourseCompletion(r.course, r.completed_on, r.score) for r in completions.get(a.id, [])
                ),
                certifications=tuple(
                    CertificationHeld(r.certification, r.issued_on, r.expires_on) for r in certs.get(a.id, [])
                ),
                quality_score=profile.quality_score if profile else None,
                evaluations=tuple(QualityScore(r.on, r.score) for r in evaluations.get(a.id, [])),
                leaving_date=a.leaving_date,
                name=a.name,
                kpis=kpis.get(a.id, ()),
            )
        )
    return records


def _kpis_by_agent(ids: list[int]) -> dict[int, tuple[KpiValue, ...]]:
    """Imported KPI days, and adherence from the intraday days weighted by the minutes scheduled."""
    out: dict[int, list[KpiValue]] = {}
    for row in db.session.scalars(select(AgentKpi).where(AgentKpi.agent_id.in_(ids))):
        day = KpiDay("", row.day, row.handle_seconds, row.fcr, row.csat)
        out.setdefault(row.agent_id, []).extend(kpi_values(day))
    adherence = select(AdherenceDay).where(AdherenceDay.agent_id.in_(ids), AdherenceDay.scheduled_minutes > 0)
    for row in db.session.scalars(adherence):
        value = 100 * row.adherent_minutes / row.scheduled_minutes
        out.setdefault(row.agent_id, []).append(KpiValue(row.day, "adherence", value, row.scheduled_minutes))
    return {agent_id: tuple(values) for agent_id, values in out.items()}


def _by_agent(query) -> dict[int, list]:
    out: dict[int, list] = {}
    for row in db.session.scalars(query):
        out.setdefault(row.agent_id, []).append(row)
    return out


def today() -> dt.date:
    return dt.date.today()
