"""Forms of the conversation pages: a message, a new conversation, adding a member."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from krai.social.services.conversations import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(label=pgettext_lazy("message", "text"), max_length=MAX_BODY, strip=False,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}))


class NewConversationForm(forms.Form):
    to = forms.TypedMultipleChoiceField(label=pgettext_lazy("social", "To"), coerce=int, choices=())
    title = forms.CharField(label=pgettext_lazy("conversation", "title"), max_length=200, required=False,
                            help_text=_("Needed when you write to several people: it starts a group conversation."))
    body = forms.CharField(label=pgettext_lazy("message", "text"), max_length=MAX_BODY, strip=False,
                           widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_BODY}))

    def __init__(self, *args, people: dict[int, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = list(people.items())
        self.fields["to"].widget = forms.CheckboxSelectMultiple(choices=self.fields["to"].choices)


class AddMemberForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
