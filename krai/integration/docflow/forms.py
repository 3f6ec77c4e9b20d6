"""Document flow's forms: uploading a package, and a system's channel setting (the issuer and the controller are
long lists, searched in place by ``krai/picker.js``; without script they stay plain selects)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.forms import Styled
from krai.integration.docflow.models import PackageStatus
from krai.integration.models import ExternalSystem
from krai.orders.models import Priority
from krai.org.models import Organisation, Role, User


def _local_search(field: forms.Field) -> None:
    field.widget.attrs.update({"data-krai-picker": "local",
                               "data-krai-picker-more": _("More are found: type more of the name."),
                               "data-krai-picker-none": _("Nothing is found.")})


class SystemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ExternalSystem) -> str:
        return f"{obj.name} ({obj.code})"


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.short_name} — {obj.email}"


class OrganisationField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return f"{obj.name} ({obj.code})"


class UploadForm(Styled):
    system = SystemField(label=gettext_lazy("System"), queryset=ExternalSystem.objects.none(),
                         empty_label=gettext_lazy("— choose the system the package came from —"))
    file = forms.FileField(label=gettext_lazy("Package"),
                           help_text=gettext_lazy("The package's XML, or a ZIP holding it."))

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)})
        name = (upload.name or "").lower()
        if not name.endswith((".xml", ".zip")):
            raise forms.ValidationError(_("Upload an .xml package or a .zip holding it."))
        return upload


class PackageFilter(Styled):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("all")), *PackageStatus.choices])
    system = SystemField(label=gettext_lazy("System"), queryset=ExternalSystem.objects.none(), required=False,
                         empty_label=gettext_lazy("all"))

    def __init__(self, *args: Any, systems: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["system"].queryset = systems


def issuer_candidates() -> Any:
    """People who may give orders: the governor, vice-governors, controllers, administrators and heads."""
    roles = (Role.GOVERNOR, Role.VICE_GOVERNOR, Role.CONTROLLER, Role.ADMINISTRATOR, Role.HEAD)
    return (User.objects.filter(is_active=True, is_staff=True, role_assignments__role__in=roles)
            .distinct().order_by("surname", "given_name", "id"))


class ChannelForm(Styled):
    issuer = PersonField(label=gettext_lazy("Issuer"), queryset=User.objects.none(),
                         help_text=gettext_lazy("The person whose orders come through this system (e.g. a "
                                                "vice-governor); the orders are issued in his name and within his "
                                                "rights."))
    controller_organisation = OrganisationField(label=gettext_lazy("Controller"),
                                                queryset=Organisation.objects.none(),
                                                help_text=gettext_lazy("The body that controls these orders."))
    priority = forms.ChoiceField(label=gettext_lazy("Default urgency"), choices=Priority.choices,
                                 help_text=gettext_lazy("Given to the items that name no deadline."))
    is_active = forms.BooleanField(label=gettext_lazy("Accept packages from this system"), required=False,
                                   initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuer_candidates()
        self.fields["controller_organisation"].queryset = Organisation.objects.filter(is_active=True).order_by(
            "depth", "name")
        _local_search(self.fields["issuer"])
        _local_search(self.fields["controller_organisation"])
