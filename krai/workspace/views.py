from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from krai.org import selectors as org


@login_required
def home(request):
    if not request.user.has_perm("workspace.access"):
        raise PermissionDenied
    scope = org.scope_for(request.user)
    return render(request, "workspace/home.html", {
        "scope": scope,
        "organisations": org.organisations_in_scope(request.user).select_related("block")[:200],
    })
