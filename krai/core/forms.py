"""What every area's pages share about forms."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def service_errors_onto(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: by the fields it names (``aliases`` maps a service's name to the
    form's), everything else above the form. Services validate once for pages and API alike."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
