"""API of the expertise under ``/api/v1/lawmaking/initiatives/<id>/``: the invitations (list; start the
expertise; invite one more expert; decline) and the reviews (list, one, submit, change one's own, hide). The same
services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``lawmaking:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from krai.lawmaking import policy
from krai.lawmaking.api.base import LawmakingWriteView, errors
from krai.lawmaking.models import Invitation, Review
from krai.lawmaking.selectors import expertise as selectors
from krai.lawmaking.services import expertise as services
from krai.social.models import ExpertiseField
from krai.social.selectors.profiles import display_name

ExpertiseView = LawmakingWriteView


# --- serializers -----------------------------------------------------------------------------------

class LawmakingPersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    url = serializers.CharField(help_text="The person's profile page")


def person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": display_name(user), "url": reverse("social:profile", args=[user.pk])}


class LawmakingFieldOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class LawmakingInvitationOut(serializers.Serializer):
    id = serializers.IntegerField()
    expert = serializers.SerializerMethodField()
    field = LawmakingFieldOut(allow_null=True)
    invited_at = serializers.DateTimeField()
    due = serializers.DateField()
    status = serializers.ChoiceField(choices=Invitation.Status.choices)
    decline_reason = serializers.SerializerMethodField()

    @extend_schema_field(LawmakingPersonOut)
    def get_expert(self, invitation: Invitation) -> dict[str, Any] | None:
        return person(invitation.expert)

    def get_decline_reason(self, invitation: Invitation) -> str | None:
        """Shown to the expert himself and to those who manage the initiative; ``null`` to others."""
        viewer = self.context.get("viewer")
        if policy.is_active_user(viewer) and (invitation.expert_id == viewer.pk
                                              or policy.manages(viewer, invitation.initiative)):
            return invitation.decline_reason
        return None


class LawmakingReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    expert = serializers.SerializerMethodField()
    field = LawmakingFieldOut(allow_null=True)
    version = serializers.IntegerField(source="version.number", help_text="The number of the version reviewed")
    conclusion = serializers.ChoiceField(choices=Review.Conclusion.choices)
    summary = serializers.CharField()
    risks = serializers.CharField()
    corruption_risks_found = serializers.BooleanField()
    corruption_findings = serializers.CharField()
    proposals = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()
    hidden_reason = serializers.CharField()

    @extend_schema_field(LawmakingPersonOut(allow_null=True))
    def get_expert(self, review: Review) -> dict[str, Any] | None:
        return person(review.expert)

    def get_hidden(self, review: Review) -> bool:
        return review.hidden_at is not None


class LawmakingExpertiseStartIn(serializers.Serializer):
    due = serializers.DateField(required=False, allow_null=True,
                                help_text="Reviews due by (default: the configured working days from today)")
    fields = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50,
                                   help_text="Codes of fields of expertise (default: the initiative's subjects)")
    experts = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
                                    required=False, max_length=200, help_text="Ids of verified experts")


class LawmakingInviteIn(serializers.Serializer):
    expert = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="A verified expert's id")
    field = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                  help_text="A field of expertise's code")


class LawmakingReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class LawmakingReviewIn(serializers.Serializer):
    conclusion = serializers.ChoiceField(choices=Review.Conclusion.choices)
    summary = serializers.CharField(max_length=20_000)
    risks = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")
    corruption_risks_found = serializers.BooleanField(required=False, default=False)
    corruption_findings = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="",
                                                help_text="Required when corruption risks are found")
    proposals = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="")


def _fields(codes: list[str]) -> list[ExpertiseField]:
    found = {f.code: f for f in ExpertiseField.objects.filter(code__in=codes, is_active=True)}
    missing = [code for code in codes if code not in found]
    if missing:
        message = _("Unknown field of expertise: %(codes)s") % {"codes": ", ".join(missing)}
        raise exceptions.ValidationError({"fields": [message]})
    return [found[code] for code in dict.fromkeys(codes)]


def _users(ids: list[int], field: str) -> list[Any]:
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids, is_active=True)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        message = _("No such person: %(ids)s") % {"ids": ", ".join(map(str, missing))}
        raise exceptions.ValidationError({field: [message]})
    return [found[pk] for pk in dict.fromkeys(ids)]


# --- views -----------------------------------------------------------------------------------------

@extend_schema(tags=["lawmaking"])
class InvitationList(ExpertiseView):
    """The experts invited to review the draft; POST starts the expertise (those who manage the initiative)."""

    def context(self) -> dict[str, Any]:
        return {"viewer": self.request.user}

    @extend_schema(responses={200: LawmakingInvitationOut(many=True), **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        rows = selectors.invitations(initiative)
        return Response(LawmakingInvitationOut(rows, many=True, context=self.context()).data)

    @extend_schema(request=LawmakingExpertiseStartIn,
                   responses={201: LawmakingInvitationOut(many=True), **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        data = self.body(LawmakingExpertiseStartIn)
        invitations = services.expertise_start(actor=request.user, initiative=initiative, due=data.get("due"),
                                               fields=_fields(data.get("fields") or []),
                                               experts=_users(data.get("experts") or [], "experts"))
        return Response(LawmakingInvitationOut(invitations, many=True, context=self.context()).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class InvitationInvite(ExpertiseView):
    """Invite one more verified expert while the expertise goes on."""

    @extend_schema(request=LawmakingInviteIn, responses={201: LawmakingInvitationOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        data = self.body(LawmakingInviteIn)
        field = _fields([data["field"]])[0] if data.get("field") else None
        invitation = services.expert_invite(actor=request.user, initiative=initiative,
                                            expert=_users([data["expert"]], "expert")[0], field=field)
        return Response(LawmakingInvitationOut(invitation, context={"viewer": request.user}).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class InvitationDecline(ExpertiseView):
    """The invited expert declines, saying why."""

    @extend_schema(request=LawmakingReasonIn, responses={200: LawmakingInvitationOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int, invitation_id: int) -> Response:
        initiative = self.initiative(pk)
        invitation = selectors.invitations(initiative).filter(pk=invitation_id).first()
        if invitation is None:
            raise exceptions.NotFound()
        invitation = services.invitation_decline(actor=request.user, invitation=invitation,
                                                 reason=self.body(LawmakingReasonIn)["reason"])
        return Response(LawmakingInvitationOut(invitation, context={"viewer": request.user}).data)


@extend_schema(tags=["lawmaking"])
class ReviewList(ExpertiseView):
    """The draft's reviews (a hidden one only for coordinators and its author); POST: the invited expert's review,
    by the deadline (after it: 400 naming the deadline, nothing stored)."""

    @extend_schema(responses={200: LawmakingReviewOut(many=True), **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(LawmakingReviewOut(selectors.reviews(request.user, self.initiative(pk)), many=True).data)

    @extend_schema(request=LawmakingReviewIn, responses={201: LawmakingReviewOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        review = services.review_submit(actor=request.user, initiative=initiative, **self.body(LawmakingReviewIn))
        return Response(LawmakingReviewOut(review).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class ReviewDetail(ExpertiseView):
    """One review; PATCH: its author changes it before the deadline (the fields sent)."""

    @extend_schema(responses={200: LawmakingReviewOut, **errors(404)})
    def get(self, request: Any, pk: int, review_id: int) -> Response:
        return Response(LawmakingReviewOut(selectors.review_for(request.user, self.initiative(pk), review_id)).data)

    @extend_schema(request=LawmakingReviewIn, responses={200: LawmakingReviewOut, **errors(400, 401, 403, 404)})
    def patch(self, request: Any, pk: int, review_id: int) -> Response:
        review = selectors.review_for(request.user, self.initiative(pk), review_id)
        data = self.body(LawmakingReviewIn, partial=True)
        values = {name: data.get(name, getattr(review, name)) for name in LawmakingReviewIn().fields}
        review = services.review_update(actor=request.user, review=review, **values)
        return Response(LawmakingReviewOut(review).data)


@extend_schema(tags=["lawmaking"])
class ReviewHide(ExpertiseView):
    """A coordinator hides a review from the public, saying why."""

    @extend_schema(request=LawmakingReasonIn, responses={200: LawmakingReviewOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int, review_id: int) -> Response:
        review = selectors.review_for(request.user, self.initiative(pk), review_id)
        review = services.review_hide(actor=request.user, review=review,
                                      reason=self.body(LawmakingReasonIn)["reason"])
        return Response(LawmakingReviewOut(review).data)


urlpatterns = [
    path("lawmaking/initiatives/<int:pk>/invitations/", InvitationList.as_view(), name="lawmaking-invitations"),
    path("lawmaking/initiatives/<int:pk>/invitations/invite/", InvitationInvite.as_view(),
         name="lawmaking-invitation-invite"),
    path("lawmaking/initiatives/<int:pk>/invitations/<int:invitation_id>/decline/", InvitationDecline.as_view(),
         name="lawmaking-invitation-decline"),
    path("lawmaking/initiatives/<int:pk>/reviews/", ReviewList.as_view(), name="lawmaking-reviews"),
    path("lawmaking/initiatives/<int:pk>/reviews/<int:review_id>/", ReviewDetail.as_view(),
         name="lawmaking-review"),
    path("lawmaking/initiatives/<int:pk>/reviews/<int:review_id>/hide/", ReviewHide.as_view(),
         name="lawmaking-review-hide"),
]
