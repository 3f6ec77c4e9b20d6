from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "krai.core.comments"
    label = "comments"
