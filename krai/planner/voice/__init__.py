"""Voice orders: speech recognised on the region's own server (``engines``), the phrase read into a draft order or
task (``parse``), shown for confirmation and never issued unseen."""
