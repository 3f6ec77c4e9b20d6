"""The report form finds the place (address suggestions, the nearest address, the map's first view), keeps the
photos of a refused try, and Open311 places a request that has only an address; the answer's photos stay apart."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from krai.core.files.models import Attachment
from krai.org.addresses import services as addresses
from krai.org.tests.factories import UserFactory
from krai.problems import kept_photos, services
from krai.problems.models import Open311Key, Problem


@pytest.fixture
def houses(world):
    """Two houses of «ул. Садовая» in the world's town (a square of 0.5° around 38.0, 45.0)."""
    addresses.addresses_load(actor=None, rows=[
        {"municipality": world["municipality"].code, "locality": "Городок", "street": "ул. Садовая", "house": "1",
         "lat": "45.0010", "lon": "38.0010"},
        {"municipality": world["municipality"].code, "locality": "Городок", "street": "ул. Садовая", "house": "3",
         "lat": "45.0020", "lon": "38.0030"},
    ])
    return world


def test_search_and_reverse_as_json(client, houses):
    body = client.get(reverse("problems:place-search"), {"q": "Садовая, д. 3"}).json()
    assert body["results"][0]["label"] == "Городок, ул. Садовая, 3"
    assert body["results"][0]["lat"] == pytest.approx(45.002)
    assert client.get(reverse("problems:place-search"), {"q": "Нигде 5"}).json() == {"results": []}
    near = client.get(reverse("problems:place-reverse"), {"lat": "45.0011", "lon": "38.0011"}).json()
    assert near["result"]["label"] == "Городок, ул. Садовая, 1"
    assert client.get(reverse("problems:place-reverse"), {"lat": "45.2", "lon": "38.2"}).json() == {"result": None}
    assert client.get(reverse("problems:place-reverse"), {"lat": "x", "lon": "38"}).status_code == 400
    assert client.get(reverse("problems:place-reverse"), {"lat": "95", "lon": "38"}).status_code == 400


def test_search_and_reverse_in_the_rest_api(client, houses):
    body = client.get("/api/v1/addresses/search/", {"q": "садовая 1"}).json()
    assert body["results"][0]["house"] == "1" and body["results"][0]["kind"] == "house"
    response = client.get("/api/v1/addresses/reverse/", {"lat": "45.0021", "lon": "38.0029"})
    assert response.status_code == 200 and response.json()["result"]["house"] == "3"
    assert client.get("/api/v1/addresses/search/").status_code == 400  # q is required
    assert client.get("/api/v1/addresses/reverse/", {"lat": "100", "lon": "0"}).status_code == 400
    schema = client.get("/api/schema/?format=json").json()
    assert {"/api/v1/addresses/search/", "/api/v1/addresses/reverse/"} <= set(schema["paths"])


def test_the_map_opens_on_the_residents_municipality(client, world):
    world["resident"].home_municipality = world["municipality"]
    world["resident"].save()
    client.force_login(world["resident"])
    page = client.get(reverse("problems:report")).content.decode()
    assert 'data-bounds="44.75,37.75,45.25,38.25"' in page
    assert f'data-municipality="{world["municipality"].pk}"' in page
    client.force_login(UserFactory())  # no home municipality: the region's bounds
    assert 'data-bounds="44.75,37.75,45.25,38.25"' in client.get(reverse("problems:report")).content.decode()


def _form(world, **extra):
    return {"category": world["pothole"].pk, "lat": "45.0", "lon": "38.0",
            "description": "Яма во дворе дома номер девять", **extra}


def test_a_photo_is_kept_when_the_form_comes_back_with_an_error(client, world, make_png):
    client.force_login(world["resident"])
    url = reverse("problems:report")
    response = client.post(url, _form(world, description="", photos=[make_png(name="yama.png")]))
    assert response.status_code == 400 and not Problem.objects.exists()
    [item] = response.context["kept_photos"]
    assert item["name"] == "yama.png"
    page = response.content.decode()
    assert reverse("problems:kept-photo", args=[item["token"]]) in page
    shown = client.get(reverse("problems:kept-photo", args=[item["token"]]))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert default_storage.exists(item["path"])

    other = Client()  # nobody else sees it (the token is looked up in the resident's own session)
    other.force_login(UserFactory())
    assert other.get(reverse("problems:kept-photo", args=[item["token"]])).status_code == 404

    response = client.post(url, _form(world, kept_photos=[item["token"]]))
    problem = Problem.objects.get()
    assert response.status_code == 302
    assert Attachment.objects.filter(object_id=str(problem.pk), original_name="yama.png").count() == 1
    assert not default_storage.exists(item["path"])  # the kept copy is gone with the report made
    assert client.session.get(kept_photos.SESSION_KEY) == []


def test_an_unticked_kept_photo_is_left_out_and_a_bad_file_is_not_kept(client, world, make_png):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["resident"])
    url = reverse("problems:report")
    text = SimpleUploadedFile("notes.txt", b"not an image", content_type="text/plain")
    response = client.post(url, _form(world, photos=[make_png(name="a.png"), text]))
    assert response.status_code == 400
    assert [i["name"] for i in response.context["kept_photos"]] == ["a.png"]
    token = response.context["kept_photos"][0]["token"]
    response = client.post(url, _form(world, photos=[make_png(name="b.png")]))  # a.png unticked
    assert response.status_code == 302
    problem = Problem.objects.get()
    names = set(Attachment.objects.filter(object_id=str(problem.pk)).values_list("original_name", flat=True))
    assert names == {"b.png"}
    assert client.get(reverse("problems:kept-photo", args=[token])).status_code == 404


def test_a_fresh_form_forgets_the_photos_of_an_abandoned_one(client, world, make_png):
    client.force_login(world["resident"])
    url = reverse("problems:report")
    item = client.post(url, _form(world, description="", photos=[make_png()])).context["kept_photos"][0]
    assert client.get(url).context["kept_photos"] == []
    assert not default_storage.exists(item["path"])


def test_the_answers_photos_stay_apart_from_the_residents(client, world, make_png):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке у рынка, глубокая",
                                      photos=[make_png(name="before.png")])
    services.problem_publish(actor=world["moderator"], problem=problem)
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Заделано",
                            photos=[make_png(name="after.png", color=(10, 200, 10))])
    response = client.get(reverse("problems:detail", args=[problem.pk]))
    assert [p.original_name for p in response.context["photos"]] == ["before.png"]
    assert [p.original_name for p in response.context["answer_photos"]] == ["after.png"]
    page = response.content.decode()
    answer = page[page.index('id="krai-answer-photos"'):]
    assert f'/files/{response.context["answer_photos"][0].pk}/' in answer.split("</section>")[0]


@pytest.fixture
def key(world):
    _key, value = Open311Key.issue(name="Городское приложение", user=UserFactory(email_confirmed=False))
    return value


def test_open311_places_a_request_with_only_an_address(client, houses, key):
    response = client.post("/open311/v2/requests.json", {
        "api_key": key, "service_code": "pothole", "address_string": "Садовая ул., д. 3",
        "description": "Яма у калитки дома номер три"})
    assert response.status_code == 201, response.content
    problem = Problem.objects.get()
    assert (problem.lat, problem.lon) == (pytest.approx(45.002), pytest.approx(38.003))
    assert problem.address == "Садовая ул., д. 3" and problem.municipality == houses["municipality"]


@pytest.mark.parametrize("address", ["ул. Несуществующая, 1", "ул. Садовая, 99"])
def test_open311_refuses_an_address_that_matches_nothing(client, houses, key, address):
    for fmt in ("json", "xml"):
        response = client.post(f"/open311/v2/requests.{fmt}", {
            "api_key": key, "service_code": "pothole", "address_string": address,
            "description": "Яма у калитки дома номер три"})
        assert response.status_code == 400
        assert "address_string" in response.content.decode()
    assert not Problem.objects.exists()


def test_the_look_ups_are_rate_limited(client, world):
    from django.core.cache import cache

    cache.clear()
    url = reverse("problems:place-search")
    answers = [client.get(url, {"q": "Садовая"}, HTTP_ACCEPT="application/json").status_code for _ in range(121)]
    assert answers[:120] == [200] * 120 and answers[120] == 429
    assert client.get(reverse("problems:place-reverse"), {"lat": "45", "lon": "38"},
                      HTTP_ACCEPT="application/json").json()["error"]["status"] == 429
