from django.urls import path

from krai.projects import views, views_gantt, views_interchange, views_plan

app_name = "projects"

P = "workspace/projects/p/<slug:code>/"

urlpatterns = [
    path("workspace/projects/", views.home, name="home"),
    path("workspace/projects/programmes/new/", views.programme_new, name="programme_new"),
    path("workspace/projects/g/<slug:code>/", views.programme_page, name="programme"),
    path("workspace/projects/g/<slug:code>/edit/", views.programme_edit, name="programme_edit"),
    path("workspace/projects/g/<slug:code>/projects/new/", views.project_new, name="project_new"),
    path(P, views_plan.project_page, name="project"),
    path(P + "edit/", views.project_edit, name="project_edit"),
    path(P + "card/", views.project_card, name="card"),
    path(P + "items/new/", views_plan.item_new, name="item_new"),
    path(P + "items/<int:pk>/", views_plan.item_page, name="item"),
    path(P + "items/<int:pk>/edit/", views_plan.item_edit, name="item_edit"),
    path(P + "items/<int:pk>/dates/", views_plan.item_dates, name="item_dates"),
    path(P + "items/<int:pk>/report/", views_plan.item_report, name="item_report"),
    path(P + "items/<int:pk>/delete/", views_plan.item_delete, name="item_delete"),
    path(P + "items/<int:pk>/links/", views_plan.links, name="links"),
    path(P + "links/<int:pk>/delete/", views_plan.link_delete, name="link_delete"),
    path(P + "baselines/", views_plan.baselines, name="baselines"),
    path(P + "risks/", views.risks, name="risks"),
    path(P + "reports/", views.reports, name="reports"),
    # the roadmap (views_gantt.py)
    path(P + "gantt/", views_gantt.gantt_page, name="gantt"),
    path(P + "gantt/data/", views_gantt.gantt_data, name="gantt_data"),
    path(P + "gantt/move/", views_gantt.gantt_move, name="gantt_move"),
    path(P + "gantt.pdf", views_gantt.gantt_pdf, name="gantt_pdf"),
    # exchange (views_interchange.py)
    path(P + "export.xlsx", views_interchange.export_xlsx, name="export_xlsx"),
    path(P + "export.xml", views_interchange.export_mspdi, name="export_mspdi"),
    path(P + "import/", views_interchange.import_plan, name="import"),
]
