"""Template tags of the verification part: ``{% object_verifications object %}`` shows, on a registered object's
card, the published results of the residents' requests about it (every decision, the latest visit first), the
requests still being verified, and the link to ask for a check of this object; ``{{ text|resident_text }}`` is a
resident's text as the public reads it (personal data masked)."""

from typing import Any

from django import template

from krai.construction.models import RequestStatus
from krai.construction.selectors import verification as selectors

register = template.Library()
SHOWN = 10


@register.inclusion_tag("construction/verification/_object_results.html")
def object_verifications(construction_object: Any) -> dict[str, Any]:
    if construction_object is None or getattr(construction_object, "pk", None) is None:
        return {"object": None, "results": [], "open_count": 0, "total": 0}
    results = selectors.object_results(construction_object)
    total = results.count()
    return {"object": construction_object, "results": list(results[:SHOWN]), "total": total,
            "open_count": construction_object.verification_requests.filter(status=RequestStatus.OPEN).count()}


@register.filter
def resident_text(text: Any) -> str:
    """A resident's text as the public reads it: phones, e-mails and document numbers masked."""
    return selectors.public_text(str(text or ""))


@register.filter
def request_author(request: Any) -> str:
    """The author of a request as the public names him ("Given S."), never his full surname."""
    return selectors.author_name(request) if request is not None else ""


@register.filter
def request_overdue(request: Any) -> bool:
    """An open request past its due date."""
    return selectors.is_overdue(request) if request is not None else False
