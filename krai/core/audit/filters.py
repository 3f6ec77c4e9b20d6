"""The audit trail's filters, shared by the page and the API."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    """``kind`` (``org.*`` for a prefix), ``actor`` (id or part of an e-mail), a date range and a subject."""

    kind = forms.CharField(label=_("Kind"), required=False, max_length=100,
                           help_text=_("Exact kind, or a prefix ending in * (org.*)."))
    actor = forms.CharField(label=_("Actor"), required=False, max_length=200,
                            help_text=_("User id or part of an e-mail address; also finds what he did as a "
                                        "deputy acting for someone."))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    subject = forms.CharField(label=_("Subject"), required=False, max_length=200,
                              help_text=_("Type as app.model, optionally with :id (org.organisation:12)."))

    def clean_subject(self) -> tuple[ContentType, str] | None:
        value = self.cleaned_data["subject"].strip()
        if not value:
            return None
        label, _sep, pk = value.partition(":")
        app_label, _dot, model = label.strip().lower().partition(".")
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            raise forms.ValidationError(_("No such type of object: %(value)s."), params={"value": label})
        return content_type, pk.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end of the range is before its start."))
        return data

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for ``selectors.audit_entries`` (only after ``is_valid()``)."""
        data = self.cleaned_data
        return {key: data[key] for key in ("kind", "actor", "date_from", "date_to", "subject") if data.get(key)}


def day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day) -> datetime:
    return day_start(day + timedelta(days=1))
