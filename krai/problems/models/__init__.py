"""Citizens' problem reports: themes, the routing table, the reports themselves, their history and endorsements.

A problem's history (``ProblemUpdate``) is a legal record: services write it explicitly, one row per
change of state, never through signals. The models live in the modules of this package by responsibility
(``themes``, ``problem``, ``map``, ``history``, ``keys``) and are imported here, in the order they were
always registered in, so that ``from krai.problems.models import X`` works and Django finds them.
"""

# the import order is the models' registration order (as in the one module they came from)
# isort: off
from krai.problems.models.themes import Category, RoutingRule
from krai.problems.models.problem import Problem
from krai.problems.models.map import MapBucket, MapCell
from krai.problems.models.history import Endorsement, ProblemRating, ProblemUpdate, Subscription
from krai.problems.models.keys import Open311Key, _hash
# isort: on

__all__ = [
    "Category", "Endorsement", "MapBucket", "MapCell", "Open311Key", "Problem", "ProblemRating", "ProblemUpdate",
    "RoutingRule", "Subscription", "_hash",
]
