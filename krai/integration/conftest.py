"""The tests of integration read the services' messages in English (the code's language); the tests of the Russian
texts switch the language themselves."""

from krai.core.tests.english import _english, _english_pages  # noqa: F401 (autouse fixtures)
