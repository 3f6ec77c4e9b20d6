"""A reader's view of a dataset: the view in the URL, numbered pages, the chart's columns, topics and facets in the
reader's language, CSV for Excel and HEAD on every download."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krai.opendata import reader, services
from krai.opendata.tests.factories import DatasetFactory, csv_upload

pytestmark = pytest.mark.django_db

ROWS = 120


@pytest.fixture
def big(dataset, publisher):
    """120 schools: category a or b by parity, pupils 1..120 (so every sort has one answer)."""
    lines = ["name,category,pupils,opened,lat,lon"]
    lines += [f"Школа {n},{'a' if n % 2 else 'b'},{n},2001-09-01,45.0,39.0" for n in range(1, ROWS + 1)]
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload("\r\n".join(lines) + "\r\n"))
    dataset.refresh_from_db()
    return dataset


def shown(response) -> list[str]:
    """The pupils column of the rows a page shows, in order."""
    html = response.content.decode()
    table = html[html.index('id="od-rows"'):]
    table = table[:table.index("</table>")]
    return re.findall(r"<td>Школа (\d+)</td>", table)


def test_a_filtered_sorted_view_is_a_url_that_shows_the_same_rows_without_javascript(client, big):
    url = f"/opendata/{big.identifier}/"
    fragment = client.get(url + "table/", {"f_field": "category", "f_op": "eq", "f_value": "b", "sort": "-pupils",
                                           "q": "", "tab": "table"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    pushed = fragment["HX-Push-Url"]
    assert pushed.startswith(url + "?") and "sort=-pupils" in pushed and "f_value=b" in pushed
    assert shown(fragment)[:3] == ["120", "118", "116"]
    page = client.get(pushed)  # the copied URL, in a new page (no htmx)
    html = page.content.decode()
    assert page.status_code == 200 and shown(page) == shown(fragment)
    assert re.search(r'class="tab-pane fade show active" id="od-data"', html)  # opens on the table, no JS needed
    assert 'value="b"' in html and 'name="sort" value="-pupils"' in html  # the form shows the view again
    # the page of a plain URL stays on the passport
    plain = client.get(url).content.decode()
    assert re.search(r'class="tab-pane fade show active" id="od-passport"', plain)


def test_numbered_pages_with_the_total_reach_the_last_page(client, big):
    url = f"/opendata/{big.identifier}/"
    first = client.get(url, {"sort": "pupils"})
    html = first.content.decode()
    assert "120 " in html and "page 1 of 3" in html.replace("страница 1 из 3", "page 1 of 3")
    links = re.findall(r'class="page-link" href="([^"]+)"', html)
    last = [link.replace("&amp;", "&") for link in links if "page=3" in link]
    assert last, links
    page = client.get(last[0])
    assert shown(page) == [str(n) for n in range(101, 121)]
    beyond = client.get(url, {"sort": "pupils", "page": "99"})  # a page past the end is the last page
    assert shown(beyond) == shown(page)
    # the view keeps its filter from page to page; the total follows the filter
    filtered = client.get(url, {"f_field": "category", "f_value": "a", "sort": "pupils", "page": "2"})
    assert shown(filtered) == [str(n) for n in range(101, 121, 2)]


def test_a_view_too_big_for_offsets_pages_by_keyset(client, big, monkeypatch):
    monkeypatch.setattr(reader, "OFFSET_ROWS_MAX", 50)
    url = f"/opendata/{big.identifier}/"
    html = client.get(url, {"sort": "pupils", "page": "3"}).content.decode()
    assert 'class="page-link"' not in html and "cursor=" in html  # no numbers: "next" by keyset
    nxt = re.search(r'href="([^"]*cursor=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert shown(client.get(nxt)) == [str(n) for n in range(51, 101)]


def test_the_chart_offers_every_column_and_never_defaults_to_an_id():
    fields = [{"name": "id", "type": "integer", "unique": True}, {"name": "number", "type": "integer"},
              {"name": "region_code", "type": "string"}, {"name": "day", "type": "date", "title": "День"},
              {"name": "value", "type": "number", "title": "Значение"}, {"name": "lat", "type": "number"},
              {"name": "lon", "type": "number"}]
    spec = reader.chart_spec(fields, ("lat", "lon"))
    assert spec["x"] == "day" and spec["series"] == ["value"]
    assert [f["name"] for f in spec["fields"]] == [f["name"] for f in fields]
    assert [f["name"] for f in spec["numbers"]] == ["id", "number", "value"]
    places = [{"name": "code", "type": "string"}, {"name": "name", "type": "string"},
              {"name": "population", "type": "integer"}]
    assert reader.chart_spec(places, None)["x"] == "name"
    assert reader.chart_spec(places, None)["series"] == ["population"]
    assert reader.chart_spec([{"name": "name", "type": "string"}], None) is None


def test_the_chart_form_lists_the_columns_to_choose(client, big):
    html = client.get(f"/opendata/{big.identifier}/").content.decode()
    x = html[html.index('id="od-chart-x"'):]
    x = x[:x.index("</select>")]
    assert re.findall(r'<option value="(\w+)"', x) == ["name", "category", "pupils", "opened", "lat", "lon"]
    assert 'value="opened" selected' in x
    assert re.search(r'name="chart_y" value="pupils"[^>]*checked', html)


def test_topics_facets_and_columns_in_the_readers_language(client, big):
    big.structure["fields"][2]["title_en"] = "Pupils"
    big.save()
    DatasetFactory(owner=big.owner, subject="health")
    ru = client.get("/opendata/").content.decode()
    assert "Образование" in ru and "Здравоохранение" in ru and ">education<" not in ru and ">health<" not in ru
    assert ">CSV</a>" in ru and ">csv</a>" not in ru
    client.cookies["django_language"] = "en"
    en = client.get("/opendata/").content.decode()
    assert ">Education</a>" in en and ">Health</a>" in en
    page = client.get(f"/opendata/{big.identifier}/").content.decode()
    assert "Pupils" in page and "Education" in page


def test_csv_for_excel_starts_with_a_byte_order_mark(client, big):
    url = f"/opendata/{big.identifier}/"
    assert "bom=1" in client.get(url).content.decode()  # the link "CSV for Excel"
    excel = b"".join(client.get(url + "export.csv", {"bom": "1", "category": "a"}).streaming_content)
    plain = b"".join(client.get(url + "export.csv", {"category": "a"}).streaming_content)
    assert excel.startswith(b"\xef\xbb\xbfname,") and plain.startswith(b"name,")
    assert excel[3:] == plain and len(plain.splitlines()) == 61  # the header and 60 rows
    version = b"".join(client.get(url + "versions/1.csv", {"bom": "1"}).streaming_content)
    assert version.startswith(b"\xef\xbb\xbfname,")


def _downloads(dataset) -> list[str]:
    base = f"/opendata/{dataset.identifier}/"
    version = dataset.current_version
    return [base + "export.csv?bom=1", base + "export.json", base + "export.xml", base + "export.xlsx",
            base + "versions/1.csv", base + "versions/1.xlsx", base + f"{version.data_name}.csv",
            base + f"{version.structure_name}.csv", base + "meta.csv", "/opendata/list.csv"]


def test_head_answers_every_download_with_its_headers_and_no_work(client, big):
    for url in _downloads(big):
        got = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            head = client.head(url)
        assert head.status_code == 200, url
        for header in ("Content-Type", "Content-Disposition"):
            assert head.get(header) == got.get(header), (url, header)
        assert not getattr(head, "streaming", False) and head.content == b"", url
        assert not [q for q in queries if "opendata_ds_" in q["sql"]], url  # no row read
    assert client.head(f"/opendata/{big.identifier}/export.csv?nope=1").status_code == 400
