from krai.construction.models.illegal import IllegalConstruction, IllegalStatus, Location, Measure, MeasureKind, Source
from krai.construction.models.registry import Change, ConstructionObject, ObjectKind, ObjectStage
from krai.construction.models.verification import (
    Decision,
    Inspection,
    RequestReason,
    RequestStatus,
    VerificationRequest,
)
from krai.construction.models.works import Work, WorkKind, WorkRating, WorkStatus, WorkSubscription

__all__ = [
    "Change", "ConstructionObject", "Decision", "IllegalConstruction", "IllegalStatus", "Inspection", "Location",
    "Measure", "MeasureKind", "ObjectKind", "ObjectStage", "RequestReason", "RequestStatus", "Source",
    "VerificationRequest", "Work", "WorkKind", "WorkRating", "WorkStatus", "WorkSubscription",
]
