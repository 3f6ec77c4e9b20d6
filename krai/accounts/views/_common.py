"""What the account pages share: putting a service's ValidationError onto a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal by the fields it names (others on top of the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                for message in error.messages:
                    form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


__all__ = ["NON_FIELD_ERRORS", "client_ip", "errors_onto"]
