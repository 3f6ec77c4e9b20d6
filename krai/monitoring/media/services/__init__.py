"""Writing media monitoring, one module a responsibility: ``sources`` (adding, editing, polling), ``topics``
(what is watched and its mentions), ``spikes`` (alerts on a topic's unusual day), ``orders`` (a finding becomes
an order of the control engine)."""
