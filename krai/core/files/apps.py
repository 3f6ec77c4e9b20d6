from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "krai.core.files"
    label = "files"
