"""Monitoring: the region's place in federal rankings, target indicators and their deviation now, staff
completeness and lawsuits. Each monitor is its own app under this package (``rankings``, ``indicators``,
``staffing``, ``lawsuits``); this app holds what they share: the overview page and its tiles, and turning a
finding into an order of the control engine in one step (``findings``)."""
