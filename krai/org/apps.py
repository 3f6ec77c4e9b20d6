from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "krai.org"
    label = "org"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from krai.org.models import Municipality

        # The services refresh the point lookup themselves; this also covers the Django admin and
        # fixtures, which write municipalities around them. (A cache refresh, not a domain history.)
        post_save.connect(_municipality_changed, sender=Municipality, dispatch_uid="org-geo-save")
        post_delete.connect(_municipality_changed, sender=Municipality, dispatch_uid="org-geo-delete")

        # the kernel's search cannot import org; it asks this resolver for a user's scope
        from krai.core.search.scopes import register_scope_resolver
        from krai.org.scopes import scope_for

        register_scope_resolver(scope_for)

        # a resident's residence documents go with his account (krai/org/erasure.py)
        from krai.core.privacy import register_eraser
        from krai.org.erasure import residence_erase

        register_eraser("org.residence", residence_erase)


def _municipality_changed(**kwargs) -> None:
    from krai.org import geo

    geo.invalidate()
