"""Administration: the efficiency part's further predicates and permissions (beside those in rules.py)."""
