"""Who may do what with open data; the same names guard pages, API and services.

Anyone reads published datasets. Staff publish for the organisations within their scope: a dataset's
owner must be one of them to change it or upload a version; a draft is seen only by those who may
change it.
"""

import rules

from krai.org.selectors import is_administrator, is_staff_member, scope_for


@rules.predicate
def publishes_for(user, dataset) -> bool:
    """The dataset's owner (an organisation) is within the user's scope."""
    if dataset is None:
        return False
    owner = getattr(dataset, "owner", None)
    return owner is not None and scope_for(user).covers_organisation(owner)


@rules.predicate
def is_published(user, dataset) -> bool:
    return dataset is not None and dataset.status == "published"


publisher = is_staff_member & (is_administrator | publishes_for)

rules.add_perm("opendata.view_dataset", is_published | publisher)
rules.add_perm("opendata.add_dataset", is_staff_member)
rules.add_perm("opendata.change_dataset", publisher)
rules.add_perm("opendata.upload_version", publisher)
rules.add_perm("opendata.access_workspace", is_staff_member)
