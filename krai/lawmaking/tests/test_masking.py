"""A resident's problem and proposal reach the public with personal data masked, on the page and in the API, as
every resident's text in Krai does (``krai.core.privacy.mask_personal``)."""

import pytest
from django.urls import reverse

from krai.core.privacy import MASK
from krai.lawmaking.tests.factories import initiative

pytestmark = pytest.mark.django_db

PHONE, EMAIL = "+7 (918) 123-45-67", "ivanov@example.ru"


def test_the_problem_and_the_proposal_are_masked_on_the_page_and_in_the_api(client):
    item = initiative(problem=f"Звоните мне: {PHONE}.", proposal=f"Пишите на {EMAIL}, статья 5 закона № 1234-КЗ.")
    page = client.get(reverse("lawmaking:detail", args=[item.pk])).content.decode()
    api = client.get(f"/api/v1/lawmaking/initiatives/{item.pk}/").json()
    for text in (page, api["problem"] + api["proposal"]):
        assert PHONE not in text and EMAIL not in text
        assert "1234-КЗ" in text  # the numbers of acts stay
    assert MASK in api["problem"] and MASK in api["proposal"]
