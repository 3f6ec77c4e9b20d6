"""Law-making's part of erasing a person and of "download my data" (``krai.core.privacy``).

What a person wrote in a published initiative is part of the public record of a legal procedure — the
responsible body answered it, experts reviewed it, others amended it — so, as the community does with public
contributions, the text is kept without him and the link to him is cut:

* anonymised and kept: the published initiatives he started (title, problem, proposal scrubbed; initiator and
  editor emptied — the responsible body's staff go on editing, as they may for any draft), his questions to the
  public, his comments on provisions, his amendments (proposed wording and justification scrubbed), his expert
  reviews (every field scrubbed, expert emptied); where he acted as staff (moving a stage, writing a version,
  deciding an amendment, signing a reaction) only the link to him goes — what a body decided stays as it is;
* deleted: what was private or only his: concepts never published (nobody but him and the moderators saw them),
  his supports (the live count of an initiative still under discussion is recounted; a count that already moved
  an initiative on is a fact of its history and stays), his answers to the initiator's questions (an answer
  cannot lose its author: the row goes), his subscriptions and his invitations to review;
* others' words about him in his initiatives — reasons of stopping, notes of the timeline, the editor's reasons,
  reasons for hiding — lose his names, e-mail and phone (``Erasure.scrub_mentions``).

The texts of the draft's versions are left as they were: they are the act being made, and the diff between
versions must keep reading the same.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from krai.core.comments.models import Comment
from krai.core.privacy import Erasure
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Invitation,
    Question,
    Reaction,
    Review,
    Stage,
    StageEntry,
    Subscription,
    Support,
    Version,
)


def _erase_initiatives(erasure: Erasure) -> int:
    own = Initiative.objects.filter(initiator_id=erasure.user_id)
    private = list(own.filter(published_at__isnull=True))
    for item in private:
        erasure.touch(item)
    # others' comments on what is gone would hang on nothing
    Comment.objects.filter(content_type=ContentType.objects.get_for_model(Initiative),
                           object_id__in=[str(i.pk) for i in private]).delete()
    # reviews keep their version (PROTECT); an unpublished concept has none, but never delete around one
    Initiative.objects.filter(pk__in=[i.pk for i in private]).exclude(reviews__isnull=False).delete()
    kept = list(Initiative.objects.filter(initiator_id=erasure.user_id))
    for item in kept:
        Initiative.objects.filter(pk=item.pk).update(
            title=erasure.scrub(item.title)[:300] or "—", problem=erasure.scrub(item.problem) or "—",
            proposal=erasure.scrub(item.proposal) or "—", stopped_reason=erasure.scrub_mentions(item.stopped_reason),
            initiator=None, editor=None if item.editor_id == erasure.user_id else item.editor)
        erasure.touch(item)
        for entry in StageEntry.objects.filter(initiative=item).exclude(note=""):
            note = erasure.scrub_mentions(entry.note)
            if note != entry.note:
                StageEntry.objects.filter(pk=entry.pk).update(note=note)
        for amendment in Amendment.objects.filter(initiative=item).exclude(decision_reason="", hidden_reason=""):
            Amendment.objects.filter(pk=amendment.pk).update(
                decision_reason=erasure.scrub_mentions(amendment.decision_reason),
                hidden_reason=erasure.scrub_mentions(amendment.hidden_reason))
    Initiative.objects.filter(editor_id=erasure.user_id).update(editor=None)
    return len(private) + len(kept)


def _erase_contributions(erasure: Erasure) -> int:
    count = 0
    for question in Question.objects.filter(author_id=erasure.user_id):
        Question.objects.filter(pk=question.pk).update(text=erasure.scrub(question.text)[:500] or "—", author=None)
        erasure.touch(question)
        count += 1
    for note in Annotation.objects.filter(author_id=erasure.user_id):
        Annotation.objects.filter(pk=note.pk).update(
            body=erasure.scrub(note.body) or "—", author=None, hidden_reason=erasure.scrub_mentions(note.hidden_reason))
        erasure.touch(note)
        count += 1
    for amendment in Amendment.objects.filter(author_id=erasure.user_id):
        Amendment.objects.filter(pk=amendment.pk).update(
            proposed_text=erasure.scrub(amendment.proposed_text) or "—",
            justification=erasure.scrub(amendment.justification), author=None,
            decision_reason=erasure.scrub_mentions(amendment.decision_reason),
            hidden_reason=erasure.scrub_mentions(amendment.hidden_reason))
        erasure.touch(amendment)
        count += 1
    for review in Review.objects.filter(expert_id=erasure.user_id):
        Review.objects.filter(pk=review.pk).update(
            summary=erasure.scrub(review.summary) or "—", risks=erasure.scrub(review.risks),
            corruption_findings=erasure.scrub(review.corruption_findings), proposals=erasure.scrub(review.proposals),
            hidden_reason=erasure.scrub_mentions(review.hidden_reason), expert=None)
        erasure.touch(review)
        count += 1
    return count


def _erase_private(erasure: Erasure) -> int:
    supported = list(Support.objects.filter(user_id=erasure.user_id).values_list("initiative_id", flat=True))
    answers = list(Answer.objects.filter(author_id=erasure.user_id))
    for row in [*Support.objects.filter(user_id=erasure.user_id), *answers,
                *Subscription.objects.filter(user_id=erasure.user_id),
                *Invitation.objects.filter(expert_id=erasure.user_id)]:
        erasure.touch(row)
    count = Support.objects.filter(user_id=erasure.user_id).delete()[0]
    count += Answer.objects.filter(author_id=erasure.user_id).delete()[0]
    count += Subscription.objects.filter(user_id=erasure.user_id).delete()[0]
    Invitation.objects.filter(expert_id=erasure.user_id).delete()
    live = Initiative.objects.filter(pk__in=supported, stage=Stage.DISCUSSION).annotate(rows=Count("supports"))
    for pk, rows in live.values_list("pk", "rows"):
        Initiative.objects.filter(pk=pk).update(support_count=rows)
    return count


def _cut_staff_links(erasure: Erasure) -> None:
    StageEntry.objects.filter(actor_id=erasure.user_id).update(actor=None)
    Version.objects.filter(created_by_id=erasure.user_id).update(created_by=None)
    Amendment.objects.filter(decided_by_id=erasure.user_id).update(decided_by=None)
    Reaction.objects.filter(decided_by_id=erasure.user_id).update(decided_by=None)
    Invitation.objects.filter(invited_by_id=erasure.user_id).update(invited_by=None)


def lawmaking_erase_person(erasure: Erasure) -> None:
    """Erase a person from law-making (see the module's docstring); runs inside the deleting transaction."""
    count = _erase_initiatives(erasure)
    count += _erase_contributions(erasure)
    count += _erase_private(erasure)
    _cut_staff_links(erasure)
    erasure.count("lawmaking", count)


# --- "download my data" ------------------------------------------------------------------------------

def _at(value: Any) -> str | None:
    return value.isoformat() if value else None


def lawmaking_export(user: Any) -> dict[str, Any]:
    """What law-making holds about ``user``: the initiatives he started, his supports, questions and answers,
    comments on provisions, amendments, expert reviews and invitations, subscriptions."""
    initiatives = Initiative.objects.filter(Q(initiator_id=user.pk)).select_related("municipality",
                                                                                    "responsible_body")
    return {
        "initiatives": [{"id": i.pk, "title": i.title, "problem": i.problem, "proposal": i.proposal,
                         "level": i.level, "municipality": str(i.municipality) if i.municipality_id else None,
                         "responsible_body": str(i.responsible_body), "initiator_kind": i.initiator_kind,
                         "stage": i.stage, "stopped_reason": i.stopped_reason, "created": _at(i.created_at),
                         "published": _at(i.published_at)} for i in initiatives],
        "supports": [{"initiative": s.initiative_id, "since": _at(s.created_at)}
                     for s in Support.objects.filter(user_id=user.pk).order_by("created_at")],
        "questions": [{"initiative": q.initiative_id, "text": q.text, "asked": _at(q.created_at)}
                      for q in Question.objects.filter(author_id=user.pk)],
        "answers": [{"initiative": a.question.initiative_id, "question": a.question.text, "text": a.text,
                     "answered": _at(a.created_at), "changed": _at(a.updated_at), "hidden_reason": a.hidden_reason}
                    for a in Answer.objects.filter(author_id=user.pk).select_related("question")],
        "annotations": [{"initiative": n.initiative_id, "version": n.version.number, "provision": n.key,
                         "passage": n.quote, "text": n.body, "written": _at(n.created_at),
                         "hidden_reason": n.hidden_reason}
                        for n in Annotation.objects.filter(author_id=user.pk).select_related("version")],
        "amendments": [{"initiative": a.initiative_id, "version": a.version.number, "provision": a.key,
                        "passage": a.quote, "proposed_text": a.proposed_text, "justification": a.justification,
                        "status": a.status, "decision_reason": a.decision_reason, "proposed": _at(a.created_at),
                        "decided": _at(a.decided_at)}
                       for a in Amendment.objects.filter(author_id=user.pk).select_related("version")],
        "reviews": [{"initiative": r.initiative_id, "version": r.version.number,
                     "field": r.field.code if r.field_id else None, "conclusion": r.conclusion,
                     "summary": r.summary, "risks": r.risks, "corruption_risks_found": r.corruption_risks_found,
                     "corruption_findings": r.corruption_findings, "proposals": r.proposals,
                     "submitted": _at(r.submitted_at), "hidden_reason": r.hidden_reason}
                    for r in Review.objects.filter(expert_id=user.pk).select_related("version", "field")],
        "invitations": [{"initiative": i.initiative_id, "due": _at(i.due), "status": i.status,
                         "decline_reason": i.decline_reason, "invited": _at(i.invited_at)}
                        for i in Invitation.objects.filter(expert_id=user.pk)],
        "subscriptions": [{"initiative": s.initiative_id, "level": s.level or None,
                           "municipality": str(s.municipality) if s.municipality_id else None,
                           "subject": s.field.code if s.field_id else None, "since": _at(s.created_at)}
                          for s in Subscription.objects.filter(user_id=user.pk).select_related("municipality",
                                                                                              "field")],
    }
