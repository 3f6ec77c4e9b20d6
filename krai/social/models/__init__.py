"""The community's tables, one module per part: profiles and the expert registry, publications and galleries,
conversations, moderation."""

from krai.social.models.content import Album, Photo, Publication, PublicationTopic
from krai.social.models.conversations import Conversation, Message, Participant
from krai.social.models.moderation import AbuseReport, Ban
from krai.social.models.profiles import (
    Credential,
    ExpertiseField,
    Follow,
    Profile,
    Topic,
    UserBlock,
    Visibility,
)

__all__ = [
    "AbuseReport", "Album", "Ban", "Conversation", "Credential", "ExpertiseField", "Follow", "Message",
    "Participant", "Photo", "Profile", "Publication", "PublicationTopic", "Topic", "UserBlock", "Visibility",
]
