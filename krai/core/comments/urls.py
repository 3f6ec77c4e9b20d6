"""Pages of the kernel's comments: the thread of an object and the forms it posts."""

from django.urls import path

from krai.core.comments import views

app_name = "comments"

urlpatterns = [
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/hide/", views.hide, name="hide"),
    path("<str:target_type>/<str:target_id>/", views.thread, name="thread"),
]
