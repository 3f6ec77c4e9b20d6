"""Administration's shared reads: each part's selectors (access, deputies, efficiency), scoped to the reader."""
