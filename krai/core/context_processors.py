from django.conf import settings


def krai(request):
    return {"KRAI_SITE_URL": settings.KRAI_SITE_URL, "KRAI_DEBUG": settings.DEBUG}
