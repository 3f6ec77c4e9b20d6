"""Every write of the community, one module per part; each checks permission, bans and blocks, and records its
event in the same transaction."""

from krai.social.services.blocks import *  # noqa: F403
from krai.social.services.content import *  # noqa: F403
from krai.social.services.conversations import *  # noqa: F403
from krai.social.services.digest import *  # noqa: F403
from krai.social.services.experts import *  # noqa: F403
from krai.social.services.galleries import *  # noqa: F403
from krai.social.services.moderation import *  # noqa: F403
from krai.social.services.profiles import *  # noqa: F403
