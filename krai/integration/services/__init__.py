"""Integration's writes: registered systems (``systems``) and the exchange log (``exchange``)."""
