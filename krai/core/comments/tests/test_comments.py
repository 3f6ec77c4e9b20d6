"""Comments: who may read and write, threads and their depth, moderation, rate limit, pages and API."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from krai.core.comments import selectors, services
from krai.core.comments.models import Comment
from krai.core.events.models import Event
from krai.core.files.tests.factories import temporary_rules
from krai.org.tests.factories import BlockFactory, OrganisationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@rules.predicate
def is_staff(user, target=None) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@pytest.fixture
def block():
    return BlockFactory()  # org registers no org.view_block: a public object


@pytest.fixture
def private_org():
    with temporary_rules(org__view_organisation=is_staff):
        yield OrganisationFactory()


@pytest.fixture
def moderator():
    user = UserFactory()
    group = Group.objects.create(name="Модераторы")
    group.permissions.add(Permission.objects.get(codename="change_comment", content_type__app_label="comments"))
    user.groups.add(group)
    return user


def test_confirmed_resident_comments_on_public_object(citizen, block):
    comment = services.comment_add(actor=citizen, target=block, body="  Когда отремонтируют дорогу?\r\nСрочно!  ")
    assert comment.body == "Когда отремонтируют дорогу?\nСрочно!" and comment.depth == 0
    event = Event.objects.get(kind="comments.comment_added")
    assert event.payload["target_type"] == "org.block" and event.payload["author_id"] == citizen.pk


def test_rule_matrix(citizen, block, private_org):
    unconfirmed = UserFactory(email_confirmed=False)
    staff = StaffFactory()
    assert citizen.has_perm("comments.add_comment", block)
    assert not unconfirmed.has_perm("comments.add_comment", block)
    assert not AnonymousUser().has_perm("comments.add_comment", block)
    assert AnonymousUser().has_perm("comments.view_comments", block)
    assert not citizen.has_perm("comments.view_comments", private_org)
    assert not citizen.has_perm("comments.add_comment", private_org)
    assert staff.has_perm("comments.add_comment", private_org)


def test_area_hook_decides_who_comments(citizen, block):
    staff = StaffFactory()
    with temporary_rules(org__comment_block=is_staff):
        assert not citizen.has_perm("comments.add_comment", block)
        assert staff.has_perm("comments.add_comment", block)


@pytest.mark.parametrize("body", ["", "   \n  ", "x" * 5001])
def test_bad_body_changes_nothing(citizen, block, body):
    with pytest.raises(ValidationError) as caught:
        services.comment_add(actor=citizen, target=block, body=body)
    assert "body" in caught.value.message_dict
    assert not Comment.objects.exists() and not Event.objects.exists()


def test_refused_comment_changes_nothing(citizen, private_org):
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=citizen, target=private_org, body="Можно?")
    assert not Comment.objects.exists()


def test_depth_is_limited(settings, citizen, block):
    settings.KRAI_COMMENTS_MAX_DEPTH = 3
    root = services.comment_add(actor=citizen, target=block, body="1")
    reply = services.comment_add(actor=citizen, target=block, body="2", parent=root)
    deep = services.comment_add(actor=citizen, target=block, body="3", parent=reply)
    deeper = services.comment_add(actor=citizen, target=block, body="4", parent=deep)
    assert [root.depth, reply.depth, deep.depth, deeper.depth] == [0, 1, 2, 2]
    assert deeper.parent == reply  # joins the deepest level, answering what its parent answers
    thread = selectors.comments_for(user=citizen, target=block)
    assert [item.body for item in thread] == ["1", "2", "3", "4"]


def test_thread_order_puts_replies_under_their_parent(citizen, block):
    first = services.comment_add(actor=citizen, target=block, body="первый")
    services.comment_add(actor=citizen, target=block, body="второй")
    services.comment_add(actor=citizen, target=block, body="ответ на первый", parent=first)
    assert [item.body for item in selectors.comments_for(user=citizen, target=block)] == [
        "первый", "ответ на первый", "второй"]


def test_reply_must_be_in_the_same_discussion(citizen, block):
    other = services.comment_add(actor=citizen, target=BlockFactory(), body="там")
    with pytest.raises(ValidationError):
        services.comment_add(actor=citizen, target=block, body="здесь", parent=other)


def test_rate_limit(settings, citizen, block):
    settings.KRAI_COMMENTS_RATE = "3/m"
    for n in range(3):
        services.comment_add(actor=citizen, target=block, body=f"{n}")
    with pytest.raises(services.RateLimited):
        services.comment_add(actor=citizen, target=block, body="ещё")
    assert Comment.objects.count() == 3
    services.comment_add(actor=UserFactory(), target=block, body="другой человек")  # per person


def test_edit_own_only(citizen, block):
    comment = services.comment_add(actor=citizen, target=block, body="Опечатка")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=UserFactory(), comment=comment, body="Чужое")
    edited = services.comment_edit(actor=citizen, comment=comment, body="Исправлено")
    assert edited.body == "Исправлено" and edited.edited_at is not None
    services.comment_edit(actor=citizen, comment=edited, body="Исправлено")
    assert Event.objects.filter(kind="comments.comment_edited").count() == 1


def test_hide_and_restore(citizen, block, moderator):
    comment = services.comment_add(actor=citizen, target=block, body="Оскорбление")
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=UserFactory(), comment=comment, reason="нет")
    with pytest.raises(ValidationError):
        services.comment_hide(actor=moderator, comment=comment, reason=" ")
    hidden = services.comment_hide(actor=moderator, comment=comment, reason="Нарушение правил")
    assert hidden.is_hidden and hidden.hidden_by == moderator
    reader = UserFactory()
    shown = selectors.comments_for(user=reader, target=block)[0]
    assert shown.body == "" and shown.is_hidden and shown.hidden_reason == "Нарушение правил"
    assert selectors.comments_for(user=citizen, target=block)[0].body == "Оскорбление"  # the author still sees it
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=citizen, comment=hidden, body="Исправлю")
    restored = services.comment_restore(actor=moderator, comment=hidden)
    assert not restored.is_hidden
    assert [e.kind for e in Event.objects.filter(kind__startswith="comments.").order_by("id")] == [
        "comments.comment_added", "comments.comment_hidden", "comments.comment_restored"]


def test_area_moderation_hook(citizen, block):
    staff = StaffFactory()
    comment = services.comment_add(actor=citizen, target=block, body="Спам")
    assert not staff.has_perm("comments.hide_comment", comment)
    with temporary_rules(org__moderate_block=is_staff):
        assert staff.has_perm("comments.hide_comment", comment)


# --- pages ----------------------------------------------------------------------------------------

def render_tag(user, target):
    request = RequestFactory().get("/page/")
    request.user = user
    request.htmx = False
    return Template("{% load krai_comments %}{% comments_for object %}").render(
        Context({"object": target, "request": request, "csrf_token": "token"}))


def test_tag_escapes_html_and_keeps_line_breaks(citizen, block):
    services.comment_add(actor=citizen, target=block, body="<script>alert(1)</script>\nвторая строка")
    html = render_tag(AnonymousUser(), block)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;<br>вторая строка" in html
    assert 'name="body"' not in html  # anonymous: no form, an invitation to sign in
    html = render_tag(citizen, block)
    assert 'hx-post="/comments/org.block/' in html and "<label" in html


def test_htmx_post_returns_the_thread(client, citizen, block):
    client.force_login(citizen)
    url = reverse("comments:thread", args=["org.block", block.pk])
    response = client.post(url, {"body": "Через htmx"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Через htmx" in response.content.decode() and 'id="comments-org-block-' in response.content.decode()
    response = client.post(url, {"body": "   "}, HTTP_HX_REQUEST="true")
    assert "alert-danger" in response.content.decode()
    assert Comment.objects.count() == 1


def test_plain_post_redirects_back(client, citizen, block):
    client.force_login(citizen)
    url = reverse("comments:thread", args=["org.block", block.pk])
    response = client.post(url, {"body": "Без JavaScript", "next": "/portal/thing/"})
    assert response.status_code == 302 and response["Location"] == "/portal/thing/"
    assert client.get(url).status_code == 200


def test_page_edit_and_hide(client, citizen, block, moderator):
    comment = services.comment_add(actor=citizen, target=block, body="Текст")
    client.force_login(citizen)
    client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Новый текст"}, HTTP_HX_REQUEST="true")
    comment.refresh_from_db()
    assert comment.body == "Новый текст"
    client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "сам себя"}, HTTP_HX_REQUEST="true")
    comment.refresh_from_db()
    assert not comment.is_hidden
    client.force_login(moderator)
    client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "Флуд"}, HTTP_HX_REQUEST="true")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Флуд"


def test_private_thread_is_missing_for_strangers(client, citizen, private_org):
    client.force_login(citizen)
    assert client.get(reverse("comments:thread", args=["org.organisation", private_org.pk])).status_code == 404
    assert client.get(reverse("comments:thread", args=["sessions.session", "x"])).status_code == 404


# --- API ------------------------------------------------------------------------------------------

def test_api_thread(client, citizen, block, moderator):
    client.force_login(citizen)
    response = client.post("/api/v1/comments/", {"target_type": "org.block", "target_id": str(block.pk),
                                                  "body": "Вопрос"}, content_type="application/json")
    assert response.status_code == 201, response.content
    root = response.json()
    assert root["body"] == "Вопрос" and root["author"]["id"] == citizen.pk and root["can_edit"] is True
    reply = client.post("/api/v1/comments/", {"target_type": "org.block", "target_id": str(block.pk), "body": "Ответ",
                                              "parent": root["id"]}, content_type="application/json").json()
    assert reply["parent"] == root["id"] and reply["depth"] == 1
    listed = client.get("/api/v1/comments/", {"target_type": "org.block", "target_id": block.pk}).json()
    assert [item["id"] for item in listed] == [root["id"], reply["id"]]
    patched = client.patch(f"/api/v1/comments/{root['id']}/", {"body": "Вопрос уточнён"},
                           content_type="application/json").json()
    assert patched["body"] == "Вопрос уточнён" and patched["edited_at"]
    assert client.post(f"/api/v1/comments/{root['id']}/hide/", {"reason": "x"},
                       content_type="application/json").status_code == 403
    client.force_login(moderator)
    hidden = client.post(f"/api/v1/comments/{root['id']}/hide/", {"reason": "Оффтоп"},
                         content_type="application/json").json()
    assert hidden["is_hidden"] is True and hidden["hidden_reason"] == "Оффтоп"
    client.logout()
    anonymous = client.get("/api/v1/comments/", {"target_type": "org.block", "target_id": block.pk}).json()
    assert anonymous[0]["body"] == "" and anonymous[0]["is_hidden"] is True


def test_api_errors(client, settings, citizen, block, private_org):
    payload = {"target_type": "org.block", "target_id": str(block.pk), "body": "x"}
    assert client.post("/api/v1/comments/", payload, content_type="application/json").status_code in (401, 403)
    client.force_login(citizen)
    response = client.post("/api/v1/comments/", {**payload, "body": ""}, content_type="application/json")
    assert response.status_code == 400 and "body" in response.json()["error"]["fields"]
    response = client.post("/api/v1/comments/", {**payload, "target_type": "org.organisation",
                                                 "target_id": str(private_org.pk)}, content_type="application/json")
    assert response.status_code == 404
    settings.KRAI_COMMENTS_RATE = "1/m"
    assert client.post("/api/v1/comments/", payload, content_type="application/json").status_code == 201
    response = client.post("/api/v1/comments/", payload, content_type="application/json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "throttled"
    assert Comment.objects.count() == 1
