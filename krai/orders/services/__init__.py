"""Every write of the orders area: the control engine (``control``), orders, reminders."""

from krai.orders.services.bulk import control_reschedule_many  # noqa: F401
from krai.orders.services.control import (  # noqa: F401
    control_accept,
    control_cancel,
    control_delegate,
    control_extend,
    control_extension_decide,
    control_extension_request,
    control_open,
    control_reassign,
    control_report,
    control_reschedule,
    control_return,
    control_start,
    resolve_deadline,
)
from krai.orders.services.orders import (  # noqa: F401
    default_deadline,
    order_create,
    order_issue,
    order_update,
    period_dates,
)
from krai.orders.services.reminders import remind_and_escalate  # noqa: F401
