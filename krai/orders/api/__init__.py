"""REST API of the orders area under /api/v1/orders/: the control engine, orders, the dashboard."""

from django.urls import path

from krai.orders.api import views as v

urlpatterns = [
    path("orders/assignments/", v.AssignmentList.as_view(), name="orders-assignment-list"),
    path("orders/assignments/<int:pk>/", v.AssignmentDetail.as_view(), name="orders-assignment-detail"),
    path("orders/assignments/<int:pk>/history/", v.AssignmentHistory.as_view(), name="orders-assignment-history"),
    path("orders/assignments/<int:pk>/delegate/", v.AssignmentDelegate.as_view(), name="orders-assignment-delegate"),
    path("orders/assignments/<int:pk>/start/", v.AssignmentStart.as_view(), name="orders-assignment-start"),
    path("orders/assignments/<int:pk>/report/", v.AssignmentReport.as_view(), name="orders-assignment-report"),
    path("orders/assignments/<int:pk>/accept/", v.AssignmentAccept.as_view(), name="orders-assignment-accept"),
    path("orders/assignments/<int:pk>/return/", v.AssignmentReturn.as_view(), name="orders-assignment-return"),
    path("orders/assignments/<int:pk>/reassign/", v.AssignmentReassign.as_view(), name="orders-assignment-reassign"),
    path("orders/assignments/<int:pk>/cancel/", v.AssignmentCancel.as_view(), name="orders-assignment-cancel"),
    path("orders/assignments/<int:pk>/extend/", v.AssignmentExtend.as_view(), name="orders-assignment-extend"),
    path("orders/assignments/<int:pk>/extensions/", v.AssignmentRequestExtension.as_view(),
         name="orders-assignment-request-extension"),
    path("orders/extensions/<int:pk>/decide/", v.ExtensionDecide.as_view(), name="orders-extension-decide"),
    path("orders/orders/", v.OrderList.as_view(), name="orders-order-list"),
    path("orders/orders/<int:pk>/", v.OrderDetail.as_view(), name="orders-order-detail"),
    path("orders/orders/<int:pk>/issue/", v.OrderIssue.as_view(), name="orders-order-issue"),
    path("orders/orders/<int:pk>/tree/", v.OrderTree.as_view(), name="orders-order-tree"),
    path("orders/dashboard/", v.Dashboard.as_view(), name="orders-dashboard"),
]
