"""The monitoring overview: one tile per monitor, each linking to its page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from krai.monitoring import tiles


@login_required
def home(request):
    if not request.user.has_perm("monitoring.access"):
        raise PermissionDenied
    return render(request, "monitoring/home.html", {"tiles": tiles.tiles_for(request.user)})
