"""Construction's jobs, one module per part (Huey finds this module; it imports the parts')."""

from krai.construction import tasks_works  # noqa: F401
