"""The community in the site-wide search (``krai.core.search``): public publications and the people listed in the
people search, kept by an event subscriber so every write that changes what may be found (publishing, editing,
deleting, hiding, restoring, a profile's fields, an expert's verification) re-reads the object and indexes or
removes it.

Only what anyone may read is indexed: a publication for everyone that is not hidden (its text with personal data
masked); a discoverable profile's name, its public position and about, and a verified expert's fields. Everything
else is taken out, so a later change of audience or privacy leaves nothing findable behind.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import Truncator

from krai.core.events.registry import subscriber
from krai.core.privacy import mask_personal
from krai.core.search.services import index_object, remove_object
from krai.social.models import Profile, Publication, Visibility

KINDS = ["social.publication_*", "social.content_hidden", "social.content_restored", "social.profile_updated",
         "social.credential_verified", "social.expert_revoked"]


def index_publication(publication_id: int) -> None:
    publication = Publication.objects.filter(pk=publication_id).select_related("author__social_profile").first()
    if publication is None or publication.is_hidden or publication.audience != Visibility.PUBLIC:
        remove_object(publication or Publication(pk=publication_id))
        return
    text = mask_personal(publication.body)
    index_object(target=publication, title=Truncator(text.splitlines()[0] if text else "").chars(120),
                 body=text, url=publication.get_absolute_url())


def index_profile(user_id: int) -> None:
    profile = Profile.objects.filter(pk=user_id, user__is_active=True).first()
    if profile is None or not profile.is_discoverable:
        remove_object(profile or Profile(pk=user_id))
        return
    parts = [mask_personal(getattr(profile, field)) for field in ("position", "about")
             if profile.level(field) == Visibility.PUBLIC and getattr(profile, field)]
    if profile.is_expert:
        parts += [field.name for field in profile.expertise.all()]
    index_object(target=profile, title=profile.display_name, body="\n".join(parts), url=profile.get_absolute_url())


@subscriber("social.search_index", kinds=KINDS)
def keep_search_index(event: Any) -> None:
    model = event.subject_type.model_class() if event.subject_type_id else None
    if model is Publication:
        index_publication(int(event.subject_id))
    elif model is Profile:
        index_profile(int(event.subject_id))
    elif event.kind in ("social.credential_verified", "social.expert_revoked"):
        profile_id = (event.payload or {}).get("profile") or (event.subject_id if model is Profile else None)
        if profile_id:
            index_profile(int(profile_id))
