"""Factories and helpers for open-data tests."""

from __future__ import annotations

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.opendata.models import Dataset
from krai.org.tests.factories import OrganisationFactory

SCHOOLS = {"fields": [
    {"name": "name", "type": "string", "required": True, "title": "Наименование", "description": "Название"},
    {"name": "category", "type": "string", "title": "Категория", "description": "Категория"},
    {"name": "pupils", "type": "integer", "title": "Ученики", "description": "Число учеников"},
    {"name": "opened", "type": "date", "title": "Открыта", "description": "Дата открытия"},
    {"name": "lat", "type": "number", "title": "Широта", "description": "Широта"},
    {"name": "lon", "type": "number", "title": "Долгота", "description": "Долгота"},
]}

VALID_CSV = ("name,category,pupils,opened,lat,lon\r\n"
             "Школа №1,schools,500,2001-09-01,45.03,38.97\r\n"
             "Школа №2,schools,320,01.09.1999,45.05,38.99\r\n"
             "Гимназия,gymnasium,,2010-09-01,45.10,39.01\r\n")


class DatasetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dataset

    identifier = factory.Sequence(lambda n: f"2308000001-set{n}")
    title = factory.Sequence(lambda n: f"Набор {n}")
    description = "Описание набора данных " * 10
    owner = factory.SubFactory(OrganisationFactory, inn="2308000001")
    status = Dataset.Status.PUBLISHED
    structure = factory.LazyFunction(lambda: {"fields": [dict(f) for f in SCHOOLS["fields"]]})
    keywords = factory.LazyFunction(lambda: ["школы"])
    subject = "education"


def csv_upload(text: str = VALID_CSV, *, encoding: str = "utf-8", name: str = "schools.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
