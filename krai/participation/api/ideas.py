"""API of ideas campaigns: campaigns, ideas and support (residents), moderation and answers (staff)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination, default_throttles
from krai.org.selectors import municipality_list, organisation_list
from krai.participation import services
from krai.participation.api._base import ParticipationView, PublicWrite, errors
from krai.participation.models import Idea
from krai.participation.selectors import ideas as selectors
from krai.participation.services.ideas import ANSWER_STATUSES


class CampaignOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    topic = serializers.CharField()
    description = serializers.CharField()
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    is_open = serializers.BooleanField()
    ideas_published = serializers.IntegerField(required=False)


class CampaignQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=["open", "upcoming", "past"], required=False)
    municipality = serializers.IntegerField(required=False, min_value=1)


class CampaignIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    topic = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), required=False, allow_null=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list(), required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


@extend_schema(tags=["participation"])
class CampaignList(ParticipationView):
    """Ideas campaigns, newest first; organisers open one (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[CampaignQuery], responses=CampaignOut(many=True))
    def get(self, request):
        params = self.query(CampaignQuery)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.campaign_list(state=params.get("state", ""),
                                                                   municipality_id=params.get("municipality")),
                                           request, view=self)
        return paginator.get_paginated_response(CampaignOut(page, many=True).data)

    @extend_schema(request=CampaignIn, responses={201: CampaignOut, **errors(400, 401, 403)})
    def post(self, request):
        campaign = services.campaign_create(actor=request.user, **self.body(CampaignIn))
        return Response(CampaignOut(campaign).data, status=status.HTTP_201_CREATED)


class IdeaOut(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField(source="campaign_id")
    title = serializers.CharField(source="public_title")
    body = serializers.CharField(source="public_body")
    author = serializers.SerializerMethodField()
    moderation = serializers.ChoiceField(choices=Idea.Moderation.choices)
    moderation_reason = serializers.CharField()
    status = serializers.ChoiceField(choices=Idea.Status.choices)
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    order = serializers.CharField(source="order_reference", help_text="The control engine's assignment, if any")
    supporters = serializers.IntegerField(default=0)
    supported = serializers.BooleanField(default=False)
    created_at = serializers.DateTimeField()

    def get_author(self, idea) -> str:
        return idea.author.short_name if idea.author_id else ""


class IdeaIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=5000)


@extend_schema(tags=["participation"])
class CampaignDetail(ParticipationView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: CampaignOut, **errors(404)})
    def get(self, request, pk: int):
        return Response(CampaignOut(selectors.campaign_get(pk)).data)


@extend_schema(tags=["participation"])
class CampaignIdeas(PublicWrite):
    """A campaign's published ideas, most supported first; a resident suggests one (POST, moderated)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else default_throttles()

    @extend_schema(responses={200: IdeaOut(many=True), **errors(404)})
    def get(self, request, pk: int):
        campaign = selectors.campaign_get(pk)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.idea_list(user=request.user, campaign=campaign,
                                                               order=request.query_params.get("order", "support")),
                                           request, view=self)
        return paginator.get_paginated_response(IdeaOut(page, many=True).data)

    @extend_schema(request=IdeaIn, responses={201: IdeaOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        idea = services.idea_suggest(actor=request.user, campaign=selectors.campaign_get(pk), **self.body(IdeaIn))
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=idea.pk)).data,
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=["participation"])
class IdeaDetail(ParticipationView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: IdeaOut, **errors(404)})
    def get(self, request, pk: int):
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=pk)).data)


@extend_schema(tags=["participation"])
class IdeaSupport(PublicWrite):
    """Support a published idea (once), or withdraw the support."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: IdeaOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        services.idea_support(actor=request.user, idea=selectors.idea_get(user=request.user, pk=pk))
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(400, 401, 403, 404)})
    def delete(self, request, pk: int):
        services.idea_unsupport(actor=request.user, idea=selectors.idea_get(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ModerateIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[Idea.Moderation.PUBLISHED, Idea.Moderation.REJECTED])
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AnswerIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in ANSWER_STATUSES])
    answer = serializers.CharField()


@extend_schema(tags=["participation"])
class IdeaModerate(ParticipationView):
    """Publish a pending idea or reject it with a reason (the campaign's organisers)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ModerateIn, responses={200: IdeaOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        idea = services.idea_moderate(actor=request.user, idea=selectors.idea_get(user=request.user, pk=pk),
                                      **self.body(ModerateIn))
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=idea.pk)).data)


@extend_schema(tags=["participation"])
class IdeaAnswer(ParticipationView):
    """Give a published idea its status and official answer (the campaign's organisers)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=AnswerIn, responses={200: IdeaOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        idea = services.idea_answer(actor=request.user, idea=selectors.idea_get(user=request.user, pk=pk),
                                    **self.body(AnswerIn))
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=idea.pk)).data)


@extend_schema(tags=["participation"])
class ModerationQueue(ParticipationView):
    """Ideas of the caller's campaigns waiting for moderation (or in ``?moderation=`` state)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=IdeaOut(many=True))
    def get(self, request):
        moderation = request.query_params.get("moderation", Idea.Moderation.PENDING)
        if moderation not in Idea.Moderation.values:
            moderation = Idea.Moderation.PENDING
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.moderation_queue(user=request.user, moderation=moderation),
                                           request, view=self)
        return paginator.get_paginated_response(IdeaOut(page, many=True).data)


class IdeaOrderIn(serializers.Serializer):
    executor_organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list())
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    working_days = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0,
                                            max_value=3650)
    text = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["participation"])
class IdeaOrder(ParticipationView):
    """Turn a published idea into an order of the control engine: give ``deadline`` or ``working_days``."""

    permission_classes = [permissions.IsAuthenticated]
    required_scopes = {"POST": ["orders:write"]}  # it issues an order: a token needs the orders' scope as well

    @extend_schema(request=IdeaOrderIn, responses={200: IdeaOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        idea = services.idea_to_order(actor=request.user, idea=selectors.idea_get(user=request.user, pk=pk),
                                      **self.body(IdeaOrderIn))
        return Response(IdeaOut(selectors.idea_get(user=request.user, pk=idea.pk)).data)
