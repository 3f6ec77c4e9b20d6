"""Forms of the media pages: a source, a topic, the feed's filters, a story's order."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from krai.core.forms import SEARCHED
from krai.monitoring.media.models import Level, Source, Topic
from krai.org.models import Municipality, Organisation, User


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if getattr(widget, "input_type", "") == "checkbox":
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select):
            widget.attrs["class"] = "form-select form-select-sm"
        else:
            widget.attrs["class"] = "form-control form-control-sm"


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ["name", "url", "kind", "level", "active", "interval_minutes", "fetch_pages"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)

    def _post_clean(self) -> None:
        """The service validates and saves the source (and sees what changed): the form only reads the fields."""


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "kind", "organisation", "person", "municipality", "terms", "owner", "active"]
        widgets = {"terms": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(is_staff=True, is_active=True)
        self.fields["owner"].queryset = User.objects.filter(is_staff=True, is_active=True)
        self.fields["owner"].required = False
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["municipality"].queryset = Municipality.objects.order_by("name")
        _style(self)
        for name in ("organisation", "person", "municipality", "owner"):  # the region's long lists
            self.fields[name].widget.attrs.update(SEARCHED)

    def _post_clean(self) -> None:
        """The service validates the whole topic (and fills the owner): the form only reads the fields."""


class FilterForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.order_by("name"), required=False)
    source = forms.ModelChoiceField(label=_("Source"), queryset=Source.objects.order_by("name"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *Level.choices], required=False)
    first = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        for name in ("topic", "source"):
            self.fields[name].widget.attrs.update(SEARCHED)


class OrderForm(forms.Form):
    executor_organisation = forms.ModelChoiceField(label=_("Who prepares the reply"),
                                                   queryset=Organisation.objects.order_by("name"))
    working_days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=60, initial=3)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _style(self)
        self.fields["executor_organisation"].widget.attrs.update(SEARCHED)
