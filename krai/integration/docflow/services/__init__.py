"""Document flow's writes: packages imported (``packages``), CSV/XLSX tables of orders (``tables``), the channel
settings per system (``channels``), and sending an answer again (``answers``)."""
