"""Voice orders' API under /api/v1/planner/voice/: ``recognise/`` hears a WAV recording on the server (offline engine,
``krai.planner.voice.engines``) and reads it into a draft; ``parse/`` reads typed or corrected text into a draft.

Nothing is created here: a draft is shown to the person, who confirms it on the voice page (an order becomes a draft
order he then issues on the order's form). Staff only (``planner.dictate``); both are throttled like every write.

Recognition runs in the request: the length cap (``KRAI_VOICE_MAX_SECONDS``, 30 s by default) bounds it; the
pocketsphinx engine decodes at about a tenth of real time on one core (a 5-second phrase: about half a second).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, OpenApiTypes, extend_schema
from rest_framework import exceptions, parsers, permissions, serializers, status
from rest_framework.response import Response

from krai.core.api_views import AreaWriteView, errors
from krai.planner.voice import audio, dictation, engines

DICTATE = "planner.dictate"


class VoiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "Speech recognition on the server is off or cannot run here; type the phrase instead."
    default_code = "voice_unavailable"


class WavParser(parsers.BaseParser):
    """A WAV recording sent as the whole body (``Content-Type: audio/wav``)."""

    media_type = "audio/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> dict[str, bytes]:
        data = stream.read(audio.max_bytes() + 1) if stream is not None else b""
        return {"audio": data}


class PlannerVoicePersonOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    unit = serializers.CharField()
    score = serializers.FloatField(help_text="How sure the match is, 0…1")


class PlannerVoiceExecutorOut(serializers.Serializer):
    words = serializers.CharField(help_text="The words of the phrase that named this executor, as said")
    person = PlannerVoicePersonOut(allow_null=True, help_text="Set only when one person matched clearly")
    candidates = PlannerVoicePersonOut(many=True, help_text="The near matches to choose from (none: nobody here "
                                                            "has that name)")


class PlannerVoiceDraftOut(serializers.Serializer):
    text = serializers.CharField(help_text="The phrase read")
    language = serializers.CharField(help_text="ru or en")
    intent = serializers.ChoiceField(choices=["order", "task"], help_text="An order to someone, or a task for oneself")
    subject = serializers.CharField()
    executor = PlannerVoicePersonOut(allow_null=True, help_text="The first (responsible) executor, set only when "
                                                                "one person matched clearly")
    candidates = PlannerVoicePersonOut(many=True, help_text="The near matches to choose from for the first executor")
    executors = PlannerVoiceExecutorOut(many=True, help_text="Every executor the phrase names, in the order said: "
                                                             "the first is responsible (the same as executor and "
                                                             "candidates), the others co-executors")
    executor_words = serializers.ListField(child=serializers.CharField(),
                                           help_text="The words that named each executor, as said (as in executors)")
    deadline = serializers.DateField(allow_null=True)
    deadline_words = serializers.CharField(help_text="The words the deadline was read from")
    priority = serializers.ChoiceField(choices=["normal", "high", "urgent"])
    missing = serializers.ListField(child=serializers.CharField(),
                                    help_text="What must be asked for: executor (any of the executors), deadline, "
                                              "subject")
    complete = serializers.BooleanField()


class PlannerVoiceRecognitionOut(serializers.Serializer):
    text = serializers.CharField(help_text="What was heard")
    engine = serializers.CharField()
    language = serializers.CharField()
    audio_seconds = serializers.FloatField()
    decode_seconds = serializers.FloatField()
    draft = PlannerVoiceDraftOut()


class PlannerVoiceParseIn(serializers.Serializer):
    text = serializers.CharField(max_length=1000, help_text="The phrase, typed or corrected")
    language = serializers.ChoiceField(choices=["ru", "en"], required=False,
                                       help_text="Told from the letters if not given")


class _Voice(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm(DICTATE):
            raise PermissionDenied(_("Only members of staff may dictate orders."))


@extend_schema(tags=["planner"])
class VoiceRecognise(_Voice):
    """Hear a recording: a WAV file of 16-bit PCM (mono or stereo, any rate), as the multipart field ``audio`` or
    as the whole body (``audio/wav``); no longer than the server's cap. Answers what was heard and its draft."""

    parser_classes = [parsers.MultiPartParser, WavParser]

    @extend_schema(operation_id="planner_voice_recognise",
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "audio": {"type": "string", "format": "binary"}}}, "audio/wav": OpenApiTypes.BINARY},
                   responses={200: PlannerVoiceRecognitionOut, **errors(400, 401, 403, 429),
                              503: OpenApiResponse(description=VoiceUnavailable.default_detail)})
    def post(self, request: Any) -> Response:
        upload = request.data.get("audio")
        if upload is None:
            raise ValidationError({"audio": _("Send the recording as a WAV file.")}, code="required")
        if hasattr(upload, "read"):
            if upload.size > audio.max_bytes():
                audio.prepare(b"x" * (audio.max_bytes() + 1))  # the size refusal, with its message
            upload = upload.read()
        try:
            heard = engines.recognise(bytes(upload))
        except engines.EngineUnavailable as exc:
            raise VoiceUnavailable(_("Speech recognition on the server is off or cannot run here; type the phrase "
                                     "instead.")) from exc
        draft = dictation.read(heard.text, user=request.user, language_code=heard.language) if heard.text else None
        return Response({"text": heard.text, "engine": heard.engine, "language": heard.language,
                         "audio_seconds": round(heard.audio_seconds, 2),
                         "decode_seconds": round(heard.decode_seconds, 3),
                         "draft": dictation.draft_json(draft) if draft is not None else None})


@extend_schema(tags=["planner"])
class VoiceParse(_Voice):
    """Read a phrase (typed, or heard and corrected) into a draft order or task; nothing is created."""

    @extend_schema(operation_id="planner_voice_parse", request=PlannerVoiceParseIn,
                   responses={200: PlannerVoiceDraftOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        data = self.body(PlannerVoiceParseIn)
        draft = dictation.read(data["text"], user=request.user, language_code=data.get("language"))
        return Response(dictation.draft_json(draft))


urlpatterns = [
    path("planner/voice/recognise/", VoiceRecognise.as_view(), name="planner-voice-recognise"),
    path("planner/voice/parse/", VoiceParse.as_view(), name="planner-voice-parse"),
]
