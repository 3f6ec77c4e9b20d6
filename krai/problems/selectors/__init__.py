"""Reads of the problems area that pages, API, Open311 and dashboards share.

Published problems are public; a problem awaiting moderation or rejected is seen by its author, its
moderators and the responsible body only — to anyone else it answers 404, exactly like a missing one.
Workspace lists are narrowed by the acting user's scope (the organisation answering, the municipality).
The reads live in this package by responsibility (``base``: themes, published problems and ``Filters``;
``problems``: the public's and a resident's reads; ``map``; ``workspace``) and are all imported here, so
that ``from krai.problems import selectors`` and ``selectors.X`` keep working.
"""

from krai.problems.models import Category, Endorsement, Problem, ProblemRating, ProblemUpdate, Subscription
from krai.problems.selectors.base import (
    STATUS_GROUPS,
    Filters,
    _base,
    _bodies_named,
    _category_ids,
    category_get,
    category_leaves,
    category_list,
    published,
)
from krai.problems.selectors.map import (
    CACHE_BELOW_ZOOM,
    CACHE_SECONDS,
    MAX_POINTS,
    POINTS_FROM_ZOOM,
    _category_names,
    _in_buckets,
    _snap,
    cell_size,
    map_features,
    parse_bbox,
)
from krai.problems.selectors.problems import (
    can_rate,
    has_endorsed,
    is_subscribed,
    my_endorsements,
    my_problems,
    my_rating,
    my_ratings,
    my_subscriptions,
    photos,
    photos_apart,
    problem_get_for_user,
    problem_list,
    similar_nearby,
    timeline,
)
from krai.problems.selectors.workspace import StatRow, body_names, moderation_queue, statistics, workspace_queue

__all__ = [
    "CACHE_BELOW_ZOOM", "CACHE_SECONDS", "MAX_POINTS", "POINTS_FROM_ZOOM", "STATUS_GROUPS", "Category", "Endorsement",
    "Filters", "Problem", "ProblemRating", "ProblemUpdate", "StatRow", "Subscription", "_base", "_bodies_named",
    "_category_ids", "_category_names", "_in_buckets", "_snap", "body_names", "can_rate", "category_get",
    "category_leaves", "category_list", "cell_size", "has_endorsed", "is_subscribed", "map_features",
    "moderation_queue", "my_endorsements", "my_problems", "my_rating", "my_ratings", "my_subscriptions", "parse_bbox",
    "photos", "photos_apart", "problem_get_for_user", "problem_list", "published", "similar_nearby", "statistics",
    "timeline", "workspace_queue",
]
