"""What the account pages share: a service's ValidationError onto a form (the kernel's helper)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS

from krai.core.forms import service_errors_onto as errors_onto

__all__ = ["NON_FIELD_ERRORS", "errors_onto"]
