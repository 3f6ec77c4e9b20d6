"""The tests of reports read the services' messages in English (the code's language)."""

from krai.core.tests.english import _english, _english_pages  # noqa: F401 (autouse fixtures)
