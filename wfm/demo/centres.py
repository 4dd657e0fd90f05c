"""The demo's two contact centres: Beijing (the seed article's centre, `wfm demo`'s default) and Tel Aviv
(the centre of the 1999 Anonymous Bank data, `wfm demo --centre tel-aviv`).

Both are one centre in two places. The Tel Aviv centre's queues, skills, teams, templates and proficiencies
(`wfm.demo.tel_aviv`) are the structure; the Beijing centre (`wfm.demo.beijing`) gives the same structure
its own words (Chinese names of queues, teams, skills, templates and the demo's free texts), its own people
(Chinese names), time zone and public holidays (China's, with their make-up working days), and moves its
week one day later: the 1999 centre worked Sunday to Thursday with a short Friday and a Saturday evening,
the Beijing centre works Monday to Friday with a short Saturday and a Sunday evening. Its history is the
same real 1999 calls, moved by whole weeks and that one day (`wfm.demo.history`), so volumes and the
weekly pattern are the data's, on the Beijing centre's weekdays.
"""

from __future__ import annotations

from wfm.demo import beijing, organisation
from wfm.demo.centre import Centre
from wfm.models import Site

CENTRES = {centre.key: centre for centre in (beijing.CENTRE, organisation.TEL_AVIV)}
DEFAULT = beijing.CENTRE.key


def named(key: str | None) -> Centre:
    """The centre with this key (`DEFAULT` for None)."""
    return CENTRES[key or DEFAULT]


def of_site(site: Site | None) -> Centre:
    """The demo centre a site was loaded as: by its name, else by its time zone and country (a renamed demo
    site); Tel Aviv, the structure, for any other site."""
    if site is not None:
        for same in (
            lambda c: site.name == c.site["name"],
            lambda c: (site.time_zone, site.country) == (c.site["time_zone"], c.site["country"]),
        ):
            for centre in CENTRES.values():
                if same(centre):
                    return centre
    return organisation.TEL_AVIV
