"""What every area's pages share about forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

#: the attributes of a long select that is searched as one types (``krai/static/krai/picker.js``): the region's
#: municipalities and bodies, any list past ~30 items
SEARCHED = {"data-krai-picker": "local",
            "data-krai-picker-more": gettext_lazy("More are found: type more of the name."),
            "data-krai-picker-none": gettext_lazy("Nothing is found.")}


def service_errors_onto(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form: by the fields it names (``aliases`` maps a service's name to the
    form's), everything else above the form. Services validate once for pages and API alike."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def carried_out(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a service's ``action`` for a form-less button: its refusal's messages shown on the next page, or ``done``
    when it went through. Whether it went through."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            flash.error(request, message)
        return False
    flash.success(request, done)
    return True


def style_widgets(form: forms.BaseForm, *, small: bool = False, describe_help: bool = False) -> None:
    """Bootstrap's classes on every widget that sets none (checks, selects, fields; ``small`` for dense tables);
    with ``describe_help``, ``aria-describedby`` pointing at a field's help text (the template must render it with
    the id ``<field id>-help``)."""
    size = " form-control-sm" if small else ""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select" + (" form-select-sm" if small else "")
        else:
            css = "form-control" + size
        widget.attrs.setdefault("class", css)
        if describe_help and field.help_text:
            widget.attrs.setdefault("aria-describedby", f"{form[name].id_for_label}-help")


class Styled(forms.Form):
    """A form whose widgets carry Bootstrap's classes (``style_widgets``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StyledModelForm(forms.ModelForm):
    """A model form whose widgets carry Bootstrap's classes (``style_widgets``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
