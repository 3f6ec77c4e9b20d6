"""Pages of the accounts area: logging in (with the second step), registering, the profile and its security."""
