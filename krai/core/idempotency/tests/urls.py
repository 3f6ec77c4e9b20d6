"""A view for the middleware's tests: it makes a group named in the body, refuses a name taken, fails on "boom"."""

from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def make_group(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    if Group.objects.filter(name=name).exists():
        return JsonResponse({"error": {"status": 400, "code": "taken", "message": "taken"}}, status=400)
    group = Group.objects.create(name=name)
    if name == "boom":
        raise RuntimeError("the view failed after its write")
    if request.POST.get("redirect"):
        return redirect(f"/groups/{group.pk}/")
    return JsonResponse({"id": group.pk, "name": group.name}, status=201)


urlpatterns = [path("groups/", make_group)]
