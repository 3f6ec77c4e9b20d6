"""Jobs of this part (Huey); ``tasks`` imports them so Huey finds them."""
