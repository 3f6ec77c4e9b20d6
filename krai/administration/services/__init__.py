"""Administration's writes: each part's services (access, deputies, efficiency), every one permission-checked
and recorded as an event in its transaction."""
