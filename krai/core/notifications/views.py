"""Pages: the inbox (htmx-friendly marking) and the preferences form; a person only ever sees their own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.core.notifications import selectors, services
from krai.core.notifications.forms import PreferencesForm

PAGE_SIZE = 30


def _inbox_context(request) -> dict:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user=request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)}


@login_required
def inbox(request):
    template = "notifications/_list.html" if request.htmx else "notifications/inbox.html"
    return render(request, template, _inbox_context(request))


@login_required
@require_POST
def mark_read(request, pk: int):
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    if request.htmx:  # the whole list, so that the unread count and filter stay true
        return render(request, "notifications/_list.html", _inbox_context(request))
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if request.htmx:
        return render(request, "notifications/_list.html", _inbox_context(request))
    messages.success(request, _("All notifications are marked read.") if count else _("Nothing was unread."))
    return redirect("notifications:inbox")


@login_required
def open_notification(request, pk: int):
    """Follow a notification's link, marking it read on the way (only links to this site or http(s))."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.mark_read(user=request.user, notification_id=notification.pk)
    url = notification.url
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return redirect(url)
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    table = selectors.preference_table(user=request.user)
    form = PreferencesForm(request.POST or None, table=table)
    if request.method == "POST" and form.is_valid():
        form.save(user=request.user)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
