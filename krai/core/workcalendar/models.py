"""Administrators' corrections to the production calendar."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One date whose status an administrator set by hand, over the official calendar.

    The official calendar (public holidays, substituted days off, transferred working Saturdays) comes
    from the ``holidays`` library; a row here wins over it for its date, either way: a working day made a
    day off (a regional holiday, an emergency) or a day off made working (a transfer the library lacks).
    """

    date = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} ({_('working') if self.is_working else _('day off')})"
