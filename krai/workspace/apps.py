from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "krai.workspace"
    label = "workspace"
