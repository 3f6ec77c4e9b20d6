"""Who may use periodic reports (django-rules). Members of staff keep their own templates; a template and its
editions are seen by its owner and its recipients; a published edition (``Edition.is_published``) by anyone,
residents and anonymous visitors included. To anyone else a template or an edition answers 404, like a missing
one (``krai.reports.selectors``)."""

import rules

from krai.org.rules import is_staff_member


@rules.predicate
def owns_template(user, template) -> bool:
    return template is not None and template.owner_id == user.pk


@rules.predicate
def receives_template(user, template) -> bool:
    return template is not None and template.recipients.filter(pk=user.pk).exists()


@rules.predicate
def edition_is_published(user, edition) -> bool:
    return edition is not None and edition.is_published


@rules.predicate
def may_read_edition(user, edition) -> bool:
    return edition is not None and user.is_authenticated and (
        edition.template.owner_id == user.pk or edition.template.recipients.filter(pk=user.pk).exists())


rules.add_perm("reports.use", is_staff_member)
rules.add_perm("reports.view_template", is_staff_member & (owns_template | receives_template))
rules.add_perm("reports.change_template", is_staff_member & owns_template)
rules.add_perm("reports.view_edition", edition_is_published | (is_staff_member & may_read_edition))
