"""Law-making's demo: drafts of regional and municipal acts in every stage — a concept awaiting moderation; an
idea under discussion with supporters, questions and answers; a draft under elaboration with three versions,
amendments accepted, rejected and pending and comments anchored to provisions; an expertise with invited experts
and reviews (one finds a corruption risk); a reaction owed (the control engine's assignment open); four closed
with each kind of decision and its act; one stopped with the reason (``demo_data`` holds the texts).

Everything goes through the parts' services, as people would through the pages: residents propose and support,
the controller moderates and moves the stages, experts review, the body's head answers. Then each draft's
history is spread back over the past months (the timeline, the rows' dates), as the other demos do. Runs after
the community's demo (its verified experts). Idempotent: a draft whose title exists is left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TextIO

from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.core.comments.services import comment_add
from krai.core.demo import demo_loader
from krai.lawmaking.demo_data import (
    COMMENTS,
    COOPERATIVE_REVIEWS,
    INITIATIVES,
    PETS_AMENDMENTS,
    PETS_ANNOTATIONS,
    PETS_V2,
)
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Invitation,
    Level,
    Question,
    Reaction,
    Review,
    Stage,
    StageEntry,
    Support,
    Version,
)
from krai.lawmaking.services import amendments, discussion, drafts, expertise, initiatives, moves, reactions
from krai.orders.services.control import quiet
from krai.org.models import Municipality, Organisation, User

DOMAIN = "demo.krai"
COORDINATOR = "controller"
#: the expert asked to review a draft that is not the expertise's showcase, by its first subject
EXPERT_BY_FIELD = {"law": "expert01", "construction": "expert02", "urban-planning": "expert02",
                   "public-health": "expert03", "ecology": "expert05", "economics": "expert06",
                   "social-policy": "expert01"}
#: how many days ago each draft's history began (the older, the further it went)
STARTED_DAYS_AGO = {"concept": 2, "discussion": 12, "elaboration": 45, "expertise": 70, "reaction": 95,
                    "closed": 160, "stopped": 60}


def _users() -> dict[str, User]:
    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith=f"@{DOMAIN}")}


class _Writer:
    def __init__(self, users: dict[str, User]) -> None:
        self.users = users
        self.coordinator = users[COORDINATOR]
        self.citizens = sorted((u for key, u in users.items() if key.startswith("citizen.") and u.email_confirmed),
                               key=lambda u: u.email)

    def user(self, key: str) -> User:
        """The demo account ``key``; a resident who never confirmed his e-mail (a tenth of them) may not take
        part, so the next confirmed one stands in for him."""
        user = self.users[key]
        if user.email_confirmed or not key.startswith("citizen."):
            return user
        return next(c for c in self.citizens if c.email > user.email)

    # --- the path ---------------------------------------------------------------------------------

    def create(self, spec: dict[str, Any]) -> Initiative:
        municipality = Municipality.objects.get(code=spec["municipality"]) if spec.get("municipality") else None
        from krai.social.models import ExpertiseField

        return initiatives.initiative_create(
            actor=self.user(spec["initiator"]), title=spec["title"], problem=spec["problem"],
            proposal=spec["proposal"], level=Level.MUNICIPAL if municipality else Level.REGIONAL,
            municipality=municipality, responsible_body=Organisation.objects.get(code=spec["body"]),
            fields=list(ExpertiseField.objects.filter(code__in=spec.get("fields", ()))))

    def supporters(self, item: Initiative, count: int) -> None:
        taken = 0
        for citizen in self.citizens:
            if taken >= count:
                break
            if citizen.pk != item.initiator_id:
                discussion.support_add(actor=citizen, initiative=item)
                taken += 1

    def questions(self, item: Initiative, questions: list[tuple[str, list[str]]]) -> None:
        asker = item.initiator
        answerers = iter(self.citizens[20:])
        for text, answers in questions:
            question = discussion.question_ask(actor=asker, initiative=item, text=text)
            for answer in answers:
                discussion.answer_give(actor=next(answerers), question=question, text=answer)

    def advance(self, item: Initiative) -> Initiative:
        return moves.initiative_advance(actor=self.coordinator, initiative=item,
                                              note="Идея поддержана участниками обсуждения и профильным органом: "
                                                   "переходим к разработке проекта.")

    def expertise(self, item: Initiative, spec: dict[str, Any]) -> None:
        expert = self.user(EXPERT_BY_FIELD.get((spec.get("fields") or ["law"])[0], "expert01"))
        expertise.expertise_start(actor=self.coordinator, initiative=item, experts=[expert])

    def simple_review(self, item: Initiative) -> None:
        invitation = Invitation.objects.filter(initiative=item).order_by("pk").first()
        if invitation is not None:
            expertise.review_submit(actor=invitation.expert, initiative=item, conclusion=Review.Conclusion.SUPPORT,
                                    summary="Проект соответствует законодательству; существенных замечаний нет.",
                                    proposals="Уточнить сроки вступления в силу с учётом бюджетного цикла.")

    def react(self, item: Initiative, spec: dict[str, Any], when: date) -> None:
        head = self.user(f"head.{spec['body']}")
        reactions.reaction_give(actor=head, initiative=item, decision=spec["decision"], reasons=spec["reasons"],
                                act_title=spec["act_title"], act_number=spec["act_number"], act_date=when,
                                act_url="")

    # --- the showcases ----------------------------------------------------------------------------

    def elaborate(self, item: Initiative) -> None:
        editor = item.initiator
        drafts.version_create(actor=editor, initiative=item, text=PETS_V2,
                              note="Добавлена публикация перечня мест для выгула; срок вступления в силу — 30 дней.")
        for author, key, quote, body in PETS_ANNOTATIONS:
            drafts.annotation_add(actor=self.user(author), initiative=item, key=key, quote=quote, body=body)
        for author, key, quote, wording, justification, decision, reason in PETS_AMENDMENTS:
            amendment = amendments.amendment_propose(actor=self.user(author), initiative=item, key=key, quote=quote,
                                                     proposed_text=wording, justification=justification)
            if decision is not None:
                amendments.amendment_decide(actor=editor, amendment=amendment, accept=decision == "accept",
                                            reason=reason)

    def cooperative_reviews(self, item: Initiative) -> None:
        from krai.social.models import ExpertiseField

        experts = [self.user(key) for key, *_rest in COOPERATIVE_REVIEWS]
        expertise.expertise_start(actor=self.coordinator, initiative=item, experts=experts,
                                  fields=list(ExpertiseField.objects.filter(code__in=["law", "economics"])))
        for key, _field, conclusion, summary, risks, findings, proposals in COOPERATIVE_REVIEWS:
            expertise.review_submit(actor=self.user(key), initiative=item, conclusion=conclusion, summary=summary,
                                    risks=risks, corruption_risks_found=bool(findings),
                                    corruption_findings=findings, proposals=proposals)

    def comments(self, item: Initiative) -> None:
        for author, body in COMMENTS.get(item.title, ()):
            comment_add(actor=self.user(author), target=item, body=body)

    def walk(self, spec: dict[str, Any]) -> Initiative:
        """Take a new draft along the path up to its stage."""
        stage = spec["stage"]
        item = self.create(spec)
        if stage == Stage.CONCEPT:
            return item
        item = initiatives.initiative_approve(actor=self.coordinator, initiative=item,
                                              note="Концепция соответствует требованиям, опубликована.")
        self.supporters(item, spec.get("supporters", 0))
        if spec.get("questions"):
            self.questions(item, spec["questions"])
        self.comments(item)
        if stage == Stage.DISCUSSION:
            return item
        if stage == Stage.STOPPED:
            return moves.initiative_stop(actor=self.coordinator, initiative=item, reason=spec["stop_reason"])
        item = self.advance(item)
        if stage == Stage.ELABORATION:
            self.elaborate(item)
            return item
        if stage == Stage.EXPERTISE:
            self.cooperative_reviews(item)
            return item
        self.expertise(item, spec)
        self.simple_review(item)
        reactions.reaction_request(actor=self.coordinator, initiative=item)
        if stage == Stage.CLOSED:
            self.react(item, spec, timezone.localdate())  # the act's date follows the history (``_backdate``)
        return item


# --- history in the past -----------------------------------------------------------------------------

def _backdate(item: Initiative, days_ago: int) -> None:
    """Spread the draft's history from ``days_ago`` days ago to a few days ago: the timeline and every row's
    date follow the stage it belongs to (the services wrote them all "now")."""
    now = timezone.now()
    entries = list(StageEntry.objects.filter(initiative=item).order_by("entered_at", "id"))
    step = timedelta(days=max(1, days_ago) / max(1, len(entries)))
    start = now - timedelta(days=days_ago)
    when = {}
    for n, entry in enumerate(entries):
        entered = start + step * n
        when[entry.stage] = entered
        StageEntry.objects.filter(pk=entry.pk).update(entered_at=entered)
    # a finished stage's plan: the discussion's 30 days, the expertise's three weeks, the reaction's four
    for entry in entries[:-1]:
        planned = {Stage.DISCUSSION: 30, Stage.EXPERTISE: 21, Stage.REACTION: 28}.get(entry.stage)
        if planned:
            StageEntry.objects.filter(pk=entry.pk).update(due=(when[entry.stage] + timedelta(days=planned)).date())
    last = when[entries[-1].stage]
    fields: dict[str, Any] = {"created_at": start, "stage_started_at": last}
    if item.published_at is not None and Stage.DISCUSSION in when:
        fields["published_at"] = when[Stage.DISCUSSION]
    if item.stage == Stage.DISCUSSION:
        due = (last + timedelta(days=30)).date()
        fields["stage_due"] = due
        StageEntry.objects.filter(pk=entries[-1].pk).update(due=due)
    Initiative.objects.filter(pk=item.pk).update(**fields)

    def at(stage: str, hours: float) -> Any:
        return when.get(stage, last) + timedelta(hours=hours)

    for n, support in enumerate(Support.objects.filter(initiative=item).order_by("pk")):
        Support.objects.filter(pk=support.pk).update(created_at=at(Stage.DISCUSSION, 3 + n * 7))
    for n, question in enumerate(Question.objects.filter(initiative=item).order_by("pk")):
        Question.objects.filter(pk=question.pk).update(created_at=at(Stage.DISCUSSION, 5 + n * 24))
        for k, answer in enumerate(Answer.objects.filter(question=question).order_by("pk")):
            Answer.objects.filter(pk=answer.pk).update(created_at=at(Stage.DISCUSSION, 9 + n * 24 + k * 5))
    kind = ContentType.objects.get_for_model(Initiative)
    for n, comment in enumerate(Comment.objects.filter(content_type=kind, object_id=str(item.pk)).order_by("pk")):
        Comment.objects.filter(pk=comment.pk).update(created_at=at(Stage.DISCUSSION, 20 + n * 30))
    for n, version in enumerate(Version.objects.filter(initiative=item).order_by("number")):
        Version.objects.filter(pk=version.pk).update(created_at=at(Stage.ELABORATION, n * 72))
    for n, note in enumerate(Annotation.objects.filter(initiative=item).order_by("pk")):
        Annotation.objects.filter(pk=note.pk).update(created_at=at(Stage.ELABORATION, 80 + n * 10))
    for n, amendment in enumerate(Amendment.objects.filter(initiative=item).order_by("pk")):
        Amendment.objects.filter(pk=amendment.pk).update(
            created_at=at(Stage.ELABORATION, 90 + n * 12),
            decided_at=at(Stage.ELABORATION, 150 + n * 12) if amendment.decided_at else None)
    for n, invitation in enumerate(Invitation.objects.filter(initiative=item).order_by("pk")):
        Invitation.objects.filter(pk=invitation.pk).update(invited_at=at(Stage.EXPERTISE, n))
    for n, review in enumerate(Review.objects.filter(initiative=item).order_by("pk")):
        Review.objects.filter(pk=review.pk).update(submitted_at=at(Stage.EXPERTISE, 100 + n * 30))
    Reaction.objects.filter(initiative=item).update(decided_at=at(Stage.CLOSED, 0),
                                                    act_date=at(Stage.CLOSED, -24).date())


@demo_loader(order=95)
def load_lawmaking(*, scale: int, stdout: TextIO) -> list[str]:
    users = _users()
    needed = {COORDINATOR, "citizen", "expert01", "expert06"}
    if not needed <= set(users):
        stdout.write("  lawmaking: the structure's or the community's people are missing; skipped\n")
        return []
    from krai.social.selectors.profiles import is_verified_expert

    if not is_verified_expert(users["expert01"]):
        stdout.write("  lawmaking: the community's demo experts are not verified; skipped\n")
        return []
    writer = _Writer(users)
    made = 0
    # the demo writes as many people at once: the public-write rate limits are for people, not for it
    with override_settings(RATELIMIT_ENABLE=False), quiet():
        for spec in INITIATIVES:
            if Initiative.objects.filter(title=spec["title"]).exists():
                continue
            item = writer.walk(spec)
            _backdate(Initiative.objects.get(pk=item.pk), STARTED_DAYS_AGO[spec["stage"]])
            made += 1
    stdout.write(f"  lawmaking: {made} new drafts, {Initiative.objects.count()} in all\n")
    return [f"{'citizen@' + DOMAIN:<34} an initiator of a draft under discussion (/lawmaking/)"]
