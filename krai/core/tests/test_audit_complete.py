"""Every change of state records a domain event (and so an audit entry).

The public service functions are discovered, not listed: a function added later fails
``test_every_service_function_is_accounted_for`` until it gets a recipe here (``audit_recipes``), a pointer
to the tests that exercise it (``TRACED_BY``, where the suite-wide tracer of ``audit_tracer`` checks every
call), or an exemption with its reason (``audit_tracer.EXEMPT``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory

from krai.core.events.models import Event
from krai.core.tests import audit_tracer
from krai.core.tests.audit_recipes import RECIPES, World, routing_rule

ROOT = Path(__file__).resolve().parents[3]

#: writing service functions whose area tests call them (the path names the function); the suite-wide
#: tracer fails any of those tests whose call writes without an event
TRACED_BY: dict[str, str] = {
    "krai.monitoring.indicators.services.indicator_create": "krai/monitoring/indicators/tests/test_services.py",
    "krai.monitoring.indicators.services.plan_set": "krai/monitoring/indicators/tests/test_deviation.py",
    "krai.monitoring.indicators.services.report_schedule": "krai/monitoring/indicators/tests/test_services.py",
    "krai.monitoring.indicators.services.report_submit": "krai/monitoring/indicators/tests/test_services.py",
    "krai.monitoring.indicators.services.deviation_order": "krai/monitoring/indicators/tests/test_services.py",
    "krai.monitoring.staffing.services.table_create": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.staffing.services.vacancy_open": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.staffing.services.vacancy_close": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.staffing.services.employment_record": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.staffing.services.employment_end": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.staffing.services.vacancy_to_order": "krai/monitoring/staffing/tests/test_staffing.py",
    "krai.monitoring.lawsuits.services.case_create": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.case_change_stage": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.case_record_outcome": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.hearing_add": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.hearing_record_result": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.case_to_order": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.lawsuits.services.send_hearing_reminders": "krai/monitoring/lawsuits/tests/test_lawsuits.py",
    "krai.monitoring.media.services.sources.source_create": "krai/monitoring/media/tests/test_polling.py",
    "krai.monitoring.media.services.sources.source_update": "krai/monitoring/media/tests/test_polling.py",
    "krai.monitoring.media.services.sources.source_poll": "krai/monitoring/media/tests/test_polling.py",
    "krai.monitoring.media.services.sources.poll_due_sources": "krai/monitoring/media/tests/test_polling.py",
    "krai.monitoring.media.services.topics.topic_create": "krai/monitoring/media/tests/test_topics.py",
    "krai.monitoring.media.services.topics.topic_update": "krai/monitoring/media/tests/test_topics.py",
    "krai.monitoring.media.services.spikes.detect_spikes": "krai/monitoring/media/tests/test_topics.py",
    "krai.monitoring.media.services.orders.story_to_order": "krai/monitoring/media/tests/test_topics.py",
    "krai.monitoring.rankings.services.rating_create": "krai/monitoring/rankings/tests/test_services.py",
    "krai.monitoring.rankings.services.rating_update": "krai/monitoring/rankings/tests/test_services.py",
    "krai.monitoring.rankings.services.edition_create": "krai/monitoring/rankings/tests/test_services.py",
    "krai.monitoring.rankings.services.order_from_drop": "krai/monitoring/rankings/tests/test_services.py",
    "krai.accounts.services.profile.account_anonymise": "krai/accounts/tests/test_profile.py",
    "krai.accounts.services.profile.profile_update": "krai/accounts/tests/test_profile.py",
    "krai.accounts.services.registration.email_confirm": "krai/accounts/tests/test_registration.py",
    "krai.accounts.services.tokens.token_create": "krai/accounts/tests/test_tokens.py",
    "krai.accounts.services.tokens.token_revoke": "krai/accounts/tests/test_tokens.py",
    "krai.accounts.services.two_factor.totp_confirm": "krai/accounts/tests/test_login.py",
    "krai.accounts.services.two_factor.totp_start": "krai/accounts/tests/test_login.py",
    "krai.core.imports.services.confirm": "krai/core/imports/tests/test_kernel.py",
    "krai.core.imports.services.expire": "krai/core/imports/tests/test_kernel.py",
    "krai.core.imports.services.preview": "krai/core/imports/tests/test_kernel.py",
    "krai.core.imports.services.run": "krai/core/imports/tests/test_kernel.py",
    "krai.org.addresses.services.addresses_load": "krai/org/addresses/tests/test_geocode.py",
    "krai.opendata.services.dataset_create": "krai/opendata/tests/test_upload.py",
    "krai.opendata.services.dataset_publish": "krai/opendata/tests/test_live_quality.py",
    "krai.opendata.services.dataset_update": "krai/opendata/tests/test_machines.py",
    "krai.opendata.services.live_refresh": "krai/opendata/tests/test_live_quality.py",
    "krai.opendata.services.version_upload": "krai/opendata/tests/test_upload.py",
    "krai.participation.services.ideas.campaign_create": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.ideas.idea_answer": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.ideas.idea_moderate": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.ideas.idea_suggest": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.ideas.idea_support": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.ideas.idea_to_order": "krai/participation/tests/test_pages.py",
    "krai.participation.services.ideas.idea_unsupport": "krai/participation/tests/test_ideas.py",
    "krai.participation.services.polls.poll_close": "krai/participation/tests/test_polls.py",
    "krai.participation.services.polls.poll_create": "krai/participation/tests/test_polls.py",
    "krai.participation.services.polls.poll_publish": "krai/participation/tests/test_polls.py",
    "krai.participation.services.polls.poll_update": "krai/participation/tests/test_polls.py",
    "krai.participation.services.polls.poll_vote": "krai/participation/tests/test_polls.py",
    "krai.participation.services.priorities.priority_unvote": "krai/participation/tests/test_priorities.py",
    "krai.participation.services.priorities.priority_vote": "krai/participation/tests/test_priorities.py",
    "krai.participation.services.priorities.rank_build": "krai/participation/tests/test_priorities.py",
    "krai.participation.services.ratings.service_create": "krai/participation/tests/test_ratings.py",
    "krai.participation.services.ratings.service_ranks_build": "krai/participation/tests/test_ratings.py",
    "krai.participation.services.ratings.service_rate": "krai/participation/tests/test_api.py",
    "krai.participation.services.ratings.service_update": "krai/participation/tests/test_ratings.py",
    "krai.problems.services.bulk.problems_moderate_many": "krai/problems/tests/test_queues.py",
    "krai.org.services.residence.residence_request": "krai/org/tests/test_residence.py",
    "krai.org.services.residence.residence_verify": "krai/org/tests/test_residence.py",
    "krai.org.services.residence.residence_refuse": "krai/org/tests/test_residence.py",
    "krai.org.services.residence.residence_assert_by_provider": "krai/org/tests/test_residence.py",
    "krai.participation.services.suggestions.suggestion_create": "krai/participation/tests/test_suggestions.py",
    "krai.participation.services.suggestions.suggestion_answer": "krai/participation/tests/test_suggestions.py",
    "krai.orders.services.control.control_reschedule": "krai/orders/tests/test_reschedule.py",
    "krai.orders.services.bulk.control_reschedule_many": "krai/orders/tests/test_reschedule.py",
    "krai.social.services.conversations.conversation_start": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.conversations.message_send": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.conversations.conversation_leave": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.conversations.participant_add": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.blocks.block_user": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.blocks.unblock_user": "krai/social/tests/test_conversations_services.py",
    "krai.social.services.galleries.album_create": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.album_edit": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.album_delete": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.photo_add": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.photo_edit": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.photo_delete": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.galleries.photos_reorder": "krai/social/tests/test_galleries_services.py",
    "krai.social.services.profiles.profile_update": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.profile_avatar_set": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.profile_avatar_remove": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.follow_user": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.unfollow_user": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.follow_topic": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.profiles.unfollow_topic": "krai/social/tests/test_profiles_services.py",
    "krai.lawmaking.services.initiatives.initiative_create": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.initiatives.initiative_update": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.initiatives.initiative_approve": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.initiatives.initiative_refuse": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.moves.move_to_elaboration": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.moves.initiative_advance": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.moves.initiative_stop": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.moves.initiative_set_editor": "krai/lawmaking/tests/test_initiatives_services.py",
    "krai.lawmaking.services.drafts.version_initial": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.drafts.version_create": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.drafts.annotation_add": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.drafts.annotation_hide": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.amendments.amendment_propose": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.amendments.amendment_withdraw": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.amendments.amendment_decide": "krai/lawmaking/tests/test_draft_services.py",
    "krai.lawmaking.services.expertise.expertise_start": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.expert_invite": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.invitation_decline": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.review_submit": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.review_update": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.review_hide": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.expertise.review_remind": "krai/lawmaking/tests/test_expertise_services.py",
    "krai.lawmaking.services.reactions.reaction_request": "krai/lawmaking/tests/test_reaction_services.py",
    "krai.lawmaking.services.reactions.reaction_give": "krai/lawmaking/tests/test_reaction_services.py",
    "krai.lawmaking.services.discussion.support_add": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.support_remove": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.question_ask": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.question_close": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.answer_give": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.answer_hide": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.discussion.discussions_end_due": "krai/lawmaking/tests/test_discussion_jobs.py",
    "krai.lawmaking.services.subscriptions.subscribe": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.subscriptions.unsubscribe": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.subscriptions.subscribe_filter": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.subscriptions.unsubscribe_filter": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.lawmaking.services.stages.enter": "krai/lawmaking/tests/test_discussion_services.py",
    "krai.social.services.experts.expert_apply": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.experts.credential_verify": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.experts.credential_reject": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.experts.expert_revoke": "krai/social/tests/test_profiles_services.py",
    "krai.social.services.content.publication_create": "krai/social/tests/test_content_services.py",
    "krai.social.services.content.publication_edit": "krai/social/tests/test_content_services.py",
    "krai.social.services.content.publication_delete": "krai/social/tests/test_content_services.py",
    "krai.social.services.digest.publications_digest_send": "krai/social/tests/test_content_digest.py",
    "krai.social.services.moderation.report_create": "krai/social/tests/test_moderation_reports.py",
    "krai.social.services.moderation.message_inspect": "krai/social/tests/test_moderation_queue.py",
    "krai.social.services.moderation.content_hide": "krai/social/tests/test_moderation_actions.py",
    "krai.social.services.moderation.content_restore": "krai/social/tests/test_moderation_actions.py",
    "krai.social.services.moderation.report_dismiss": "krai/social/tests/test_moderation_actions.py",
    "krai.social.services.moderation.ban_create": "krai/social/tests/test_moderation_actions.py",
    "krai.social.services.moderation.ban_lift": "krai/social/tests/test_moderation_actions.py",
    "krai.projects.services.baselines.baseline_delete": "krai/projects/tests/test_services.py",
    "krai.projects.services.items.item_update": "krai/projects/tests/test_services.py",
    "krai.projects.services.links.dependency_remove": "krai/projects/tests/test_services.py",
    "krai.projects.services.notes.risk_add": "krai/projects/tests/test_services.py",
    "krai.projects.services.notes.risk_update": "krai/projects/tests/test_services.py",
    "krai.projects.services.notes.status_report_add": "krai/projects/tests/test_services.py",
    "krai.projects.services.plans.programme_update": "krai/projects/tests/test_services.py",
    "krai.projects.services.plans.project_update": "krai/projects/tests/test_services.py",
    "krai.projects.services.baselines.baseline_save": "krai/projects/tests/test_services.py",
    "krai.projects.services.items.item_create": "krai/projects/tests/helpers.py",
    "krai.projects.services.items.item_delete": "krai/projects/tests/test_services.py",
    "krai.projects.services.items.item_progress": "krai/projects/tests/test_services.py",
    "krai.projects.services.links.dependency_add": "krai/projects/tests/test_services.py",
    "krai.projects.services.plans.programme_create": "krai/projects/tests/helpers.py",
    "krai.projects.services.plans.project_create": "krai/projects/tests/helpers.py",
    "krai.projects.services.schedule.reschedule": "krai/projects/tests/test_services.py",
    "krai.projects.services.items.item_done_from_control": "krai/projects/subscribers.py",
    "krai.construction.services.objects.object_create": "krai/construction/tests/test_objects_services.py",
    "krai.construction.services.objects.object_update": "krai/construction/tests/test_objects_services.py",
    "krai.construction.services.objects.object_set_stage": "krai/construction/tests/test_objects_services.py",
    "krai.construction.services.objects.object_attach": "krai/construction/tests/test_objects_services.py",
    "krai.construction.services.verification.request_file": "krai/construction/tests/test_verification_services.py",
    "krai.construction.services.verification.request_inspect": "krai/construction/tests/test_verification_services.py",
    "krai.construction.services.verification.request_cancel": "krai/construction/tests/test_verification_services.py",
    "krai.construction.services.verification.request_follow_assignment":
        "krai/construction/tests/test_verification_services.py",
    "krai.construction.services.illegal.illegal_create": "krai/construction/tests/test_illegal_services.py",
    "krai.construction.services.illegal.illegal_update": "krai/construction/tests/test_illegal_services.py",
    "krai.construction.services.illegal.measure_add": "krai/construction/tests/test_illegal_services.py",
    "krai.construction.services.illegal.measure_remove": "krai/construction/tests/test_illegal_services.py",
    "krai.construction.services.works.work_create": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_update": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_start": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_suspend": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_resume": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_complete": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_reschedule": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works.work_attach": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works_residents.work_subscribe": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works_residents.work_unsubscribe": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works_residents.work_rate": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.works_slips.works_check_slips": "krai/construction/tests/test_works_services.py",
    "krai.construction.services.illegal.illegal_import": "krai/construction/tests/test_illegal_import.py",
    "krai.administration.services.access.bulk_access_change": "krai/administration/tests/test_access_bulk.py",
    "krai.integration.consolidation.services.push_request": "krai/integration/consolidation/tests/test_pages.py",
    "krai.integration.consolidation.services.push_resend": "krai/integration/consolidation/tests/test_api.py",
    "krai.integration.consolidation.services.batch_receive": "krai/integration/consolidation/tests/test_receive.py",
    "krai.org.services.deputies.deputyship_appoint": "krai/administration/tests/test_deputies_services.py",
    "krai.org.services.deputies.deputyship_change_end": "krai/administration/tests/test_deputies_services.py",
    "krai.org.services.deputies.deputyship_end": "krai/administration/tests/test_deputies_services.py",
    "krai.org.services.deputies.acting_start": "krai/administration/tests/test_deputies_services.py",
    "krai.org.services.deputies.acting_stop": "krai/administration/tests/test_deputies_services.py",
    "krai.integration.docflow.services.packages.package_import": "krai/integration/docflow/tests/test_import.py",
    "krai.integration.docflow.services.tables.table_import": "krai/integration/docflow/tests/test_table.py",
    "krai.integration.docflow.services.channels.channel_save": "krai/integration/docflow/tests/test_pages.py",
    "krai.integration.docflow.services.answers.answer_retry": "krai/integration/docflow/tests/test_answers.py",
    "krai.integration.services.systems.system_register": "krai/integration/tests/test_systems_services.py",
    "krai.integration.services.systems.system_update": "krai/integration/tests/test_systems_services.py",
    "krai.integration.services.systems.system_deactivate": "krai/integration/tests/test_systems_services.py",
    "krai.integration.services.systems.system_reactivate": "krai/integration/tests/test_systems_services.py",
    "krai.integration.services.systems.system_token_issue": "krai/integration/tests/test_systems_services.py",
    "krai.integration.services.systems.system_token_revoke": "krai/integration/tests/test_systems_services.py",
    "krai.integration.webhooks.services.endpoints.endpoint_create": "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.endpoints.endpoint_update": "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.endpoints.endpoint_rotate_secret":
        "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.endpoints.endpoint_delete": "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.endpoints.endpoint_ping": "krai/integration/webhooks/tests/test_receiver.py",
    "krai.integration.webhooks.services.replay.deliveries_replay": "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.replay.endpoint_replay_dead":
        "krai/integration/webhooks/tests/test_services.py",
    "krai.integration.webhooks.services.replay.endpoint_replay_since":
        "krai/integration/webhooks/tests/test_services.py",
    # the planner (krai.planner)
    "krai.planner.services.entries.entry_create": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.entries.entry_update": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.entries.entry_delete": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.entries.entry_set_done": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.entries.entry_skip": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.entries.entry_restore": "krai/planner/tests/test_entries_services.py",
    "krai.planner.services.feed.feed_create": "krai/planner/tests/test_feed_pages.py",
    "krai.planner.services.feed.feed_revoke": "krai/planner/tests/test_feed_pages.py",
    "krai.planner.services.ics_import.ics_import": "krai/planner/tests/test_ics_import.py",
    "krai.planner.services.reminders.reminders_set": "krai/planner/tests/test_reminders.py",
    "krai.core.notifications.services.push_subscribe": "krai/core/notifications/tests/test_push_api.py",
    "krai.core.notifications.services.push_unsubscribe": "krai/core/notifications/tests/test_push_api.py",
    # periodic reports (krai.reports)
    "krai.reports.services.template_create": "krai/reports/tests/test_services.py",
    "krai.reports.services.template_update": "krai/reports/tests/test_services.py",
    "krai.reports.services.template_delete": "krai/reports/tests/test_services.py",
    "krai.reports.services.edition_generate_now": "krai/reports/tests/test_services.py",
}

SERVICES = audit_tracer.discover()
CASES = [pytest.param(name, label, id=f"{name.rsplit('.', 1)[1]}{'-' + label if label else ''}")
         for name, recipes in sorted(RECIPES.items()) for label in recipes]


def test_every_service_function_is_accounted_for():
    assert len(SERVICES) > 100, "the discovery finds the service modules"
    missing = sorted(set(SERVICES) - set(RECIPES) - set(TRACED_BY) - set(audit_tracer.EXEMPT))
    assert not missing, ("Service functions neither exercised here (audit_recipes.RECIPES), nor pointed to "
                         "their tests (TRACED_BY), nor exempt with a reason (audit_tracer.EXEMPT): "
                         f"{missing}")
    stale = sorted((set(RECIPES) | set(TRACED_BY) | set(audit_tracer.EXEMPT)) - set(SERVICES))
    assert not stale, f"Listed but no longer a public service function: {stale}"
    both = sorted(set(audit_tracer.EXEMPT) & (set(RECIPES) | set(TRACED_BY)))
    assert not both, f"Exempt and checked at once: {both}"


@pytest.mark.parametrize("name", sorted(TRACED_BY))
def test_traced_functions_are_called_by_their_tests(name):
    source = (ROOT / TRACED_BY[name]).read_text(encoding="utf-8")
    assert name.rsplit(".", 1)[1] in source, f"{TRACED_BY[name]} does not call {name}"


@pytest.mark.django_db
@pytest.mark.parametrize("name,label", CASES)
def test_service_writes_are_audited(name, label):
    world = World()
    kwargs = RECIPES[name][label](world)
    before = Event.objects.count()
    _result, trace = audit_tracer.traced_call(SERVICES[name], (), kwargs, ignored=audit_tracer.bookkeeping_tables(),
                                              event_table=Event._meta.db_table)
    assert trace is not None and trace.tables, f"the recipe for {name} changes nothing: it proves nothing"
    assert trace.event and Event.objects.count() > before, (
        f"{name} wrote {', '.join(sorted(trace.tables))} without recording an event")


@pytest.mark.django_db
def test_editing_the_routing_table_in_the_admin_is_audited():
    """The routing table is edited in the admin (its own page and the theme's inline rows): each change is an
    event with the body before and after it."""
    from krai.org.tests.factories import OrganisationFactory, StaffFactory
    from krai.problems.admin import RoutingInline
    from krai.problems.models import Category, RoutingRule

    world = World()
    rule = routing_rule(world)
    other, third = OrganisationFactory(), OrganisationFactory()
    request = RequestFactory().post("/admin/")
    request.user = StaffFactory(is_superuser=True)

    rule.organisation = other
    site._registry[RoutingRule].save_model(request, rule, None, True)
    assert RoutingRule.objects.get(pk=rule.pk).organisation == other
    event = Event.objects.get(kind="problems.route_set")
    assert event.actor == request.user
    assert (event.payload["previous_organisation"], event.payload["organisation"]) == (
        world.place["administration"].pk, other.pk)

    category = world.place["category"]
    formset = RoutingInline(Category, site).get_formset(request, category)(data={
        "routing_rules-TOTAL_FORMS": "1", "routing_rules-INITIAL_FORMS": "1", "routing_rules-MIN_NUM_FORMS": "0",
        "routing_rules-MAX_NUM_FORMS": "1000", "routing_rules-0-id": str(rule.pk),
        "routing_rules-0-category": str(category.pk), "routing_rules-0-municipality": str(rule.municipality_id),
        "routing_rules-0-organisation": str(third.pk)}, instance=category, prefix="routing_rules")
    assert formset.is_valid(), formset.errors
    site._registry[Category].save_formset(request, None, formset, True)
    assert RoutingRule.objects.get(pk=rule.pk).organisation == third
    assert Event.objects.filter(kind="problems.route_set", payload__previous_organisation=other.pk,
                                payload__organisation=third.pk).exists()

    site._registry[RoutingRule].delete_model(request, RoutingRule.objects.get(pk=rule.pk))
    assert not RoutingRule.objects.filter(pk=rule.pk).exists()
    assert Event.objects.filter(kind="problems.route_deleted", payload__organisation=third.pk).exists()


def test_the_tracer_wraps_every_reference_to_a_service():
    """The package's re-export and the defining module both hold the wrapper; exempt functions stay bare."""
    from krai.orders import services
    from krai.orders.services import control

    assert services.control_start.__krai_audit_original__ is SERVICES["krai.orders.services.control.control_start"]
    assert control.control_start is services.control_start
    assert not hasattr(control.resolve_deadline, "__krai_audit_original__")


@pytest.mark.django_db
def test_the_tracer_tells_a_write_from_bookkeeping_and_an_event():
    from krai.core.events.services import record_event
    from krai.core.search.models import SearchEntry
    from krai.org.models import Block

    def trace(func):
        return audit_tracer.traced_call(func, (), {}, ignored=audit_tracer.bookkeeping_tables(),
                                        event_table=Event._meta.db_table)[1]

    bare = trace(lambda: Block.objects.create(code="b1", name="Блок"))
    assert bare.tables == {Block._meta.db_table} and not bare.event
    assert not trace(lambda: Block.objects.filter(code="none").update(name="x")).tables  # no row matched
    assert not trace(lambda: SearchEntry.objects.filter(pk=0).delete()).tables  # bookkeeping, and nothing

    def audited():
        with transaction.atomic():
            block = Block.objects.create(code="b2", name="Блок")
            record_event(kind="test.block", subject=block)

    assert trace(audited).event
