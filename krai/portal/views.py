from django.shortcuts import render

from krai.org import selectors as org


def home(request):
    return render(request, "portal/home.html", {"municipalities": org.municipality_list()[:50]})
