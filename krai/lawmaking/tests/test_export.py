"""The export of a draft to PDF and DOCX: the first PDF page rendered to an image and read back by OCR shows
the Russian title and an article's heading (Cyrillic really drawn, not empty boxes); the PDF's text layer and
the DOCX hold the whole content — text in order, comments with personal data masked and hidden ones left out,
amendments with the editor's reasons, the review, the reaction; a hidden concept answers 404 like a missing one.

OCR needs ``pdftoppm`` (Debian poppler-utils) and ``tesseract`` with Russian (tesseract-ocr, tesseract-ocr-rus),
installed by ``make test-browser-deps``."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.urls import reverse

from krai.lawmaking.models import Stage
from krai.lawmaking.tests.factories import coordinator, initiative
from krai.lawmaking.tests.factories_export import TITLE, full_initiative
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _ocr_first_page(data: bytes, tmp_path: Path) -> str:
    for tool, package in (("pdftoppm", "poppler-utils"), ("tesseract", "tesseract-ocr tesseract-ocr-rus")):
        assert shutil.which(tool), f"{tool} is missing: apt-get install {package} (make test-browser-deps)"
    source = tmp_path / "export.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    result = subprocess.run(["tesseract", str(tmp_path / "page.png"), "stdout", "-l", "rus"], check=True,
                            capture_output=True, text=True, timeout=120)
    return " ".join(result.stdout.lower().split())


def test_the_pdf_page_reads_back_in_russian(client, tmp_path):
    item = full_initiative()
    response = client.get(reverse("lawmaking:export_pdf", args=[item.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    seen = _ocr_first_page(data, tmp_path)
    # a few distinctive words of the title and of an article heading: OCR may miss a letter elsewhere
    assert sum(word in seen for word in ("сельских", "библиотек", "краснодарского")) >= 2, seen
    assert "статья" in seen and ("предмет" in seen or "регулирования" in seen), seen


def test_the_pdf_text_holds_the_whole_draft(client):
    item = full_initiative()
    text = " ".join(_pdf_text(client.get(reverse("lawmaking:export_pdf", args=[item.pk])).content).split())
    assert TITLE in text
    order = [text.index(s) for s in ("Статья 1. Предмет регулирования", "Статья 2. Меры поддержки",
                                     "1) приобретение книг", "Статья 3. Вступление в силу")]
    assert order == sorted(order)
    assert "обсудим размер субсидий" in text and "123-45-67" not in text  # personal data masked
    assert "Скрытый комментарий" not in text
    assert "Принято: полезно." in text and "Срок достаточен." in text  # the editor's reasons
    assert "Широкие дискреционные полномочия." in text and "4321-КЗ" in text
    assert "библиотека в нашей станице закрылась" in text
    assert "Мария С." in text  # named as the community names her, not by her full name or e-mail
    assert "Соколова" not in text


def test_the_docx_reads_back_with_cyrillic(client):
    item = full_initiative(stage=Stage.EXPERTISE)
    response = client.get(reverse("lawmaking:export_docx", args=[item.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    disposition = response["Content-Disposition"]
    assert f'filename="initiative-{item.pk}.docx"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{TITLE}.docx"
    text = _docx_text(response.content)
    assert TITLE in text and "Статья 2. Меры поддержки" in text and "2) подключение к сети Интернет." in text
    assert "Широкие дискреционные полномочия." in text and "123-45-67" not in text
    assert "Скрытый комментарий" not in text


def test_a_hidden_concept_answers_404_like_a_missing_one(client):
    concept = initiative(Stage.CONCEPT)
    outsider = UserFactory()
    for name in ("lawmaking:export_pdf", "lawmaking:export_docx"):
        assert client.get(reverse(name, args=[concept.pk])).status_code == 404
        client.force_login(outsider)
        assert client.get(reverse(name, args=[concept.pk])).status_code == 404
        assert client.get(reverse(name, args=[concept.pk + 1000])).status_code == 404
        client.logout()
    client.force_login(concept.initiator)
    assert client.get(reverse("lawmaking:export_pdf", args=[concept.pk])).status_code == 200
    client.force_login(coordinator())
    assert client.get(reverse("lawmaking:export_docx", args=[concept.pk])).status_code == 200
