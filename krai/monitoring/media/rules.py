"""Who reads and manages media monitoring.

Reading (sources, articles, stories, mentions, topics, alerts): staff of the region's bodies (what the media
publish is public; which topics the government watches is not). Sources: administrators and the Department of
Control. Topics: any member of staff adds one (he owns it); its owner, administrators and controllers change it.
"""

import rules

from krai.org.rules import is_administrator, is_controller, is_staff_member


@rules.predicate
def owns_topic(user, topic) -> bool:
    return topic is not None and topic.owner_id == user.pk


rules.add_perm("media.view", is_staff_member)
rules.add_perm("media.manage_sources", is_staff_member & (is_administrator | is_controller))
rules.add_perm("media.add_topic", is_staff_member)
rules.add_perm("media.change_topic", is_staff_member & (owns_topic | is_administrator | is_controller))
