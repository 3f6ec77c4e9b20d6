"""The community's demo: the managed lists, eight verified experts and two waiting in the staff's queue, two
public organisations and a ministry's account, publications over the last fortnight (some linking a demo
problem, dataset or idea, so the cards show), three albums of drawn photos, follows, one conversation with an
answer, and one spam post reported and waiting in the moderation queue (``krai.social.demo_data`` holds the texts).

Everything is written through the services, as a person would through the pages; then the publications' times are
spread over two weeks so the feed reads like a real one. Idempotent: a part that exists is left as it is.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta
from typing import TextIO

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from krai.core.demo import demo_loader
from krai.org.models import Organisation, User
from krai.social import services
from krai.social.demo_data import ACCOUNTS, ALBUMS, CONVERSATION, EXPERTS, PERSON_FOLLOWS, PUBLICATIONS, TOPIC_FOLLOWS
from krai.social.models import (
    AbuseReport,
    Album,
    Conversation,
    Credential,
    ExpertiseField,
    Follow,
    Profile,
    Publication,
    PublicationTopic,
    Topic,
)
from krai.social.seeds import ensure_seeds

DOMAIN = "demo.krai"
SPAM = "Заработок без вложений от 5000 ₽ в день! Пишите в личные сообщения, всё расскажу."


def _email(key: str) -> str:
    return f"{key}@{DOMAIN}"


def _users() -> dict[str, User]:
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}


def _drawing(colour: str, seed: int) -> SimpleUploadedFile:
    """A photo drawn here (no download): a sky, a ground and a few buildings in the album's colour."""
    rng = random.Random(seed)
    image = Image.new("RGB", (960, 640), "#cfe3f3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 430, 960, 640), fill="#9aa79a")
    for _n in range(rng.randint(3, 6)):
        x, w, h = rng.randint(0, 860), rng.randint(80, 200), rng.randint(120, 360)
        draw.rectangle((x, 430 - h, x + w, 430), fill=colour, outline="#333333", width=3)
        for wy in range(430 - h + 20, 420, 40):
            draw.rectangle((x + 15, wy, x + 35, wy + 20), fill="#fff6c8")
    draw.ellipse((780, 40, 880, 140), fill="#ffd54f")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(f"photo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _accounts(users: dict[str, User], admin: User) -> int:
    password = make_password(settings.KRAI_DEMO_PASSWORD)
    made = 0
    for spec in ACCOUNTS:
        user = users.get(spec["email"])
        if user is None:
            user = User.objects.create(email=_email(spec["email"]), password=password, surname=spec["name"],
                                       given_name="", email_confirmed=True)
            users[spec["email"]] = user
        if Profile.objects.filter(pk=user.pk).exists():
            continue
        organisation = Organisation.objects.filter(code=spec["organisation"]).first() if spec.get("organisation") \
            else None
        services.profile_update(actor=user, user=user, display_name=spec["name"], about=spec["about"],
                                website=spec.get("website", ""))
        services.profile_update(actor=admin, user=user, kind=spec["kind"], organisation=organisation)
        made += 1
    return made


def _experts(users: dict[str, User], verifier: User, fields: dict[str, ExpertiseField]) -> int:
    made = 0
    for spec in EXPERTS:
        user = users.get(f"expert{spec['n']:02d}")
        if user is None or Credential.objects.filter(profile_id=user.pk).exists():
            continue
        services.profile_update(actor=user, user=user, position=spec["position"],
                                municipality=user.home_municipality,
                                privacy={"municipality": "public"})
        for kind, title, issuer, year in spec["credentials"]:
            services.expert_apply(actor=user, fields=[fields[code] for code in spec["fields"]],
                                  credential={"kind": kind, "title": title, "issuer": issuer, "year": year})
        if spec["verified"]:
            for credential in Credential.objects.filter(profile_id=user.pk, status=Credential.Status.PENDING):
                services.credential_verify(actor=verifier, credential=credential, note="Документы проверены")
        made += 1
    return made


def _links() -> dict[str, str]:
    """Addresses of a published demo problem, dataset and idea, for the texts' placeholders.

    The areas are looked up by name, not imported: the community sits below open data and beside problems and
    participation, and a demo without one of them simply links nothing there.
    """
    found = {"problem": ("problems", "Problem", {"status__in": ["routed", "in_work", "planned", "fixed"]},
                         "problems:detail", "pk"),
             "dataset": ("opendata", "Dataset", {"status": "published"}, "opendata:dataset", "identifier"),
             "idea": ("participation", "Idea", {"moderation": "published"}, "participation:idea", "pk")}
    links = {}
    for key, (app, model_name, published, url_name, field) in found.items():
        links[key] = ""
        if not apps.is_installed(f"krai.{app}"):
            continue
        row = apps.get_model(app, model_name).objects.filter(**published).order_by("pk").first()
        if row is not None:
            links[key] = settings.KRAI_SITE_URL + reverse(url_name, args=[getattr(row, field)])
    return links


def _publications(users: dict[str, User], topics: dict[str, Topic], rng: random.Random) -> int:
    authors = {key for key, _t, _b in PUBLICATIONS}
    if Publication.objects.filter(author__email__in=[_email(a) for a in authors]).exists():
        return 0
    links = _links()
    now = timezone.now()
    made = 0
    for index, (author, topic_codes, text) in enumerate(PUBLICATIONS):
        user = users.get(author)
        if user is None:
            continue
        body = text.format(**{k: v or "—" for k, v in links.items()})
        publication = services.publication_create(actor=user, body=body, topics=[topics[c] for c in topic_codes])
        # spread over the last two weeks, the first oldest: the feed reads like a real one
        when = now - timedelta(days=14) + timedelta(hours=index * 20 + rng.randint(0, 6), minutes=rng.randint(0, 59))
        Publication.objects.filter(pk=publication.pk).update(created_at=when)
        PublicationTopic.objects.filter(publication=publication).update(created_at=when)
        made += 1
    return made


def _albums(users: dict[str, User]) -> int:
    made = 0
    for owner, title, description, photos in ALBUMS:
        user = users.get(owner)
        if user is None or Album.objects.filter(owner=user, title=title).exists():
            continue
        album = services.album_create(actor=user, title=title, description=description)
        for n, (caption, colour) in enumerate(photos):
            services.photo_add(actor=user, album=album, upload=_drawing(colour, album.pk * 100 + n), caption=caption)
        made += 1
    return made


def _follows(users: dict[str, User], topics: dict[str, Topic]) -> None:
    for who, codes in TOPIC_FOLLOWS.items():
        if who in users:
            for code in codes:
                services.follow_topic(actor=users[who], topic=topics[code])
    for who, whom in PERSON_FOLLOWS.items():
        for key in whom:
            if who in users and key in users and not Follow.objects.filter(follower=users[who],
                                                                           followee=users[key]).exists():
                services.follow_user(actor=users[who], user=users[key])


def _conversation(users: dict[str, User]) -> None:
    first, second, lines = CONVERSATION
    if first not in users or second not in users:
        return
    pair = sorted([users[first].pk, users[second].pk])
    if Conversation.objects.filter(direct_key=f"{pair[0]}:{pair[1]}").exists():
        return
    (who, text), rest = lines[0], lines[1:]
    conversation, _message = services.conversation_start(actor=users[who], recipients=[users[second]], body=text)
    for who, text in rest:
        services.message_send(actor=users[who], conversation=conversation, body=text)


def _spam_reported(users: dict[str, User]) -> None:
    spammer, reporter = users.get("citizen.00007"), users.get("citizen")
    if spammer is None or reporter is None or Publication.objects.filter(author=spammer, body=SPAM).exists():
        return
    spam = services.publication_create(actor=spammer, body=SPAM)
    # two days old: the queue has something waiting, and the feed does not open with it
    Publication.objects.filter(pk=spam.pk).update(created_at=timezone.now() - timedelta(days=2, hours=3))
    services.report_create(actor=reporter, target=spam, reason=AbuseReport.Reason.SPAM,
                           details="Реклама заработка, не по теме сообщества")


@demo_loader(order=90)
def load_community(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    ensure_seeds()
    users = _users()
    admin, verifier = users.get("admin"), users.get("controller")
    if admin is None or verifier is None:
        stdout.write("  social: the structure's people are missing; skipped\n")
        return []
    topics = {t.code: t for t in Topic.objects.all()}
    fields = {f.code: f for f in ExpertiseField.objects.all()}
    accounts = _accounts(users, admin)
    experts = _experts(users, verifier, fields)
    published = _publications(users, topics, rng)
    albums = _albums(users)
    _follows(users, topics)
    _conversation(users)
    _spam_reported(users)
    stdout.write(f"  social: {experts} experts, {accounts} organisations' accounts, {published} publications, "
                 f"{albums} albums\n")
    return [
        f"{_email('ngo.ecology'):<34} a public organisation (community)",
        f"{_email('press.health'):<34} a ministry's account (community)",
    ]

