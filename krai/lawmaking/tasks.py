"""Jobs of law-making (Huey), one module per part: the discussion's end (threshold missed → stopped, the
initiator told why) and the expertise's end (→ the government reaction). Periodic sweeps, so a dead worker loses
nothing."""

from krai.lawmaking.tasks_discussion import *  # noqa: F403 — so Huey finds them
from krai.lawmaking.tasks_expertise import *  # noqa: F403
