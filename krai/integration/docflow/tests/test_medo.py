"""Reading packages safely: the schema's verdicts with line and element in the reader's language, no XXE, no
billion laughs, no network, ZIPs unwrapped (and refused when they hold no single package), and the answers Krai
builds pass its own schema."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from krai.integration.docflow import medo, unzip
from krai.integration.docflow.tests.conftest import sample


def test_the_valid_sample_reads_as_three_items():
    package = medo.read_package(sample("valid_three_items.xml"))

    assert package.uid == "sed-social-2026-0142" and package.document_kind == "letter"
    assert (package.document_number, package.document_date.isoformat()) == ("01-14/2026-142", "2026-11-19")
    assert [t.number for t in package.tasks] == ["1", "2", "3"]
    first = package.tasks[0]
    assert first.executor.organisation.code == "dfl-health"
    assert first.executor.person == medo.PersonRef("Министров", "И.П.")
    assert [c.organisation.inn for c in first.coexecutors] == ["2311542747"]
    assert package.signatory == "Заместитель Губернатора Краснодарского края Лопатина Е.В."


def test_a_schema_error_names_the_line_and_the_element():
    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(sample("invalid_schema.xml"))
    [problem] = caught.value.problems
    assert problem.text() == ("Line 27, element <deadline>: the value “2031-13-45” is not allowed here (a wrong "
                              "date, code, choice or length).")
    assert (problem.line, problem.element) == (27, "deadline")
    assert "2031-13-45" in problem.detail  # lxml's own words kept for the log


@pytest.mark.parametrize(("change", "element", "words"), [
    (b'version="2.7"', "communication @version", "is not allowed here"),
    (b"<kind>letter</kind>", "kind", "is not allowed here"),
    (b'uid="sed-social-2026-0142" ', "header", "required attribute “uid” is missing"),
    (b"<number>1</number>", "text", "this element is not expected here"),
])
def test_schema_errors_are_explained(change, element, words):
    replacement = {b'version="2.7"': b'version="3.0"', b"<kind>letter</kind>": b"<kind>memo</kind>",
                   b'uid="sed-social-2026-0142" ': b"", b"<number>1</number>": b""}[change]
    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(sample("valid_three_items.xml").replace(change, replacement, 1))
    problem = caught.value.problems[0]
    assert problem.element == element and words in problem.message and problem.line


def test_not_well_formed_xml():
    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(b"<?xml version='1.0'?>\n<communication>\n<header></communication>")
    assert caught.value.problems[0].line == 3 and "not well-formed" in caught.value.problems[0].message


def test_an_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    hostile = sample("valid_three_items.xml").replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE communication [<!ENTITY x SYSTEM "file://{secret}">]>'
        .encode()).replace(b"<annotation>", b"<annotation>&x;")

    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(hostile)

    assert "DOCTYPE" in caught.value.problems[0].message
    assert "TOP-SECRET" not in str(caught.value)


def test_a_billion_laughs_is_refused_at_once():
    entities = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (f'<?xml version="1.0"?>\n<!DOCTYPE c [<!ENTITY l0 "ha">{entities}]>\n<c>&l9;</c>').encode()
    started = time.monotonic()

    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(bomb)

    assert time.monotonic() - started < 2
    assert "DOCTYPE" in caught.value.problems[0].message or "not well-formed" in caught.value.problems[0].message


def test_a_notification_is_not_a_package():
    from krai.integration.docflow.tests.test_answers import a_notification

    with pytest.raises(medo.PackageInvalid) as caught:
        medo.read_package(a_notification())
    assert "notification" in caught.value.problems[0].message


def test_empty_and_too_large(settings):
    with pytest.raises(medo.PackageInvalid, match="empty"):
        medo.read_package(b"  ")
    settings.KRAI_UPLOAD_MAX_BYTES = 100
    with pytest.raises(medo.PackageInvalid, match="larger"):
        medo.read_package(sample("valid_three_items.xml"))


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_holding_the_package():
    package = sample("valid_three_items.xml")
    assert unzip.xml_of("p.zip", _zip({"passport.xml": package, "scan.pdf": b"%PDF-1.4"})) == package
    assert unzip.xml_of("p.zip", _zip({"a/doc.xml": package})) == package
    assert unzip.xml_of("p.xml", package) == package
    with pytest.raises(medo.PackageInvalid, match="exactly one XML"):
        unzip.xml_of("p.zip", _zip({"a.xml": package, "b.xml": package}))
    with pytest.raises(medo.PackageInvalid, match="cannot be read"):
        unzip.xml_of("p.zip", b"PK\x03\x04 broken")


def test_a_zip_bomb_is_refused_before_inflating(settings):
    settings.KRAI_UPLOAD_MAX_BYTES = 10_000
    with pytest.raises(medo.PackageInvalid):
        unzip.xml_of("p.zip", _zip({"passport.xml": b"<a>" + b" " * 5_000_000 + b"</a>"}))
