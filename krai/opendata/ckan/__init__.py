"""The CKAN Action API (read actions) under /api/3/action/ and /api/action/, for CKAN clients and harvesters.

CKAN's envelope ``{"help", "success", "result"}``, its error types and HTTP codes, GET with JSON-encoded
list and dict parameters, and JSON POST (what ``ckanapi`` sends for every action). A dataset's CKAN
``name`` and ``id`` are its identifier; each version is a resource ``<identifier>-v<n>`` and the current
one is ``datastore_active``. Organisations are the owners (by code), groups the subjects.

The package: ``protocol`` (errors, envelope, parameters), ``shapes`` (package, resource and organisation
dicts; dataset and resource look-ups), ``catalogue`` (the package, organisation, group, tag and resource
actions), ``records`` (``datastore_search``) and ``views`` (the ``action`` dispatcher, ``util_status``,
``status_show``, ``help_show``). Everything callers use is re-exported here (``ckan.action`` in urls.py).
"""

from krai.opendata.ckan.catalogue import (
    group_list,
    organization_list,
    organization_show,
    package_list,
    package_search,
    package_show,
    resource_show,
    tag_list,
)
from krai.opendata.ckan.protocol import ERRORS, ActionError
from krai.opendata.ckan.records import CKAN_TYPES, datastore_search
from krai.opendata.ckan.shapes import organization_dict, package_dict, resource_dict
from krai.opendata.ckan.views import ACTIONS, CKAN_VERSION, action, help_show, status_show, util_status

__all__ = [
    "ACTIONS", "CKAN_TYPES", "CKAN_VERSION", "ERRORS", "ActionError", "action", "datastore_search", "group_list",
    "help_show", "organization_dict", "organization_list", "organization_show", "package_dict", "package_list",
    "package_search", "package_show", "resource_dict", "resource_show", "status_show", "tag_list", "util_status",
]
