import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign
from krai.problems.tests.factories import CategoryFactory, place


@pytest.fixture
def world(db):
    """One municipality with its administration, a theme tree, a moderator, the administration's executor."""
    municipality, administration = place(38.0, 45.0, code="town")
    roads = CategoryFactory(code="roads", name="Дороги", name_en="Roads")
    pothole = CategoryFactory(code="pothole", name="Ямы", name_en="Potholes", parent=roads)
    light = CategoryFactory(code="light", name="Освещение", name_en="Lighting")
    moderator = StaffFactory(surname="Модератор")
    assign(moderator, Role.CONTROLLER)
    executor = StaffFactory(surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=administration)
    resident = UserFactory(surname="Житель")
    neighbour = UserFactory(surname="Сосед")
    return {"municipality": municipality, "administration": administration, "roads": roads, "pothole": pothole,
            "light": light, "moderator": moderator, "executor": executor, "resident": resident,
            "neighbour": neighbour}


def png(size=(32, 24), color=(200, 30, 30), name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def make_png():
    return png
