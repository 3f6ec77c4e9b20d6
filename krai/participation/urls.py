"""Pages of participation (the full paths live here; krai/urls.py mounts this module at the root)."""

from django.urls import path

from krai.participation.views import ideas, polls, priorities, ratings, suggestions, workspace

app_name = "participation"

urlpatterns = [
    # residents (the portal)
    path("polls/", polls.poll_list, name="polls"),
    path("polls/<int:pk>/", polls.poll_detail, name="poll"),
    path("polls/<int:pk>/vote/", polls.poll_vote, name="poll_vote"),
    path("polls/<int:pk>/results/", polls.poll_results, name="poll_results"),
    path("polls/<int:pk>/results.csv", polls.poll_results_csv, name="poll_results_csv"),
    path("priorities/", priorities.priorities, name="priorities"),
    path("priorities/<int:pk>/vote/", priorities.priority_vote, name="priority_vote"),
    path("priorities/ranks/", priorities.ranks, name="ranks"),
    path("priorities/ranks/<str:period>/votes.csv", priorities.rank_votes_csv, name="rank_votes_csv"),
    path("services/", ratings.service_list, name="ratings"),
    path("services/ranks/", ratings.service_ranks, name="service_ranks"),
    path("services/<int:pk>/", ratings.service_detail, name="service"),
    path("services/<int:pk>/rate/", ratings.service_rate, name="service_rate"),
    path("ideas/", ideas.campaign_list, name="ideas"),
    path("ideas/campaigns/<int:pk>/", ideas.campaign_detail, name="campaign"),
    path("ideas/campaigns/<int:pk>/suggest/", ideas.idea_suggest, name="idea_suggest"),
    path("ideas/<int:pk>/", ideas.idea_detail, name="idea"),
    path("ideas/<int:pk>/support/", ideas.idea_support, name="idea_support"),
    path("suggest/", suggestions.suggest, name="suggest"),
    path("suggest/<int:pk>/", suggestions.suggestion_detail, name="suggestion"),
    # staff (the workspace)
    path("workspace/participation/", workspace.home, name="ws_home"),
    path("workspace/participation/polls/", workspace.polls, name="ws_polls"),
    path("workspace/participation/polls/new/", workspace.poll_new, name="ws_poll_new"),
    path("workspace/participation/polls/<int:pk>/", workspace.poll, name="ws_poll"),
    path("workspace/participation/polls/<int:pk>/<str:action>/", workspace.poll_action, name="ws_poll_action"),
    path("workspace/participation/services/", workspace.services_view, name="ws_services"),
    path("workspace/participation/services/<int:pk>/", workspace.service, name="ws_service"),
    path("workspace/participation/campaigns/", workspace.campaigns, name="ws_campaigns"),
    path("workspace/participation/campaigns/new/", workspace.campaign_new, name="ws_campaign_new"),
    path("workspace/participation/ideas/", workspace.moderation, name="ws_moderation"),
    path("workspace/participation/ideas/<int:pk>/", workspace.idea, name="ws_idea"),
    path("workspace/participation/ideas/<int:pk>/moderate/", workspace.idea_moderate, name="ws_idea_moderate"),
    path("workspace/participation/ideas/<int:pk>/answer/", workspace.idea_answer, name="ws_idea_answer"),
    path("workspace/participation/suggestions/", suggestions.ws_suggestions, name="ws_suggestions"),
    path("workspace/participation/suggestions/<int:pk>/", suggestions.ws_suggestion, name="ws_suggestion"),
    path("workspace/participation/ideas/<int:pk>/order/", workspace.idea_order, name="ws_idea_order"),
]
