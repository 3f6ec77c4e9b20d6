from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "krai.core.audit"
    label = "audit"
