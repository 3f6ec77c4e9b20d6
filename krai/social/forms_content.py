"""The form to publish or edit a post: text, audience, topics, photos (several in one field), comments closed.

The form checks shapes only; the service checks everything again and its refusals are put back on the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.social.models import Topic
from krai.social.models.content import AUDIENCES
from krai.social.services.content import MAX_BODY


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleImageField, self).clean(item, initial) for item in files if item]


class PublicationForm(forms.Form):
    body = forms.CharField(label=pgettext_lazy("social", "Text"), max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}))
    audience = forms.ChoiceField(label=_("Who may see"), choices=AUDIENCES, initial="public")
    topics = forms.ModelMultipleChoiceField(label=_("Topics"), queryset=Topic.objects.filter(is_active=True),
                                            required=False,
                                            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))
    photos = MultipleImageField(label=_("Photos"), help_text=_("Up to 10 photos: JPEG, PNG, GIF or WebP."))
    comments_closed = forms.BooleanField(label=_("Close comments"), required=False)

    def put_back(self, error: ValidationError) -> None:
        """Show a service's refusal: field errors on their fields, the rest above the form."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


class PublicationEditForm(PublicationForm):
    """Editing keeps the photos as they are."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["photos"]
