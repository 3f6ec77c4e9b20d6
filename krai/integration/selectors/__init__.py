"""Integration's shared reads, scoped to the reader: the registered systems (``systems``) and the exchange log
(``exchange``)."""
