"""Administration: the access part's further predicates and permissions (beside those in rules.py)."""
