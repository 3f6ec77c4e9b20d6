"""Every write of construction, one module per part: ``objects`` (the registry), ``verification`` (requests and
inspections), ``illegal`` (illegal constructions and measures), ``works`` (infrastructure works, subscriptions,
ratings); ``history`` is the change log they share."""
