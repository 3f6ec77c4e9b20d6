"""Law-making and expertise: drafts of regional and municipal acts from a resident's concept to the
government's controlled reaction (``docs/lawmaking.md``)."""
