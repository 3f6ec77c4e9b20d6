"""Forms of the galleries' pages; the services validate again (pages and API alike)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.social.models.content import AUDIENCES

C = "social galleries"  # the context of generic words


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files in one input; the services prove each one (type, size, limits)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list:
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise forms.ValidationError(_("Choose one or more photos."), code="required")
        return files


class Styled(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class AlbumForm(Styled):
    title = forms.CharField(label=pgettext_lazy(C, "Title"), max_length=200)
    description = forms.CharField(label=pgettext_lazy(C, "Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label=_("Who may see it"), choices=AUDIENCES, initial="public")


class UploadForm(Styled):
    photos = PhotosField(label=pgettext_lazy(C, "Photos"),
                         help_text=_("JPEG, PNG, WebP or GIF; you may choose several."),
                         widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}))
    keep_location = forms.BooleanField(
        label=_("Keep where it was taken"), required=False, initial=False,
        help_text=_("If the photos hold the place where they were taken, show it on the photo's page. Otherwise "
                    "the place is removed with all other hidden data of the file."))


class PhotoForm(Styled):
    caption = forms.CharField(label=pgettext_lazy(C, "Caption"), required=False, max_length=500)
    keep_location = forms.BooleanField(
        label=_("Show where it was taken"), required=False,
        help_text=_("Turning this off deletes the place for good: turning it on again cannot bring it back."))
