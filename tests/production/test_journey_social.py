"""The community's journeys in the deployed shape, on a desktop (1280 px) and on a phone (390 px), never
scrolling sideways and with no script or console error.

a) citizen@demo.krai publishes a photo (a JPEG carrying the place it was taken) under a topic with a link to a
   demo problem: the publication shows the problem's card and lands in his feed, and the stored photo has lost
   its EXIF; he follows an expert found by field of expertise; a text file named .jpg uploaded to his new album
   is refused with a clear message and nothing is added.
b) he writes to an expert from the expert's profile; the expert sees the conversation unread, answers, the
   resident reads the answer; the expert blocks him and his next message is refused with the reason shown.
c) a resident reports a demo resident's publication; the controller (a community moderator) bans its author for
   a week and hides it with a reason; the author's next publication is refused with the ban's end date, his
   hidden publication shows him the reason, and other readers get 404.

Each viewport uses its own texts and accounts, so the two runs do not meet.
"""

from __future__ import annotations

import io
import re
import secrets
from datetime import datetime, timedelta

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

RESIDENT = "citizen@demo.krai"  # krai/social/demo.py: follows experts and topics, writes to expert01
CONTROLLER = "controller@demo.krai"  # controllers moderate the community
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: per viewport: the field of expertise searched (an expert the resident does not follow yet), the expert he
#: writes to, and the demo resident whose publication is reported (none of them is touched by the other run)
FIELD = {1280: "it", 390: "transport"}
EXPERT = {1280: "expert05@demo.krai", 390: "expert06@demo.krai"}
AUTHOR = {1280: "citizen.00011@demo.krai", 390: "citizen.00012@demo.krai"}


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _page(crawler, login: str | None, viewport: dict):
    page = crawler.context(login).new_page()
    page.set_viewport_size(viewport)
    return page


def _submit(page, form: str) -> None:
    with page.expect_navigation():
        page.locator(f"{form} button[type=submit]").first.click()


def _jpeg_with_place() -> bytes:
    from PIL import ExifTags, Image

    image = Image.new("RGB", (800, 600), (90, 140, 200))
    for x in range(0, 800, 40):  # something to look at, and a body the encoder cannot shrink to nothing
        image.paste((200, 120 + x % 100, 60), (x, 380, x + 20, 600))
    exif = Image.Exif()
    exif[0x010F] = "Krai test camera"  # Make
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps.update({1: "N", 2: (45.0, 2.0, 30.0), 3: "E", 4: (38.0, 58.0, 40.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    content = buffer.getvalue()
    assert Image.open(io.BytesIO(content)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo has no place"
    return content


def _messages(page) -> str:
    return " ".join(page.locator(".krai-messages, .alert").all_inner_texts())


@VIEWPORTS
def test_a_resident_publishes_a_photo_with_a_card_follows_an_expert_and_is_refused_a_fake_photo(
        crawler, installation, viewport):
    from PIL import ExifTags, Image

    url = installation.url
    tag = f"J{viewport['width']}-{secrets.token_hex(3)}"
    page = _page(crawler, RESIDENT, viewport)
    errors = watch_errors(page, ignore=("status of 400",))
    try:
        page.goto(url + "/problems/")
        problems = crawler.links(page, r"^/problems/\d+/$")
        assert problems, "the demo shows no problem on /problems/"
        problem = problems[0]

        page.goto(url + "/community/")
        fits(page, "the community's home")
        form = "#publication-form"
        page.fill(f"{form} textarea[name=body]", f"{tag}: двор после ремонта, снова яма у подъезда — {problem}")
        page.locator(form).get_by_label("Дороги", exact=True).check()
        page.set_input_files(f"{form} input[name=photos]", files=[
            {"name": "dvor.jpg", "mimeType": "image/jpeg", "buffer": _jpeg_with_place()}])
        _submit(page, form)
        match = re.search(r"/community/posts/(\d+)/$", page.url)
        assert match, (page.url, page.locator("#publication-errors, .invalid-feedback").all_inner_texts())
        post = match.group(0)
        article = page.locator(f"article#publication-{match.group(1)}")
        assert tag in article.inner_text()
        card = article.locator(f".krai-card[href$='{problem}']")
        assert card.count() == 1, article.inner_html()
        assert card.locator(".fw-semibold").inner_text().strip(), "the problem's card has no title"
        assert article.locator("a.badge[href='/community/topics/roads/']").count() == 1
        fits(page, "the publication")

        # the photo as stored and served: an image, with none of the file's hidden data (the place above all)
        photo = article.locator("img.krai-photo-thumb")
        assert photo.count() == 1
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
        answer = page.request.get(url + photo.get_attribute("src"))
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/"), answer.headers
        stored = Image.open(io.BytesIO(answer.body()))
        exif = stored.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo), f"the stored photo keeps its GPS data: {dict(exif)}"
        assert not dict(exif), f"the stored photo keeps EXIF: {dict(exif)}"

        # his feed shows it
        page.goto(url + "/community/")
        mine = page.locator(f"article#publication-{match.group(1)}")
        assert mine.count() == 1 and tag in mine.inner_text()
        assert mine.locator(f"a[href='{post}']").count() == 1

        # an expert found by field of expertise, followed from the profile
        page.goto(url + f"/community/experts/?field={FIELD[viewport['width']]}")
        fits(page, "the expert registry")
        expert = page.locator(".list-group-item a[href^='/community/people/']").first
        name = expert.inner_text().strip()
        with page.expect_navigation():
            expert.click()
        profile = re.sub(r"^https?://[^/]+", "", page.url)
        _submit(page, f"form[action='{profile}follow/']")
        assert page.locator(f"form[action='{profile}follow/'] input[name=undo]").count() == 1
        page.goto(url + "/community/me/follows/")
        assert page.locator(f"main a[href='{profile}']").count() == 1, f"{name} is not among his follows"
        fits(page, "my follows")

        # a text file named .jpg: refused with its name, and the album stays empty
        page.goto(url + "/community/albums/new/")
        page.fill("#social-album-form [name=title]", f"Двор {tag}")
        _submit(page, "#social-album-form")
        assert re.search(r"/community/albums/\d+/$", page.url), page.locator(".invalid-feedback").all_inner_texts()
        page.set_input_files("#social-upload-form input[name=photos]", files=[
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"Just some notes, not a photo at all.\n" * 20}])
        _submit(page, "#social-upload-form")
        refusal = _messages(page)
        assert "notes.jpg" in refusal, refusal
        assert page.locator("#social-photos li").count() == 0
        fits(page, "the album with the refusal")
        assert not errors, errors
    finally:
        page.close()


@VIEWPORTS
def test_a_resident_and_an_expert_write_to_each_other_until_the_expert_blocks_him(crawler, installation,
                                                                                  viewport):
    url = installation.url
    tag = f"J{viewport['width']}-{secrets.token_hex(3)}"
    expert_login = EXPERT[viewport["width"]]
    resident = _page(crawler, RESIDENT, viewport)
    expert = _page(crawler, expert_login, viewport)
    errors = watch_errors(resident, ignore=("status of 403", "status of 400"))
    watch_errors(expert, errors)
    try:
        # the expert's profile, found as a resident finds it
        expert.goto(url + "/community/me/")  # "see how others see it"
        expert_profile = crawler.links(expert, r"^/community/people/\d+/$", selector="main a[href]")[0]
        resident.goto(url + "/community/me/")
        resident_profile = crawler.links(resident, r"^/community/people/\d+/$", selector="main a[href]")[0]
        resident.goto(url + expert_profile)
        fits(resident, "an expert's profile")
        with resident.expect_navigation():
            resident.locator("a[href*='/community/messages/new/?to=']").click()
        fits(resident, "a new message")
        question = f"{tag}: Здравствуйте! Можно ли обжаловать отказ в выдаче разрешения на вырубку дерева?"
        resident.fill("#new-conversation-form textarea[name=body]", question)
        _submit(resident, "#new-conversation-form")
        match = re.search(r"/community/messages/(\d+)/", resident.url)
        assert match, (resident.url, resident.locator(".alert-danger, .invalid-feedback").all_inner_texts())
        conversation = f"/community/messages/{match.group(1)}/"
        assert question in resident.locator("#messages").inner_text()

        # the expert sees it unread, opens and answers
        expert.goto(url + "/community/messages/")
        fits(expert, "the expert's inbox")
        row = expert.locator("#conversation-list li", has=expert.locator(f"a[href='{conversation}']"))
        assert row.locator(f"a.fw-bold[href='{conversation}']").count() == 1, row.inner_html()
        unread = row.locator(".badge.rounded-pill").inner_text().split()[0]
        assert int(unread) >= 1, unread
        with expert.expect_navigation():
            row.locator(f"a[href='{conversation}']").click()
        assert question in expert.locator("#messages").inner_text()
        fits(expert, "the conversation")
        answer = f"{tag}: Да, в течение трёх месяцев. Пришлите номер отказа."
        expert.fill("#message-form textarea[name=body]", answer)
        _submit(expert, "#message-form")
        assert answer in expert.locator("#messages").inner_text()
        expert.goto(url + "/community/messages/")
        assert expert.locator(f"#conversation-list a.fw-bold[href='{conversation}']").count() == 0  # read now

        resident.goto(url + conversation)
        assert answer in resident.locator("#messages").inner_text()

        # the expert blocks him: the resident's next message is refused, with the reason, and not added
        expert.goto(url + resident_profile)
        _submit(expert, f"form[action='{resident_profile}block/']")
        assert expert.locator(f"form[action='{resident_profile}unblock/']").count() == 1
        resident.goto(url + conversation)
        late = f"{tag}: И ещё вопрос…"
        resident.fill("#message-form textarea[name=body]", late)
        _submit(resident, "#message-form")
        refusal = resident.locator("#message-form .alert-danger")
        assert refusal.count() == 1 and refusal.inner_text().strip(), resident.locator("main").inner_text()
        assert late not in resident.locator("#messages").inner_text()
        fits(resident, "the refused message")
        # and unblocks him again: the demo expert is left as he was
        expert.goto(url + resident_profile)
        _submit(expert, f"form[action='{resident_profile}unblock/']")
        assert expert.locator(f"form[action='{resident_profile}block/']").count() == 1
        assert not errors, errors
    finally:
        resident.close()
        expert.close()


@VIEWPORTS
def test_a_reported_publication_is_hidden_and_its_author_banned_for_a_week(crawler, installation, viewport):
    url = installation.url
    tag = f"J{viewport['width']}-{secrets.token_hex(3)}"
    author = _page(crawler, AUTHOR[viewport["width"]], viewport)
    reader = _page(crawler, RESIDENT, viewport)
    moderator = _page(crawler, CONTROLLER, viewport)
    errors = watch_errors(author, ignore=("status of 400",))
    watch_errors(reader, errors, ignore=("status of 404",))
    watch_errors(moderator, errors)
    try:
        author.goto(url + "/community/")
        author.fill("#publication-form textarea[name=body]", f"{tag}: Заработок без вложений, пишите в личку!!!")
        _submit(author, "#publication-form")
        match = re.search(r"/community/posts/(\d+)/$", author.url)
        assert match, author.locator("#publication-errors, .invalid-feedback").all_inner_texts()
        post, pk = match.group(0), match.group(1)

        # a resident reports it
        reader.goto(url + post)
        with reader.expect_navigation():
            reader.locator(f"a[href='/community/report/publication/{pk}/']").click()
        fits(reader, "the report form")
        reader.check("input[name=reason][value=spam]")
        reader.fill("textarea[name=details]", f"{tag}: реклама, не по теме")
        _submit(reader, "main form[method=post]")
        assert reader.url.endswith(f"/community/report/publication/{pk}/done/"), reader.url

        # the moderator finds it in the queue, bans the author for a week, then hides the publication
        moderator.goto(url + "/workspace/community/reports/")
        fits(moderator, "the moderation queue")
        link = moderator.locator("table tbody th a", has_text=re.compile(rf"#{pk}$"))
        assert link.count() == 1, moderator.locator("table").inner_text()
        with moderator.expect_navigation():
            link.click()
        report = moderator.url
        assert tag in moderator.locator("main").inner_text()
        fits(moderator, "a report")
        until = (datetime.now() + timedelta(days=7)).replace(hour=18, minute=30)
        moderator.fill("#id_ban-reason", f"{tag}: реклама в сообществе")
        moderator.fill("#id_ban-ends_at", until.strftime("%Y-%m-%dT%H:%M"))
        _submit(moderator, "form:has(input[name=action][value=ban])")
        assert moderator.url == report, moderator.locator(".invalid-feedback, .alert-danger").all_inner_texts()
        assert moderator.locator("form:has(input[name=action][value=ban])").count() == 0
        hide_reason = f"{tag}: коммерческая реклама запрещена правилами"
        moderator.fill("#id_hide-reason", hide_reason)
        _submit(moderator, "form:has(input[name=action][value=hide])")
        assert moderator.url == report, moderator.locator(".invalid-feedback, .alert-danger").all_inner_texts()
        assert hide_reason in moderator.locator("main").inner_text()
        assert moderator.locator("form:has(input[name=action][value=restore])").count() == 1
        moderator.goto(url + "/workspace/community/bans/")
        assert f"{tag}: реклама в сообществе" in moderator.locator("main").inner_text()
        fits(moderator, "the bans")

        # the banned author cannot publish, and is told until when
        author.goto(url + "/community/")
        author.fill("#publication-form textarea[name=body]", f"{tag}: ещё одна попытка")
        _submit(author, "#publication-form")
        refusal = author.locator("#publication-errors").inner_text()
        assert "18:30" in refusal and str(until.year) in refusal and str(until.day) in refusal, refusal
        assert f"{tag}: реклама в сообществе" in refusal, refusal
        fits(author, "the refused publication")

        # his hidden publication shows him why; anybody else gets 404
        author.goto(url + post)
        assert hide_reason in author.locator(f"#publication-{pk}").inner_text()
        assert reader.goto(url + post).status == 404
        assert crawler.context(None).request.get(url + post).status == 404
        assert not errors, errors
    finally:
        author.close()
        reader.close()
        moderator.close()
