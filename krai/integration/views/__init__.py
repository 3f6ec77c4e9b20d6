"""Integration's pages under /workspace/integration/: the start page (``home``), the registered systems
(``systems``) and the exchange log (``exchange``)."""
