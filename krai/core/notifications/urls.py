"""Pages of the kernel's notifications."""

from django.urls import path

from krai.core.notifications import views, views_devices

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("devices/", views_devices.devices, name="devices"),
    path("devices/subscribe/", views_devices.device_add, name="device_add"),
    path("devices/<int:pk>/remove/", views_devices.device_remove, name="device_remove"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("<int:pk>/open/", views.open_notification, name="open"),
]
