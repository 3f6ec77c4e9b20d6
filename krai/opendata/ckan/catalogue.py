"""The catalogue actions: ``package_list``, ``package_show``, ``package_search`` (a Solr-like ``q``/``fq`` subset,
sorts and facets), ``organization_list``/``organization_show`` (owners by code), ``group_list`` (subjects),
``tag_list`` (keywords) and ``resource_show``.
"""

from __future__ import annotations

import shlex
from collections import Counter

from django.db.models import Count, Q

from krai.opendata.ckan.protocol import ActionError, _bool, _int
from krai.opendata.ckan.shapes import _dataset, _resource, _visible, organization_dict, package_dict, resource_dict
from krai.opendata.selectors import catalogue_filter, datasets_visible_to


def package_list(request, params):
    qs = _visible(request).order_by("identifier").values_list("identifier", flat=True)
    offset = _int(params, "offset", 0)
    limit = params.get("limit")
    return list(qs[offset:offset + _int(params, "limit", 0)] if limit not in (None, "") else qs[offset:])


def package_show(request, params):
    return package_dict(request, _dataset(request, params))


_FIELD_MAP = {"organization": "owner", "owner_org": "owner", "tags": "keyword", "res_format": "fmt",
              "groups": "subject", "name": "name", "license_id": "licence", "frequency": "frequency"}


def _apply_solr(qs, text: str, words: list[str]):
    """Apply ``field:value`` terms of a Solr-like query to ``qs``; collect the free words."""
    text = (text or "").strip()
    if not text or text == "*:*":
        return qs
    try:
        tokens = shlex.split(text.replace("(", " ").replace(")", " "))
    except ValueError as exc:
        raise ActionError("Search Query Error", f"Search Query is invalid: {text}") from exc
    for token in tokens:
        token = token.lstrip("+")
        if token.upper() in ("AND", "OR", "") or token == "*:*":  # noqa: S105
            continue
        field, sep, value = token.partition(":")
        if sep and field in _FIELD_MAP:
            value = value.strip('"')
            target = _FIELD_MAP[field]
            if target == "owner":
                qs = qs.filter(Q(owner__code=value) | Q(owner__inn=value))
            elif target == "keyword":
                qs = catalogue_filter(qs, keyword=value)
            elif target == "fmt":
                qs = catalogue_filter(qs, fmt=value.lower()) if value.lower() in ("csv", "json", "xlsx") else qs
            elif target == "name":
                qs = qs.filter(identifier=value.lower())
            else:
                qs = qs.filter(**{target: value})
        elif sep and field in ("title", "text", "notes"):
            words.append(value.strip('"'))
        elif sep:
            continue  # an unknown field: CKAN's Solr would match nothing better; ignore it
        else:
            words.append(token)
    return qs


_SORTS = {"name": "identifier", "title_string": "title", "title": "title", "metadata_modified": "modified",
          "metadata_created": "created", "score": None}


def _order(sort: str) -> list[str]:
    order = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        bits = part.split()
        if not bits:
            continue
        if bits[0] not in _SORTS:
            raise ActionError("Search Query Error", f"Invalid sort field: {bits[0]}")
        column = _SORTS[bits[0]]
        if column:
            order.append(("-" if len(bits) > 1 and bits[1].lower() == "desc" else "") + column)
    return [*order, "identifier"]


def package_search(request, params):
    words: list[str] = []
    qs = _apply_solr(_visible(request), str(params.get("q", "") or ""), words)
    fqs = params.get("fq_list") or []
    for fq in ([params["fq"]] if params.get("fq") else []) + (fqs if isinstance(fqs, list) else [fqs]):
        qs = _apply_solr(qs, str(fq), words)
    if words:
        qs = catalogue_filter(qs, q=" ".join(words))
    rows = _int(params, "rows", 10, 1000)
    start = _int(params, "start", 0)
    order = _order(str(params.get("sort", "") or ""))
    matched = list(qs.order_by(*order))
    facet_fields = params.get("facet.field") or []
    if isinstance(facet_fields, str):
        facet_fields = [facet_fields]
    limit = _int(params, "facet.limit", 50)
    mincount = _int(params, "facet.mincount", 1)
    facets, search_facets = {}, {}
    if _bool(params.get("facet"), True):
        for name in facet_fields:
            counter: Counter = Counter()
            titles = {}
            for d in matched:
                if name in ("organization", "owner_org"):
                    counter[d.owner.code] += 1
                    titles[d.owner.code] = d.owner.name
                elif name == "tags":
                    counter.update(d.keywords or [])
                elif name == "groups" and d.subject:
                    counter[d.subject] += 1
                elif name == "res_format" and any(v.is_current for v in d.versions.all()):
                    counter["CSV"] += 1
                elif name == "license_id":
                    counter[d.licence] += 1
            items = [(k, c) for k, c in counter.most_common(limit if limit else None) if c >= mincount]
            facets[name] = dict(items)
            search_facets[name] = {"title": name, "items": [
                {"name": k, "display_name": titles.get(k, k), "count": c} for k, c in items]}
    return {"count": len(matched), "sort": str(params.get("sort") or "score desc, metadata_modified desc"),
            "results": [package_dict(request, d) for d in matched[start:start + rows]],
            "facets": facets, "search_facets": search_facets}


def _organizations(request):
    return (datasets_visible_to(None).values("owner").annotate(n=Count("pk")))


def organization_list(request, params):
    counts = {row["owner"]: row["n"] for row in _organizations(request)}
    from krai.org.selectors import organisation_list as orgs

    found = [o for o in orgs() if o.pk in counts]
    sort = str(params.get("sort", "") or "title asc")
    if sort.startswith("package_count"):
        found.sort(key=lambda o: -counts[o.pk])
    elif sort.startswith("name"):
        found.sort(key=lambda o: o.code, reverse="desc" in sort)
    else:
        found.sort(key=lambda o: o.name, reverse="desc" in sort)
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", 1000)
    found = found[offset:offset + limit]
    if _bool(params.get("all_fields"), False):
        return [organization_dict(o, counts[o.pk]) for o in found]
    return [o.code for o in found]


def organization_show(request, params):
    ident = str(params.get("id", "") or "")
    from krai.org.selectors import organisation_list as orgs

    org = orgs().filter(Q(code=ident) | Q(inn=ident) if ident else Q(pk__in=[])).first()
    if org is None:
        raise ActionError("Not Found Error", "Not found")
    datasets = list(_visible(request).filter(owner=org).order_by("identifier"))
    out = organization_dict(org, len(datasets))
    if _bool(params.get("include_datasets"), False):
        out["packages"] = [package_dict(request, d) for d in datasets[:1000]]
    return out


def group_list(request, params):
    counts = Counter(s for s in datasets_visible_to(None).values_list("subject", flat=True) if s)
    names = sorted(counts)
    offset, limit = _int(params, "offset", 0), _int(params, "limit", 1000)
    names = names[offset:offset + limit]
    if _bool(params.get("all_fields"), False):
        return [{"id": n, "name": n, "title": n, "display_name": n, "package_count": counts[n],
                 "type": "group", "is_organization": False, "state": "active"} for n in names]
    return names


def tag_list(request, params):
    tags = Counter()
    for keywords in datasets_visible_to(None).values_list("keywords", flat=True):
        tags.update(keywords or [])
    query = str(params.get("query", "") or "").lower()
    names = sorted(t for t in tags if query in t.lower())
    if _bool(params.get("all_fields"), False):
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in names]
    return names


def resource_show(request, params):
    dataset, version = _resource(request, params)
    return resource_dict(request, dataset, version)
