"""The community's shared checks: bans (in force, ended, lifted), blocks both ways, visibility levels,
hidden content, the default public name and who moderates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.social import policy
from krai.social.models import Album, Ban, Follow, Publication, UserBlock, Visibility

pytestmark = pytest.mark.django_db


def test_a_ban_in_force_refuses_with_its_end_and_reason_and_one_ended_or_lifted_does_not():
    user, moderator = UserFactory(), StaffFactory()
    now = timezone.now()
    ban = Ban.objects.create(user=user, reason="Спам в личных сообщениях", starts_at=now - timedelta(days=1),
                             ends_at=now + timedelta(days=6), created_by=moderator)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        policy.ensure_may_act(user)
    assert "banned from the community until" in refused.value.messages[0]
    assert "Спам в личных сообщениях" in refused.value.messages[0]
    assert policy.active_ban(user, now=now + timedelta(days=7)) is None  # ended by then
    Ban.objects.filter(pk=ban.pk).update(lifted_at=now)
    policy.ensure_may_act(user)  # lifted: no refusal
    assert policy.active_ban(user) is None


def test_a_signed_out_or_inactive_person_may_not_act():
    with pytest.raises(PermissionDenied):
        policy.ensure_may_act(AnonymousUser())
    with pytest.raises(PermissionDenied):
        policy.ensure_may_act(UserFactory(is_active=False))


def test_blocks_count_both_ways_and_hide_even_public_things():
    a, b, c = UserFactory(), UserFactory(), UserFactory()
    UserBlock.objects.create(blocker=a, blocked=b)
    assert policy.is_blocked(a, b) and policy.is_blocked(b, a)
    assert policy.has_blocked(a, b) and not policy.has_blocked(b, a)
    assert policy.blocked_ids(b) == {a.pk} and policy.blocked_ids(c) == set()
    assert not policy.may_see(b, a.pk, Visibility.PUBLIC)
    assert policy.may_see(c, a.pk, Visibility.PUBLIC)


@pytest.mark.parametrize(("level", "anonymous", "registered", "follower", "owner"), [
    (Visibility.PUBLIC, True, True, True, True),
    (Visibility.REGISTERED, False, True, True, True),
    (Visibility.FOLLOWERS, False, False, True, True),
    (Visibility.NOBODY, False, False, False, True),
])
def test_visibility_levels(level, anonymous, registered, follower, owner):
    person, stranger, fan = UserFactory(), UserFactory(), UserFactory()
    Follow.objects.create(follower=fan, followee=person)
    assert policy.may_see(AnonymousUser(), person.pk, level) is anonymous
    assert policy.may_see(stranger, person.pk, level) is registered
    assert policy.may_see(fan, person.pk, level) is follower
    assert policy.may_see(person, person.pk, level) is owner


def test_hidden_content_shows_to_its_author_and_moderators_only():
    author, reader, moderator = UserFactory(), UserFactory(), StaffFactory()
    assign(moderator, Role.CONTROLLER)
    post = Publication.objects.create(author=author, body="Текст")
    album = Album.objects.create(owner=author, title="Альбом", audience=Visibility.FOLLOWERS)
    assert policy.may_see_content(reader, post) and not policy.may_see_content(reader, album)
    post.hidden_at = timezone.now()
    assert not policy.may_see_content(reader, post) and not policy.may_see_content(AnonymousUser(), post)
    assert policy.may_see_content(author, post) and policy.may_see_content(moderator, post)


def test_the_default_name_never_shows_a_whole_surname():
    assert policy.default_name(UserFactory(given_name="Анна", surname="Кузнецова")) == "Анна К."
    profile = policy.profile_of(UserFactory(given_name="Анна", surname="Кузнецова"))
    assert profile.display_name == "Анна К." and profile._state.adding  # the defaults, not stored


def test_moderators_are_administrators_controllers_or_holders_of_the_permission():
    from django.contrib.auth.models import Permission

    controller, administrator, helper, plain_staff = StaffFactory(), StaffFactory(), UserFactory(), StaffFactory()
    assign(controller, Role.CONTROLLER)
    assign(administrator, Role.ADMINISTRATOR)
    helper.user_permissions.add(Permission.objects.get(codename="change_abusereport"))
    assert policy.is_moderator(controller) and policy.is_moderator(administrator)
    assert policy.is_moderator(type(helper).objects.get(pk=helper.pk))  # permissions cached per instance
    assert not policy.is_moderator(plain_staff) and not policy.is_moderator(UserFactory())
    assert policy.is_expert_verifier(controller) and not policy.is_expert_verifier(plain_staff)
