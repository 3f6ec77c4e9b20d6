from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "krai.core.workcalendar"
    label = "workcalendar"
