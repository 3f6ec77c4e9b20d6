"""The staff's start page of construction (/workspace/construction/) — written by the verification part's owner."""

urlpatterns: list = []
