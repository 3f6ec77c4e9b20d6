"""Thin API views over the accounts services: input serializer → permission → service → output serializer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.accounts import selectors, services
from krai.accounts.authentication import TokenScopes
from krai.accounts.models import TOKEN_SCOPES, ApiToken
from krai.org.selectors import municipality_list

REGISTER_GROUP = "accounts.register"
REGISTER_RATE = "10/h"

ERRORS = {
    400: OpenApiResponse(description=_('Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=_("Not signed in, or the token is invalid, revoked or expired")),
    403: OpenApiResponse(description=_("Not allowed (e.g. a token without the needed scope)")),
    404: OpenApiResponse(description=_("Missing, or not yours (the same answer)")),
    429: OpenApiResponse(description=_("Too many requests")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class MeOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    email_confirmed = serializers.BooleanField()
    surname = serializers.CharField()
    given_name = serializers.CharField()
    patronymic = serializers.CharField()
    full_name = serializers.CharField()
    phone = serializers.CharField()
    home_municipality = serializers.IntegerField(source="home_municipality_id", allow_null=True)
    residence_verified = serializers.BooleanField()
    is_staff = serializers.BooleanField()
    two_factor = serializers.SerializerMethodField()

    def get_two_factor(self, user) -> bool:
        return services.has_two_factor(user)


class MeIn(serializers.Serializer):
    surname = serializers.CharField(max_length=100)
    given_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, allow_blank=True)
    phone = serializers.CharField(max_length=32, allow_blank=True)
    home_municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), allow_null=True)


class RegisterIn(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    password_again = serializers.CharField(write_only=True, trim_whitespace=False, required=False)
    surname = serializers.CharField(max_length=100)
    given_name = serializers.CharField(max_length=100)
    patronymic = serializers.CharField(max_length=100, allow_blank=True, required=False, default="")
    phone = serializers.CharField(max_length=32, allow_blank=True, required=False, default="")
    home_municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), allow_null=True,
                                                           required=False, default=None)
    consent = serializers.BooleanField(help_text=_("Consent to the processing of personal data; must be true."))


class TokenOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text=_("\"personal\" (made by its owner) or \"system\" (an integrated system's)"))
    prefix = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class TokenCreatedOut(TokenOut):
    key = serializers.CharField(help_text=_("The whole token; shown only in this answer."))


class TokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(TOKEN_SCOPES)), allow_empty=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AccountsView(APIView):
    permission_classes = [permissions.IsAuthenticated, TokenScopes]

    def get_authenticate_header(self, request) -> str:
        return super().get_authenticate_header(request) or 'Bearer realm="api"'

    def body(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class MeView(AccountsView):
    """The caller's own account."""

    @extend_schema(operation_id="me_retrieve", responses={200: MeOut, **errors(401, 403)})
    def get(self, request):
        return Response(MeOut(request.user).data)

    @extend_schema(operation_id="me_update", request=MeIn, responses={200: MeOut, **errors(400, 401, 403)})
    def patch(self, request):
        user = services.profile_update(actor=request.user, user=request.user, **self.body(MeIn, partial=True))
        return Response(MeOut(user).data)


@extend_schema_view(get=extend_schema(exclude=True), patch=extend_schema(exclude=True))
class MeWithoutSlash(MeView):
    """``/api/v1/me`` as well as ``/api/v1/me/``: clients written against the short form work unchanged."""


class RegisterView(AccountsView):
    """A resident registers; the confirmation link goes to his e-mail. Limited per address of the caller."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="accounts_register", request=RegisterIn,
                   responses={201: MeOut, **errors(400, 429)})
    def post(self, request):
        if is_ratelimited(request, group=REGISTER_GROUP, key="ip", rate=REGISTER_RATE, method="POST",
                          increment=True):
            raise exceptions.Throttled()
        data = self.body(RegisterIn)
        user = services.resident_register(**data, language=getattr(request, "LANGUAGE_CODE", ""))
        return Response(MeOut(user).data, status=status.HTTP_201_CREATED)


def _caller_token(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class TokenListView(AccountsView):
    """The caller's own tokens; a new one's whole key is in the answer to its creation only."""

    @extend_schema(operation_id="accounts_tokens_list", responses={200: TokenOut(many=True), **errors(401, 403)})
    def get(self, request):
        return Response(TokenOut(selectors.tokens_of(user=request.user), many=True).data)

    @extend_schema(operation_id="accounts_tokens_create", request=TokenIn,
                   responses={201: TokenCreatedOut, **errors(400, 401, 403)})
    def post(self, request):
        data = self.body(TokenIn)
        caller = _caller_token(request)
        if caller is not None and not set(data["scopes"]) <= set(caller.scopes):
            # a token may mint tokens only as narrow as itself, never wider
            raise exceptions.PermissionDenied(_("A token may create tokens only with scopes it has itself."))
        issued = services.token_create(actor=request.user, user=request.user, **data)
        return Response({**TokenOut(issued.token).data, "key": issued.key}, status=status.HTTP_201_CREATED)


class TokenDetailView(AccountsView):
    @extend_schema(operation_id="accounts_tokens_retrieve", responses={200: TokenOut, **errors(401, 403, 404)})
    def get(self, request, pk: int):
        return Response(TokenOut(selectors.token_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(operation_id="accounts_tokens_revoke", responses={200: TokenOut, **errors(401, 403, 404)})
    def delete(self, request, pk: int):
        token = services.token_revoke(actor=request.user,
                                      token=selectors.token_get_for_user(user=request.user, pk=pk))
        return Response(TokenOut(token).data)
