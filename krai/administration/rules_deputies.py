"""Administration: the deputies part's further predicates and permissions (beside those in rules.py)."""
