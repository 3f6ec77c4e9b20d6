"""Every write of the projects area: programmes and projects, the work breakdown and its dates, dependencies,
baselines, risks and status reports, and the binding of controlled items to the control engine."""

from krai.projects.services.baselines import baseline_delete, baseline_save  # noqa: F401
from krai.projects.services.items import (  # noqa: F401
    item_create,
    item_delete,
    item_done_from_control,
    item_progress,
    item_update,
)
from krai.projects.services.links import dependency_add, dependency_remove  # noqa: F401
from krai.projects.services.notes import risk_add, risk_update, status_report_add  # noqa: F401
from krai.projects.services.plans import (  # noqa: F401
    programme_create,
    programme_update,
    project_create,
    project_update,
)
from krai.projects.services.schedule import NeedsConfirmation, reschedule  # noqa: F401
