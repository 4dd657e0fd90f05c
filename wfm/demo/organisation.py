"""The demo centre's structure: a bank contact centre modelled on the Anonymous Bank data (Israel, 1999),
loaded as the Tel Aviv centre (`TEL_AVIV`) or in another centre's words and place (`wfm.demo.centres`).

Its call types and priorities become queues (retail, priority clients, stock-exchange desk, internet
support, English line, prospective customers, callbacks), joined by the channels the seed article adds
(chat, video, back office). About sixty agents in six teams, some with a skill history, and a few leavers.
Everything is generated from a fixed seed, so every demo database is the same.
"""

from __future__ import annotations

import datetime as dt
import random

from wfm.admin import operations as ops
from wfm.demo.centre import Centre
from wfm.extensions import db
from wfm.models import (
    Agent,
    AgentSkill,
    AgentStatus,
    Channel,
    Queue,
    Role,
    ShiftTemplate,
    Site,
    Skill,
    Team,
    User,
)

DEMO_PASSWORD = "demo"

SITE = {
    "name": "Tel Aviv Contact Centre",
    "time_zone": "Asia/Jerusalem",
    "country": "IL",
    # Monday..Sunday, from the 1999 arrival pattern: Sunday–Thursday long days, a short Friday,
    # Saturday evening after the Sabbath.
    "hours": {
        0: (420, 1440),
        1: (420, 1440),
        2: (420, 1440),
        3: (420, 1440),
        4: (420, 840),
        5: (1080, 1440),
        6: (420, 1440),
    },
}

SKILLS = [
    ("Retail service", "Everyday banking questions (call type PS)"),
    ("Priority service", "High-value clients: financial adviser and secretary service"),
    ("Stock exchange", "Trading and stock-exchange activity (call type NE)"),
    ("Internet support", "Online banking support (call type IN)"),
    ("English", "Service in English (call type PE)"),
    ("Sales", "Prospective customers (call type NW)"),
    ("Chat", "Written service on the web and app chat"),
    ("Video advisory", "Video meetings with wealth clients"),
    ("Back-office processing", "Entry, review, checking and risk-control work items"),
]

# name, channel, service level, answer seconds, deadline hours, concurrency, skill, minimum proficiency,
# import codes (the 1999 call types; "-priority" marks high-value customers)
QUEUES = [
    ("Retail voice", Channel.VOICE, 0.80, 20, None, 1, "Retail service", 1, "PS"),
    ("Priority clients", Channel.VOICE, 0.90, 15, None, 1, "Priority service", 3, "PS-priority"),
    ("Stock-exchange desk", Channel.VOICE, 0.85, 20, None, 1, "Stock exchange", 2, "NE, NE-priority"),
    ("Internet support", Channel.VOICE, 0.80, 30, None, 1, "Internet support", 1, "IN, IN-priority"),
    ("English line", Channel.VOICE, 0.80, 30, None, 1, "English", 2, "PE, PE-priority"),
    ("Prospective customers", Channel.VOICE, 0.75, 30, None, 1, "Sales", 1, "NW, NW-priority"),
    ("Callbacks", Channel.BACK_OFFICE, None, None, 2.0, 1, "Retail service", 2, "TT, TT-priority"),
    ("Web chat", Channel.CHAT, 0.80, 60, None, 3, "Chat", 1, ""),
    ("Video advice", Channel.VIDEO, 0.80, 30, None, 1, "Video advisory", 3, ""),
    ("Back office", Channel.BACK_OFFICE, None, None, 8.0, 1, "Back-office processing", 1, ""),
]

# team, head count, skills every member has, skills some members add
TEAMS = [
    ("Retail A", 14, ["Retail service"], ["English", "Sales", "Chat"]),
    ("Retail B", 13, ["Retail service"], ["Sales", "Internet support", "Chat"]),
    (
        "Priority & wealth",
        9,
        ["Retail service", "Priority service"],
        ["Video advisory", "English", "Stock exchange"],
    ),
    ("Markets desk", 7, ["Stock exchange"], ["Priority service", "English"]),
    ("Digital", 9, ["Chat", "Internet support"], ["Retail service", "English"]),
    ("Back office", 8, ["Back-office processing"], ["Retail service", "Chat"]),
]
# A few who do everything: every skill, at the level every queue asks (floor support between the teams).
# Drawn with their own random stream after everyone else, so the other agents stay as they were.
FLOOR_TEAM = ("Floor support", 3)

FIRST_NAMES = [
    "Dorit",
    "Michal",
    "Avi",
    "Yael",
    "Noa",
    "Eitan",
    "Tamar",
    "Omer",
    "Shira",
    "Yossi",
    "Ronit",
    "Gil",
    "Maya",
    "Amir",
    "Liat",
    "Ido",
    "Hila",
    "Nadav",
    "Efrat",
    "Oren",
    "Sigal",
    "Tal",
    "Galit",
    "Ariel",
    "Keren",
    "Uri",
    "Orly",
    "Ben",
    "Inbal",
    "Dana",
    "Moshe",
    "Sarit",
    "Yoni",
    "Adi",
    "Rina",
    "Boaz",
    "Merav",
    "Eli",
    "Anat",
    "Dvir",
    "Lior",
    "Nurit",
    "Ran",
    "Osnat",
    "Ziv",
    "Vered",
    "Itai",
    "Hadas",
    "Erez",
    "Smadar",
    "Shai",
    "Yifat",
    "Roee",
    "Limor",
    "Asaf",
    "Einat",
    "Guy",
    "Revital",
    "Noam",
    "Irit",
    "Kobi",
    "Tali",
    "Dror",
    "Ayelet",
    "Yaniv",
    "Meital",
    "Alon",
    "Hagit",
    "Nir",
    "Ofra",
]
LAST_NAMES = [
    "Cohen",
    "Levi",
    "Mizrahi",
    "Peretz",
    "Biton",
    "Dahan",
    "Avraham",
    "Friedman",
    "Azoulay",
    "Katz",
    "Malka",
    "Ohana",
    "Shapiro",
    "Ben-David",
    "Gabay",
    "Amar",
    "Hadad",
    "Segal",
    "Golan",
    "Sasson",
    "Navon",
    "Barak",
    "Rosen",
    "Tal",
    "Weiss",
    "Carmi",
    "Levin",
    "Eliyahu",
    "Shalom",
    "Yosef",
]
LEAVING_REASONS = [
    "Resigned: better-paid job elsewhere",
    "Resigned: no prospect of promotion",
    "Moved to the branch network",
    "Studies",
    "Relocation",
    "End of fixed-term contract",
    "Resigned: shift pattern did not suit family",
]

# name, earliest start, latest start, step, lengths, days (0 = Monday), breaks, per hour, night ×, weekend ×
# The centre's week runs Sunday to Thursday, with a short Friday and a Saturday evening. Templates serve
# every queue, except those named in TEMPLATE_QUEUES (office hours for the back-office processors).
WEEKDAYS_IL = [6, 0, 1, 2, 3]
SHIFT_TEMPLATES = [
    (
        "Day",
        7 * 60,
        12 * 60,
        15,
        [360, 480, 540],
        WEEKDAYS_IL,
        [
            {"name": "break", "minutes": 15, "window": ["01:30", "03:00"], "paid": True},
            {
                "name": "lunch",
                "minutes": 30,
                "window": ["03:00", "05:30"],
                "paid": False,
                "min_shift_minutes": 480,
            },
            {
                "name": "afternoon break",
                "minutes": 15,
                "window": ["05:30", "07:30"],
                "paid": True,
                "min_shift_minutes": 480,
            },
        ],
        1.0,
        1.0,
        1.0,
    ),
    (
        "Evening",
        14 * 60,
        18 * 60,
        15,
        [360, 480],
        WEEKDAYS_IL,
        [
            {"name": "break", "minutes": 15, "window": ["01:30", "03:00"], "paid": True},
            {
                "name": "dinner",
                "minutes": 30,
                "window": ["03:00", "05:30"],
                "paid": False,
                "min_shift_minutes": 480,
            },
        ],
        1.0,
        1.25,
        1.0,
    ),
    (
        "Part-time",
        7 * 60,
        20 * 60,
        30,
        [240],
        [6, 0, 1, 2, 3, 4],
        [{"name": "break", "minutes": 15, "window": ["01:30", "03:00"], "paid": True}],
        1.05,
        1.25,
        1.0,
    ),
    (
        "Friday",
        7 * 60,
        8 * 60,
        15,
        [360, 420],
        [4],
        [{"name": "break", "minutes": 15, "window": ["02:00", "04:00"], "paid": True}],
        1.0,
        1.0,
        1.0,
    ),
    (
        "Back-office day",
        8 * 60,
        9 * 60,
        30,
        [480],
        WEEKDAYS_IL,
        [
            {"name": "break", "minutes": 15, "window": ["01:30", "03:00"], "paid": True},
            {"name": "lunch", "minutes": 30, "window": ["03:00", "05:30"], "paid": False},
        ],
        1.0,
        1.0,
        1.0,
    ),
    (
        "Saturday evening",
        18 * 60,
        18 * 60,
        15,
        [360],
        [5],
        [{"name": "break", "minutes": 15, "window": ["02:00", "04:00"], "paid": True}],
        1.0,
        1.25,
        1.5,
    ),
]

TEMPLATE_QUEUES = {"Back-office day": ["Back office"]}

DEMO_USERS = [
    ("admin", "Ada Admin", [Role.ADMIN], None),
    ("scheduler", "Sami Scheduler", [Role.SCHEDULER], None),
    ("hr", "Hana HR", [Role.HR], None),
    ("agent", None, [Role.AGENT], 0),
    ("agent2", None, [Role.AGENT], 1),
    ("agent3", None, [Role.AGENT], 2),
]


def _names(rng: random.Random):
    pairs = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(pairs)
    for first, last in pairs:
        yield f"{first} {last}"


TEL_AVIV = Centre(
    key="tel-aviv",
    site={"name": SITE["name"], "time_zone": SITE["time_zone"], "country": SITE["country"]},
    names=_names,
    display_names={},
)


def is_empty() -> bool:
    return db.session.query(Site.id).first() is None and db.session.query(User.id).first() is None


def demo_users_present() -> list[tuple[str, str]]:
    """The demo users still in the database, with their roles."""
    users = (
        db.session.query(User)
        .filter(User.username.in_([u[0] for u in DEMO_USERS] + ["qa"]))  # "qa": the careers demo's QA staff
        .order_by(User.id)
        .all()
    )
    return [(u.username, ", ".join(sorted(r.value for r in u.roles))) for u in users]


def team_sizes(agents: int | None) -> list[int]:
    """The demo's team sizes, or scaled to `agents` in total (for load tests); largest remainders win."""
    sizes = [size for _, size, _, _ in TEAMS]
    if agents is None:
        return sizes
    exact = [size * agents / sum(sizes) for size in sizes]
    scaled = [int(x) for x in exact]
    for index in sorted(range(len(exact)), key=lambda i: scaled[i] - exact[i])[: agents - sum(scaled)]:
        scaled[index] += 1
    return scaled


def _in_teams(agent_count: int | None) -> int | None:
    """Agents for the ordinary teams when the demo is scaled: the floor-support team keeps its size."""
    return None if agent_count is None else max(len(TEAMS), agent_count - FLOOR_TEAM[1])


def load(
    centre: Centre, today: dt.date | None = None, seed: int = 1999, agent_count: int | None = None
) -> dict:
    """Create the demo centre (`TEL_AVIV`, or another of `wfm.demo.centres`); the caller commits. Returns
    what was made, for printing.

    `agent_count` scales the teams to that many agents in all (the load test uses 200); None is the demo
    as is. Everything below is keyed by the structure's names; the records carry the centre's words.
    """
    today = today or dt.date.today()
    rng = random.Random(seed)
    site = ops.save_site(
        None,
        name=centre.site["name"],
        time_zone=centre.site["time_zone"],
        country=centre.site["country"],
        opening_hours={centre.weekday(day): hours for day, hours in SITE["hours"].items()},
    )
    skills = {
        name: ops.save_skill(None, name=centre.say("skill", name), description=centre.say("skill", text))
        for name, text in SKILLS
    }
    for name, skill in skills.items():
        if skill.name != name:  # the career rules know it by the structure's name
            skill.code = name
    queues = {}
    for name, channel, level, seconds, deadline, concurrency, skill, proficiency, codes in QUEUES:
        queues[name] = Queue(
            site=site,
            name=centre.say("queue", name),
            channel=channel,
            service_level=level,
            answer_seconds=seconds,
            deadline_hours=deadline,
            concurrency=concurrency,
            skill=skills[skill],
            min_proficiency=proficiency,
            import_codes=codes,
        )
        db.session.add(queues[name])
    db.session.flush()
    names = centre.names(rng)
    agents: list[Agent] = []
    number = 1
    for (team_name, _, core, extra), size in zip(TEAMS, team_sizes(_in_teams(agent_count)), strict=True):
        team = Team(site=site, name=centre.say("team", team_name))
        db.session.add(team)
        for _ in range(size):
            agents.append(_agent(rng, site, team, f"A{number:03d}", next(names), core, extra, skills, today))
            number += 1
    for name, earliest, latest, step, lengths, days, breaks, per_hour, night, weekend in SHIFT_TEMPLATES:
        db.session.add(
            ShiftTemplate(
                site=site,
                name=centre.say("template", name),
                earliest_start=earliest,
                latest_start=latest,
                step_minutes=step,
                lengths=lengths,
                days=[centre.weekday(day) for day in days],
                breaks=[{**b, "name": centre.say("break", b["name"])} for b in breaks],
                per_hour=per_hour,
                night_multiplier=night,
                weekend_multiplier=weekend,
                queue_ids=[queues[q].id for q in TEMPLATE_QUEUES.get(name, [])],
            )
        )
    leavers = _leavers(rng, centre, site, list(db.session.new), names, skills, today, first_number=number)
    floor = _floor_team(centre, site, names, skills, today, first_number=number + len(leavers))
    db.session.add_all(agents + leavers + floor)
    db.session.flush()
    users = []
    for username, display, roles, agent_index in DEMO_USERS:
        agent = agents[agent_index] if agent_index is not None else None
        users.append(
            ops.save_user(
                None,
                username=username,
                display_name=centre.display_names.get(username, display) if agent is None else agent.name,
                email=None,
                password=DEMO_PASSWORD,
                roles=[r.value for r in roles],
                agent_id=agent.id if agent else None,
                check_policy=False,
            )
        )  # the demo's well-known password, on purpose
    return {
        "site": site.name,
        "agents": len(agents) + len(floor),
        "leavers": len(leavers),
        "users": [(u.username, ", ".join(sorted(r.value for r in u.roles))) for u in users],
    }


def _agent(rng, site, team, number, name, core, extra, skills, today) -> Agent:
    years = rng.choice([0.3, 0.8, 1.5, 2, 3, 4, 6, 9, 12])
    hire = today - dt.timedelta(days=int(years * 365) + rng.randint(0, 120))
    hours = rng.choices([40.0, 36.0, 30.0, 20.0], weights=[6, 2, 2, 1])[0]
    agent = Agent(
        employee_number=number, name=name, site=site, team=team, hire_date=hire, contracted_hours=hours
    )
    tenure_days = (today - hire).days
    for skill_name in core:
        _grow_skill(rng, agent, skills[skill_name], hire, tenure_days)
    for skill_name in extra:
        if rng.random() < 0.45:
            start = hire + dt.timedelta(days=rng.randint(30, max(31, tenure_days - 1)))
            _grow_skill(rng, agent, skills[skill_name], min(start, today), (today - min(start, today)).days)
    return agent


def _grow_skill(rng, agent: Agent, skill: Skill, start: dt.date, days_held: int) -> None:
    """A skill that starts low and rises with time held: a history of rows, the last one open."""
    level = rng.choice([1, 2, 2, 3])
    target = min(5, level + days_held // 400 + rng.choice([0, 0, 1]))
    day = start
    while level < target:
        step = dt.timedelta(days=rng.randint(200, 420))
        if day + step >= start + dt.timedelta(days=days_held):
            break
        agent.skills.append(
            AgentSkill(
                skill=skill,
                proficiency=level,
                effective_from=day,
                effective_to=day + step - dt.timedelta(days=1),
            )
        )
        day, level = day + step, level + 1
    agent.skills.append(AgentSkill(skill=skill, proficiency=level, effective_from=day))


def _floor_team(centre: Centre, site, names, skills, today, first_number: int) -> list[Agent]:
    """The few who do everything: every skill at the highest level any queue asks, for some years."""
    rng = random.Random(FLOOR_TEAM[0])
    team = Team(site=site, name=centre.say("team", FLOOR_TEAM[0]))
    db.session.add(team)
    need = {}
    for _, _, _, _, _, _, skill, proficiency, _ in QUEUES:
        need[skill] = max(need.get(skill, 1), proficiency)
    people = []
    for offset in range(FLOOR_TEAM[1]):
        hire = today - dt.timedelta(days=rng.randint(4 * 365, 10 * 365))
        agent = Agent(
            employee_number=f"A{first_number + offset:03d}",
            name=next(names),
            site=site,
            team=team,
            hire_date=hire,
            contracted_hours=40.0,
        )
        for name, _ in SKILLS:
            level = min(5, need.get(name, 1) + rng.choice([0, 1]))
            agent.skills.append(AgentSkill(skill=skills[name], proficiency=level, effective_from=hire))
        people.append(agent)
    return people


def _leavers(rng, centre: Centre, site, new_objects, names, skills, today, first_number: int) -> list[Agent]:
    """People who left over the last two years, mostly early in their tenure, as in most contact centres."""
    teams = [o for o in new_objects if isinstance(o, Team)]
    leavers = []
    for offset in range(9):
        team = rng.choice(teams)
        leaving = today - dt.timedelta(days=rng.randint(10, 700))
        hire = leaving - dt.timedelta(days=rng.choice([60, 150, 250, 400, 700, 1500]))
        agent = Agent(
            employee_number=f"A{first_number + offset:03d}",
            name=next(names),
            site=site,
            team=team,
            hire_date=hire,
            contracted_hours=40.0,
            status=AgentStatus.LEFT,
            leaving_date=leaving,
            leaving_reason=centre.say("text", rng.choice(LEAVING_REASONS)),
        )
        core = next(core for name, _, core, _ in TEAMS if centre.say("team", name) == team.name)
        agent.skills.append(
            AgentSkill(
                skill=skills[core[0]],
                proficiency=rng.choice([1, 2, 3]),
                effective_from=hire,
                effective_to=leaving,
            )
        )
        leavers.append(agent)
    return leavers
