"""Pages of the monitor (Mass media)."""

from django.urls import path

from krai.monitoring.media import views

app_name = "media"

urlpatterns = [
    path("", views.mentions, name="mentions"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("sources/", views.source_list, name="sources"),
    path("sources/add/", views.source_edit, name="source_add"),
    path("sources/<int:pk>/", views.source_edit, name="source"),
    path("topics/", views.topic_list, name="topics"),
    path("topics/add/", views.topic_edit, name="topic_add"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("alerts/", views.alert_list, name="alerts"),
]
