"""Integration's pages under /workspace/integration/: the section's start page, the registered systems and the
exchange log (this app); webhooks, document flow and consolidation mount their own pages (their apps' urls)."""

from django.urls import path

from krai.integration.views import exchange, home, systems

app_name = "integration"

S = "workspace/integration/systems/<slug:code>/"

urlpatterns = [
    path("workspace/integration/", home.home, name="home"),
    path("workspace/integration/systems/", systems.system_list, name="systems"),
    path("workspace/integration/systems/new/", systems.system_new, name="system_new"),
    path(S, systems.system_detail, name="system"),
    path(S + "edit/", systems.system_edit, name="system_edit"),
    path(S + "deactivate/", systems.system_deactivate, name="system_deactivate"),
    path(S + "reactivate/", systems.system_reactivate, name="system_reactivate"),
    path(S + "tokens/", systems.token_issue, name="token_issue"),
    path(S + "tokens/<int:pk>/revoke/", systems.token_revoke, name="token_revoke"),
    path("workspace/integration/log/", exchange.log, name="log"),
    path("workspace/integration/log/<int:pk>/", exchange.message, name="message"),
    path("workspace/integration/log/<int:pk>/payload/", exchange.payload, name="message_payload"),
]
