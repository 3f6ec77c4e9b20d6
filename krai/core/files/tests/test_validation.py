"""The upload is judged by its bytes: sniffed, proved, cleaned; the name and client type never count."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from krai.core.files import validation
from krai.core.files.tests.factories import PDF, docx_bytes, image_bytes, odt_bytes, upload


def inspect(name, content, **kwargs):
    return validation.inspect_upload(upload(name, content), **kwargs)


@pytest.mark.parametrize(("fmt", "mime", "ext"), [("JPEG", "image/jpeg", "jpg"), ("PNG", "image/png", "png"),
                                                 ("WEBP", "image/webp", "webp"), ("GIF", "image/gif", "gif")])
def test_images_are_sniffed_whatever_the_name(fmt, mime, ext):
    result = inspect("photo.txt", image_bytes(fmt))
    assert (result.kind, result.mime_type, result.extension) == ("image", mime, ext)
    assert result.original_name == f"photo.txt.{ext}"
    assert Image.open(io.BytesIO(result.content)).format == fmt


def test_exif_and_gps_are_stripped_and_orientation_applied():
    original = image_bytes("JPEG", size=(64, 48), gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the fixture really carries GPS
    result = inspect("IMG_0001.JPG", original)
    stored = Image.open(io.BytesIO(result.content))
    assert not stored.getexif()
    assert b"SpyCam" not in result.content and b"Exif" not in result.content
    assert stored.size == (48, 64)  # turned the right way up before the orientation tag went
    assert result.original_name == "IMG_0001.JPG"


def test_png_text_chunks_are_stripped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Comment", "секретный адрес: ул. Красная, 1")
    info.add_text("GPSLatitude", "45.03")
    result = inspect("a.png", image_bytes("PNG", pnginfo=info))
    assert b"GPSLatitude" not in result.content and b"Comment" not in result.content
    assert not Image.open(io.BytesIO(result.content)).text


def test_animated_gif_keeps_its_frames():
    frames = [Image.new("RGB", (20, 20), color) for color in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=80, loop=0,
                   comment=b"tracking-id-42")
    result = inspect("anim.gif", out.getvalue())
    assert Image.open(io.BytesIO(result.content)).n_frames == 3
    assert b"tracking-id-42" not in result.content


def test_decompression_bomb_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError) as caught:
        inspect("big.png", image_bytes("PNG", size=(100, 100)))
    assert caught.value.code == "image_too_large"


def test_truncated_image_is_refused():
    data = image_bytes("PNG", size=(200, 200))
    with pytest.raises(ValidationError) as caught:
        inspect("cut.png", data[: len(data) // 2])
    assert caught.value.code == "invalid_image"


def test_size_limit_from_settings_and_smaller_caller_limit(settings):
    settings.KRAI_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as caught:
        inspect("a.txt", b"a" * 1001)
    assert caught.value.code == "too_large" and "1000" in caught.value.messages[0]
    assert inspect("a.txt", b"a" * 1000).size == 1000
    with pytest.raises(ValidationError):
        inspect("a.txt", b"a" * 600, max_bytes=500)
    # a caller cannot raise the installation's limit
    with pytest.raises(ValidationError):
        inspect("a.txt", b"a" * 1500, max_bytes=5000)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        inspect("a.txt", b"")
    assert caught.value.code == "empty"


@pytest.mark.parametrize(("text", "charset"), [("Дорога на ул. Ленина\n".encode(), "utf-8"),
                                               ("\ufeffид;название\n1;Школа\n".encode(), "utf-8"),
                                               ("Обращение гражданина".encode("cp1251"), "windows-1251")])
def test_text_in_utf8_or_cp1251(text, charset):
    result = inspect("list.csv", text)
    assert (result.kind, result.mime_type, result.charset) == ("text", "text/csv", charset)
    assert inspect("notes", text).mime_type == "text/plain"


@pytest.mark.parametrize("content", [b"\x00\x01\x02binary", b"abc\x1b[31m\x07", bytes(range(1, 32)) * 3])
def test_binary_is_not_text(content):
    with pytest.raises(ValidationError):
        inspect("data.txt", content)


def test_office_documents():
    assert inspect("приказ.docx", docx_bytes()).extension == "docx"
    assert inspect("x.odt", odt_bytes()).mime_type == "application/vnd.oasis.opendocument.text"
    assert inspect("x.ods", odt_bytes("application/vnd.oasis.opendocument.spreadsheet")).extension == "ods"


def test_macros_are_refused():
    with pytest.raises(ValidationError) as caught:
        inspect("m.docx", docx_bytes(macros=True))
    assert caught.value.code == "macros"


def test_zip_bomb_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr("word/document.xml", "<w:document/>")
        package.writestr("word/media/huge.bin", b"\x00" * (60 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        inspect("bomb.docx", out.getvalue())
    assert caught.value.code == "zip_bomb"


def test_pdf():
    assert inspect("скан.pdf", PDF).kind == "pdf"
    with pytest.raises(ValidationError):
        inspect("cut.pdf", PDF[:20])


@pytest.mark.parametrize("content", [b"MZ\x90\x00" + b"\x00" * 200,  # a Windows executable
                                     b"PK\x03\x04" + b"\x00" * 100,  # a bare zip
                                     b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"])
def test_other_types_refused_when_text_not_allowed(content):
    with pytest.raises(ValidationError):
        inspect("evil.jpg", content, allowed_kinds=("image", "pdf", "office"))


def test_executable_is_refused_even_with_text_allowed():
    with pytest.raises(ValidationError) as caught:
        inspect("x.txt", b"\x7fELF\x02\x01\x01" + b"\x00" * 100)
    assert caught.value.code == "file_type"


def test_allowed_kinds_narrow():
    with pytest.raises(ValidationError) as caught:
        inspect("a.pdf", PDF, allowed_kinds=("image",))
    assert "JPEG" in caught.value.messages[0]


def test_names_lose_folders_and_control_characters():
    assert validation.clean_name("..\\..\\windows\\system32\\a.pdf", "pdf") == "a.pdf"
    assert validation.clean_name("/etc/passwd", "txt") == "passwd.txt"
    assert validation.clean_name("отчёт\x00\u202e.pdf", "pdf") == "отчёт.pdf"
    assert validation.clean_name("", "pdf").endswith(".pdf")
    assert len(validation.clean_name("я" * 500 + ".pdf", "pdf")) <= validation.MAX_NAME_LENGTH
