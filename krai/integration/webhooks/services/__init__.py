"""Webhooks' writes: endpoints (``endpoints``) and replays (``replay``). Sending is not a service: it is the
machinery of ``delivery``, run by jobs, recorded in the exchange log."""
