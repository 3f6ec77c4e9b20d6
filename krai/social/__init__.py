"""The experts' social network: profiles with privacy per field, the expert registry, follows, publications,
galleries, direct and group messages — with blocking, reporting, bans and moderation built in."""
