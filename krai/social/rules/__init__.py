"""The community's permissions (django-rules), one module per part; importing this package registers them all.

Comments on publications and photos use the kernel's hooks: ``social.comment_publication`` and
``social.moderate_publication`` (``krai/core/comments/rules.py``). The staff queues ask ``social.moderate``
(``rules/moderation.py``) and ``social.verify_credentials`` (``rules/profiles.py``).
"""

import rules

from krai.social.rules import (  # noqa: F401 — they register
    content,
    conversations,
    galleries,
    moderation,
    private,
    profiles,
)


@rules.predicate
def _in_its_conversation(user, message) -> bool:
    return message is not None and conversations.is_current_participant(user, message.conversation)


# the kernel treats a model without a view rule as public (files, comments): a message is its members' only
rules.add_perm("social.view_message", _in_its_conversation)
