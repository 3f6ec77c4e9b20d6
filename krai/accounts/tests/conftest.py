import pytest

from krai.org.tests.factories import MunicipalityFactory


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def registration(municipality):
    """A complete, valid registration form."""
    password = "Vesna-na-Kubani-2026"
    return {"email": "new.resident@example.ru", "password": password, "password_again": password,
            "surname": "Петрова", "given_name": "Анна", "patronymic": "Сергеевна", "phone": "+7 (900) 123-45-67",
            "home_municipality": str(municipality.pk), "consent": "on"}


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """``with sent(): client.post(...)``: run what waits for the commit (e-mails) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
