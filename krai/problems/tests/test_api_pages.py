"""The REST API and the pages over the same services: status codes, state, scope."""

import pytest
from django.urls import reverse

from krai.org.tests.factories import UserFactory
from krai.problems import services
from krai.problems.models import Endorsement, Problem


@pytest.fixture
def published(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке у рынка, глубокая")
    return services.problem_publish(actor=world["moderator"], problem=problem)


def test_api_report_and_bad_input(client, world):
    client.force_login(world["resident"])
    url = "/api/v1/problems/"
    good = {"category": "pothole", "lat": 45.01, "lon": 38.0, "description": "Яма у подъезда номер три"}
    for bad in ({**good, "lat": 10.0, "lon": 10.0}, {**good, "category": "nope"}, {**good, "description": "ой"},
                {k: v for k, v in good.items() if k != "lat"}):
        response = client.post(url, bad, content_type="application/json")
        assert response.status_code == 400 and response.json()["error"]["status"] == 400
    assert not Problem.objects.exists()
    response = client.post(url, good, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "new"
    assert Problem.objects.get().source == "api"


def test_api_unconfirmed_is_refused(client, world):
    client.force_login(UserFactory(email_confirmed=False))
    response = client.post("/api/v1/problems/", {"category": "pothole", "lat": 45.0, "lon": 38.0,
                                                 "description": "Яма у подъезда номер три"},
                           content_type="application/json")
    assert response.status_code == 403 and not Problem.objects.exists()


def test_api_endorse_twice_is_409(client, world, published):
    client.force_login(world["neighbour"])
    url = f"/api/v1/problems/{published.pk}/endorse/"
    assert client.post(url).status_code == 201
    response = client.post(url)
    assert response.status_code == 409 and response.json()["error"]["code"] == "already_endorsed"
    assert Endorsement.objects.count() == 1


def test_api_unpublished_is_404_for_others(client, world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке у рынка, глубокая")
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    client.force_login(world["neighbour"])
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 404
    client.force_login(world["resident"])
    assert client.get(f"/api/v1/problems/{problem.pk}/").status_code == 200


def test_api_answer_and_rate(client, world, published):
    client.force_login(world["resident"])
    assert client.post(f"/api/v1/problems/{published.pk}/answer/", {"answer": "fixed", "text": "Готово"},
                       content_type="application/json").status_code == 403
    client.force_login(world["executor"])
    response = client.post(f"/api/v1/problems/{published.pk}/answer/", {"answer": "fixed", "text": "Заделано"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "fixed"
    client.force_login(world["resident"])
    assert client.post(f"/api/v1/problems/{published.pk}/rate/", {"rating": 9},
                       content_type="application/json").status_code == 400
    response = client.post(f"/api/v1/problems/{published.pk}/rate/", {"rating": 4}, content_type="application/json")
    assert response.status_code == 200 and response.json()["rating"] == 4


def test_api_map_points_and_clusters(client, published):
    near = client.get("/api/v1/problems/map/?bbox=37,44,39,46&zoom=16").json()
    assert near["mode"] == "points" and near["points"][0]["id"] == published.pk
    far = client.get("/api/v1/problems/map/?bbox=37,44,39,46&zoom=5").json()
    assert far["mode"] == "clusters" and far["points"][0]["id"] == published.pk
    assert client.get("/api/v1/problems/map/?bbox=1,2,3&zoom=5").status_code == 400
    assert client.get("/problems/map.json?bbox=37,44,39,46&zoom=16").json()["points"][0]["id"] == published.pk


def test_queue_is_scoped(client, world, published):
    client.force_login(world["executor"])
    assert [p["id"] for p in client.get("/api/v1/problems/queue/").json()["results"]] == [published.pk]
    stranger = UserFactory(is_staff=True)
    from krai.org.models import Role
    from krai.org.tests.factories import OrganisationFactory, assign

    assign(stranger, Role.EXECUTOR, organisation=OrganisationFactory())
    client.force_login(stranger)
    assert client.get("/api/v1/problems/queue/").json()["results"] == []
    assert client.get(reverse("problems:ws-detail", args=[published.pk])).status_code == 404


def test_pages_render(client, world, published):
    assert client.get(reverse("problems:home")).status_code == 200
    assert client.get(reverse("problems:detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("problems:report")).status_code == 302  # sign in first
    client.force_login(world["resident"])
    assert client.get(reverse("problems:report")).status_code == 200
    assert client.get(reverse("problems:mine")).status_code == 200
    client.force_login(world["executor"])
    for name in ("problems:workspace", "problems:moderation", "problems:statistics"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("problems:ws-detail", args=[published.pk])).status_code == 200


def test_report_page_posts_and_refuses_bad_input(client, world, make_png):
    client.force_login(world["resident"])
    url = reverse("problems:report")
    response = client.post(url, {"category": world["pothole"].pk, "lat": "10", "lon": "10",
                                 "description": "Яма во дворе дома номер девять"})
    assert response.status_code == 400 and not Problem.objects.exists()
    response = client.post(url, {"category": world["pothole"].pk, "lat": "45.0", "lon": "38.0",
                                 "description": "Яма во дворе дома номер девять", "photos": [make_png()]})
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("problems:detail", args=[problem.pk])


def test_workspace_answer_page(client, world, published):
    client.force_login(world["executor"])
    url = reverse("problems:ws-act", args=[published.pk, "answer"])
    assert client.post(url, {"answer": "planned", "text": "Летом"}).status_code == 400  # no date
    published.refresh_from_db()
    assert published.status == Problem.Status.ROUTED
    response = client.post(url, {"answer": "fixed", "text": "Заделано"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.status == Problem.Status.FIXED


def test_moderation_page_publishes(client, world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке у рынка, глубокая")
    client.force_login(world["moderator"])
    response = client.post(reverse("problems:ws-act", args=[problem.pk, "publish"]),
                           {"public_description": "Яма на перекрёстке у рынка"})
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Problem.Status.ROUTED and problem.public_description == "Яма на перекрёстке у рынка"


def test_endorse_page(client, world, published):
    client.force_login(world["neighbour"])
    client.post(reverse("problems:endorse", args=[published.pk]))
    client.post(reverse("problems:endorse", args=[published.pk]))
    assert Endorsement.objects.count() == 1


def test_similar_nearby_fragment(client, world, published):
    url = reverse("problems:similar")
    response = client.get(url, {"lat": "45.0005", "lon": "38.0005", "category": world["pothole"].pk})
    assert f"/problems/{published.pk}/" in response.content.decode()
    assert f"/problems/{published.pk}/" not in client.get(url, {"lat": "45.0005", "lon": "38.0005",
                                                               "category": world["light"].pk}).content.decode()
    assert client.get(url, {"lat": "x", "lon": "1", "category": "nope"}).status_code == 200


def test_a_region_wide_reader_opens_every_problem_his_queue_lists(rf, world, published):
    """The governor reads the region's queue; each row opens (it answered 404 before), without the forms."""
    from krai.org.models import Role
    from krai.org.tests.factories import StaffFactory, assign
    from krai.problems import selectors
    from krai.problems.views_workspace import _render_detail, _workspace_problem

    governor = StaffFactory(surname="Губернатор")
    assign(governor, Role.GOVERNOR)
    assert list(selectors.workspace_queue(user=governor).values_list("pk", flat=True)) == [published.pk]
    request = rf.get("/")
    request.user = governor
    problem = _workspace_problem(request, published.pk)
    page = _render_detail(request, problem, {}).content.decode()
    assert problem.pk == published.pk and 'name="answer_text"' not in page
