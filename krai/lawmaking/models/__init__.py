"""Law-making's tables, one module per part: initiatives and their discussion, the draft's versions and
amendments, expertise, the government's reaction."""

from krai.lawmaking.models.drafts import Amendment, Annotation, Provision, Version
from krai.lawmaking.models.expertise import Invitation, Review
from krai.lawmaking.models.initiatives import (
    PUBLIC_STAGES,
    STAGE_PATH,
    Answer,
    Initiative,
    InitiatorKind,
    Level,
    Question,
    Stage,
    StageEntry,
    Subscription,
    Support,
)
from krai.lawmaking.models.reactions import Reaction

__all__ = [
    "PUBLIC_STAGES", "STAGE_PATH", "Amendment", "Annotation", "Answer", "Initiative", "InitiatorKind", "Invitation",
    "Level", "Provision", "Question", "Reaction", "Review", "Stage", "StageEntry", "Subscription", "Support",
    "Version",
]
