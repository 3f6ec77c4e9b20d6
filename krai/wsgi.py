import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")
_django = get_wsgi_application()

from krai.core.lean import LeanDispatch  # noqa: E402 (after Django is set up)

# anonymous GETs of registered public reads skip the middleware they cannot need (krai.core.lean explains)
application = LeanDispatch(_django)
