from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "krai.core.search"
    label = "search"
