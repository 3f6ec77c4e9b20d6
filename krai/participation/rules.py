"""Who may do what in participation; the same names guard pages, API and services.

Residents' acts (vote, rate, suggest, support) need a confirmed account; what else a particular poll
or priority asks (a verified residence, the right municipality) the services check with a message
that says what is missing. Staff run polls, campaigns and services within their scopes: the
organisation that runs a poll or a campaign, or owns a service, must be in the user's scope.
"""

import rules

from krai.org.selectors import (
    is_administrator,
    is_controller,
    is_governor,
    is_head,
    is_staff_member,
    is_vice_governor,
    scope_for,
)


@rules.predicate
def is_confirmed(user) -> bool:
    return bool(user.is_authenticated and user.is_active and getattr(user, "email_confirmed", False))


@rules.predicate
def is_verified_resident(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "residence_verified", False)
                and getattr(user, "home_municipality_id", None))


def _covers(user, organisation=None, municipality_id=None) -> bool:
    scope = scope_for(user)
    if scope.region:
        return True
    if organisation is not None and scope.covers_organisation(organisation):
        return True
    return municipality_id is not None and municipality_id in scope.municipality_ids


@rules.predicate
def runs_poll(user, poll) -> bool:
    """The poll's organisation (or, failing one, its author) is within the user's reach."""
    if poll is None:
        return False
    if poll.organisation_id is None:
        return poll.created_by_id == user.pk
    return _covers(user, poll.organisation)


@rules.predicate
def runs_campaign(user, campaign) -> bool:
    if campaign is None:
        return False
    if campaign.organisation_id is None and campaign.municipality_id is None:
        return campaign.created_by_id == user.pk
    return _covers(user, campaign.organisation, campaign.municipality_id)


@rules.predicate
def runs_idea(user, idea) -> bool:
    return idea is not None and runs_campaign(user, idea.campaign)


@rules.predicate
def owns_service(user, service) -> bool:
    return service is not None and _covers(user, service.organisation)


@rules.predicate
def manages_priority(user, priority) -> bool:
    """Region-wide priorities belong to the region's level; a municipality's to those who act there."""
    if priority is None:
        return False
    scope = scope_for(user)
    return scope.region or (priority.municipality_id is not None and priority.municipality_id in scope.municipality_ids)


organiser = is_staff_member & (is_administrator | is_governor | is_vice_governor | is_head | is_controller)

rules.add_perm("participation.vote_poll", is_confirmed)
rules.add_perm("participation.add_poll", organiser)
rules.add_perm("participation.change_poll", organiser & runs_poll)
rules.add_perm("participation.view_poll_ballots", is_staff_member & (is_administrator | is_controller | runs_poll))

rules.add_perm("participation.vote_priority", is_confirmed & is_verified_resident)
rules.add_perm("participation.add_priority", is_staff_member & (is_administrator | is_governor))
rules.add_perm("participation.change_priority", is_staff_member & (is_administrator | is_governor | manages_priority))
rules.add_perm("participation.build_ranks", is_staff_member & (is_administrator | is_controller))

rules.add_perm("participation.rate_service", is_confirmed)
rules.add_perm("participation.add_govservice", is_staff_member & is_administrator)
rules.add_perm("participation.change_govservice", is_staff_member & (is_administrator | (is_head & owns_service)))
rules.add_perm("participation.view_service_ratings",
               is_staff_member & (is_administrator | is_controller | owns_service))

rules.add_perm("participation.suggest_idea", is_confirmed)
rules.add_perm("participation.support_idea", is_confirmed)
rules.add_perm("participation.add_campaign", organiser)
rules.add_perm("participation.change_campaign", organiser & runs_campaign)
rules.add_perm("participation.moderate_idea", is_staff_member & (is_administrator | runs_idea))
rules.add_perm("participation.answer_idea", is_staff_member & (is_administrator | runs_idea))

@rules.predicate
def is_published_idea(user, idea) -> bool:
    return idea is not None and idea.moderation == "published"


@rules.predicate
def wrote(user, obj) -> bool:
    return obj is not None and user.is_authenticated and obj.author_id == user.pk


# an idea shows (with its files and comments) once published; to its author and moderators before
rules.add_perm("participation.view_idea",
               is_published_idea | wrote | (is_staff_member & (is_administrator | runs_idea)))
rules.add_perm("participation.comment_idea", is_confirmed & is_published_idea)

# suggestions outside campaigns go to the Department of Control (it answers residents' appeals) and administrators
suggestion_answerer = is_staff_member & (is_administrator | is_controller)
rules.add_perm("participation.add_suggestion", is_confirmed)
rules.add_perm("participation.answer_suggestion", suggestion_answerer)
rules.add_perm("participation.view_suggestion", wrote | suggestion_answerer)

#: The workspace pages of participation open to staff; what each one lists is narrowed by his scope.
rules.add_perm("participation.access_workspace", is_staff_member)
