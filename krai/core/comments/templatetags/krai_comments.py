"""``{% comments_for object %}``: the object's discussion, with the htmx form for those who may write."""

from django import template

from krai.core.comments.views import thread_context

register = template.Library()


@register.inclusion_tag("comments/_thread.html", takes_context=True)
def comments_for(context, target):
    request = context.get("request")
    data = thread_context(request, target)
    data["csrf_token"] = context.get("csrf_token")
    return data
