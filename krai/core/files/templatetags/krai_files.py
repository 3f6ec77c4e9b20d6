"""``{% attachments_for object %}``: an object's files, and a form to add one for those who may."""

from django import template

from krai.core.files import selectors

register = template.Library()


@register.inclusion_tag("files/_attachments.html", takes_context=True)
def attachments_for(context, target, *, upload: bool = True):
    request = context.get("request")
    user = getattr(request, "user", None)
    attachments = list(selectors.attachments_for(user=user, target=target)) if user is not None else []
    can_attach = bool(upload and user is not None and user.is_authenticated
                      and user.has_perm("files.add_attachment", target))
    return {"attachments": attachments, "can_attach": can_attach, "target": target,
            "target_type": selectors.target_label(target), "request": request, "csrf_token": context.get("csrf_token")}
