"""Construction control: the public registry of constructions, residents' verification requests (control-engine
assignments of the inspection body), illegal constructions with their measures, imports and PDF reports, and
"Find out" about infrastructure works (docs/construction.md)."""
