"""API of the community's profiles: a profile as the caller may see it (the page's rules, from the same
selector), my profile, the expert registry. Topics and follows: ``api/follows.py``.

Writes made with a token need the scopes ``write`` and ``social:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView
from krai.org.selectors import municipality_list
from krai.social import services
from krai.social.models import Profile, Visibility
from krai.social.models.profiles import PRIVATE_FIELDS
from krai.social.selectors import profiles as selectors

ERRORS = {
    400: OpenApiResponse(description='Invalid input: {"error": {"status", "code", "message", "fields"}}'),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Not allowed; the message says why (a ban…)"),
    404: OpenApiResponse(description="Missing, or not visible to the caller (the same answer)"),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class SocialView(AreaView):
    """The services' refusals keep their messages (the kernel's area view, with the project's default
    permissions: each view names its own)."""

    permission_classes = APIView.permission_classes


class SocialWriteView(SocialView, AreaWriteView):
    """Writes throttled like every public write of Krai (reads are not)."""


# --- serializers -----------------------------------------------------------------------------------

class SocialNamedOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class SocialCredentialOut(serializers.Serializer):
    title = serializers.CharField()
    issuer = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class SocialEntryOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "topic"])
    id = serializers.IntegerField()
    code = serializers.CharField(required=False)
    name = serializers.CharField()
    url = serializers.CharField()


class SocialProfileOut(serializers.Serializer):
    """A field the caller may not see is ``null`` (lists: ``null`` too, an empty list means "none")."""

    id = serializers.IntegerField(source="profile.user_id")
    display_name = serializers.CharField(source="profile.display_name")
    kind = serializers.ChoiceField(source="profile.kind", choices=Profile.Kind.choices)
    is_expert = serializers.SerializerMethodField()
    blocked = serializers.BooleanField(help_text="Either of you blocked the other: only the name is shown")
    avatar = serializers.SerializerMethodField()
    avatar_thumb = serializers.SerializerMethodField()
    about = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    municipality = serializers.SerializerMethodField()
    website = serializers.SerializerMethodField()
    contact_email = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    expertise = SocialNamedOut(many=True)
    credentials = SocialCredentialOut(many=True)
    follows = SocialEntryOut(many=True, allow_null=True)
    followers = SocialEntryOut(many=True, allow_null=True)

    def get_is_expert(self, view: Any) -> bool:
        return bool(view.profile.is_expert and not view.blocked)

    def get_avatar(self, view: Any) -> str:
        return selectors.avatar_url(view.profile)

    def get_avatar_thumb(self, view: Any) -> str:
        return selectors.avatar_url(view.profile, "thumb")

    def get_about(self, view: Any) -> str | None:
        return view.fields.get("about")

    def get_position(self, view: Any) -> str | None:
        return view.fields.get("position")

    def get_municipality(self, view: Any) -> int | None:
        municipality = view.fields.get("municipality")
        return municipality.pk if municipality is not None else None

    def get_website(self, view: Any) -> str | None:
        return view.fields.get("website")

    def get_contact_email(self, view: Any) -> str | None:
        return view.fields.get("contact_email")

    def get_contact_phone(self, view: Any) -> str | None:
        return view.fields.get("contact_phone")


class SocialMeOut(SocialProfileOut):
    privacy = serializers.SerializerMethodField()
    accept_messages = serializers.CharField(source="profile.accept_messages")
    is_discoverable = serializers.BooleanField(source="profile.is_discoverable")
    expert_status = serializers.CharField(source="profile.expert_status")

    def get_privacy(self, view: Any) -> dict[str, str]:
        return {name: view.profile.level(name) for name in PRIVATE_FIELDS}


class SocialPrivacyIn(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {name: serializers.ChoiceField(choices=Visibility.choices, required=False) for name in PRIVATE_FIELDS}


class SocialMeIn(serializers.Serializer):
    display_name = serializers.CharField(max_length=150)
    about = serializers.CharField(max_length=2000, allow_blank=True)
    position = serializers.CharField(max_length=200, allow_blank=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), allow_null=True)
    website = serializers.URLField(allow_blank=True)
    contact_email = serializers.EmailField(allow_blank=True)
    contact_phone = serializers.CharField(max_length=32, allow_blank=True)
    privacy = SocialPrivacyIn()
    accept_messages = serializers.ChoiceField(choices=Profile.Messages.choices)
    is_discoverable = serializers.BooleanField()


class SocialExpertOut(serializers.Serializer):
    id = serializers.IntegerField(source="user_id")
    display_name = serializers.CharField()
    kind = serializers.CharField()
    expertise = serializers.SerializerMethodField()
    credentials = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")

    def get_expertise(self, profile: Profile) -> list[dict[str, str]]:
        return [SocialNamedOut(f).data for f in profile.expertise.all() if f.is_active]

    def get_credentials(self, profile: Profile) -> list[dict[str, Any]]:
        return SocialCredentialOut(self.context.get("credentials", {}).get(profile.user_id, []), many=True).data


class SocialExpertQuery(serializers.Serializer):
    field = serializers.CharField(required=False, max_length=64, help_text="A field of expertise's code")
    municipality = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)


# --- views -----------------------------------------------------------------------------------------

@extend_schema(tags=["social"])
class ProfileDetail(SocialView):
    """A profile, each private field shown only to whom its owner allows (exactly as the page)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: SocialProfileOut, **errors(404)})
    def get(self, request: Any, user_id: int) -> Response:
        return Response(SocialProfileOut(selectors.profile_view(request.user, user_id)).data)


@extend_schema(tags=["social"])
class MyProfile(SocialWriteView):
    """My profile, with who sees each field; PATCH changes the fields sent (``privacy`` merges)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SocialMeOut, **errors(401)})
    def get(self, request: Any) -> Response:
        return Response(SocialMeOut(selectors.profile_view(request.user, request.user.pk)).data)

    @extend_schema(request=SocialMeIn, responses={200: SocialMeOut, **errors(400, 401, 403)})
    def patch(self, request: Any) -> Response:
        services.profile_update(actor=request.user, user=request.user, **self.body(SocialMeIn, partial=True))
        return Response(SocialMeOut(selectors.profile_view(request.user, request.user.pk)).data)


@extend_schema(tags=["social"])
class ExpertList(SocialView):
    """Verified experts by field of expertise (code), municipality (id) and name, paged."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[SocialExpertQuery], responses={200: SocialExpertOut(many=True), **errors(400)})
    def get(self, request: Any) -> Response:
        query = SocialExpertQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        paginator = Pagination()
        page = paginator.paginate_queryset(
            selectors.experts(field=params.get("field") or None, municipality=params.get("municipality"),
                              q=params.get("q", ""), viewer=request.user), request, view=self)
        context = {"credentials": selectors.verified_credentials(page)}
        return paginator.get_paginated_response(SocialExpertOut(page, many=True, context=context).data)


urlpatterns = [
    path("social/profiles/me/", MyProfile.as_view(), name="social-profile-me"),
    path("social/profiles/<int:user_id>/", ProfileDetail.as_view(), name="social-profile"),
    path("social/experts/", ExpertList.as_view(), name="social-experts"),
]
