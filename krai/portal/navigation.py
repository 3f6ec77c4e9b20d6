"""The portal's sections: what a resident can do, and where (once that area is built).

Each section names the URL names its area may use; the first that resolves is the link. An area that
is not installed yet has none, and the portal shows it as "coming soon" instead of a broken link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    description: str | Promise
    url_names: tuple[str, ...]
    in_nav: bool = True
    group: str = ""  # sections of one group share a drop-down in the navigation bar

    @property
    def url(self) -> str:
        for name in self.url_names:
            try:
                return reverse(name)
            except NoReverseMatch:
                continue
        return ""


SECTIONS: tuple[Section, ...] = (
    Section("home", _("Home"), _("The start page of the portal."), ("portal:home",), in_nav=False),
    Section(
        "problems", _("Report a problem"),
        _("Tell the authorities about a pothole, a broken streetlight or uncollected rubbish: mark the place on "
          "the map, add photos, and get an official answer within ten working days."),
        ("problems:home", "problems:list", "problems:index"),
    ),
    Section(
        "polls", _("Polls"),
        _("Vote in the region's and your municipality's polls and see the results."),
        ("participation:polls", "polls:list", "polls:index"), group="participate",
    ),
    Section(
        "priorities", _("Priorities"),
        _("Rank what matters most in your municipality; the ranks are rebuilt every quarter."),
        ("participation:priorities", "priorities:list", "priorities:index"), group="participate",
    ),
    Section(
        "ideas", _("Ideas"),
        _("Suggest how to improve life in the region and support the ideas of others."),
        ("participation:ideas", "ideas:list", "ideas:index"), group="participate",
    ),
    Section(
        "ratings", _("Service ratings"),
        _("Rate the government services you used and see their monthly ranks."),
        ("participation:ratings",), group="participate",
    ),
    Section(
        "lawmaking", _("Law-making"),
        _("Propose a regional or municipal act, discuss and amend drafts, read the experts' reviews and the "
          "government's answer, given by a deadline."),
        ("lawmaking:home",), group="participate",
    ),
    Section(
        "construction", _("Construction registry"),
        _("Permitted constructions on the map with their approvals; ask for a check of a site that is missing or "
          "differs, and read every result; illegal constructions and the measures taken."),
        ("construction:home",), group="building",
    ),
    Section(
        "works", _("Find out about works"),
        _("Repairs and construction of roads, yards, schools and networks: where, who, by when; follow one and "
          "rate the result."),
        ("construction:works",), group="building",
    ),
    Section(
        "community", _("Community"),
        _("Meet residents, experts, public organisations and the region's bodies: follow them and topics, read "
          "and write publications, share photos, message each other, find an expert by field."),
        ("social:home",),
    ),
    Section(
        "opendata", _("Open data"),
        _("Download the region's open datasets as tables, maps, CSV, JSON or XML."),
        ("opendata:home", "opendata:list", "opendata:index"),
    ),
    Section(
        "municipalities", _("Municipalities"),
        _("The region's municipalities on the map: boundaries, administrative centres, population."),
        ("portal:municipalities",), group="region",
    ),
    Section(
        "reports", _("Periodic reports"),
        _("The government's weekly, monthly and quarterly reports: aggregate figures as PDF and spreadsheets."),
        ("reports:published",), group="region",
    ),
    Section(
        "structure", _("Structure"),
        _("Who is who in the regional government: blocks, departments, positions and vacancies."),
        ("portal:structure",), group="region",
    ),
)


#: the drop-downs' labels; "region" joins the two reference pages and "building" the registry with the works, so
#: the bar (with the community) fits 1280 px
GROUP_LABELS = {"participate": _("Participate"), "building": pgettext_lazy("portal menu", "Construction"),
                "region": pgettext_lazy("portal menu", "The region")}


def nav_sections() -> list[tuple[Section, str]]:
    """The sections that exist, with their URLs, in the order of the navigation bar."""
    return [(section, url) for section in SECTIONS if section.in_nav and (url := section.url)]


def resident_sections() -> list[tuple[Section, str]]:
    """Every section but the home page, with its URL or "" when it is not open yet; open ones first."""
    sections = [(section, section.url) for section in SECTIONS if section.key != "home"]
    return sorted(sections, key=lambda pair: not pair[1])
