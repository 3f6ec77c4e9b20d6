"""REST API of participation under /api/v1/participation/: thin views over the services and selectors."""

from django.urls import path

from krai.participation.api import ideas, polls, priorities, ratings

urlpatterns = [
    path("participation/polls/", polls.PollList.as_view(), name="participation-poll-list"),
    path("participation/polls/managed/", polls.PollManaged.as_view(), name="participation-poll-managed"),
    path("participation/polls/<int:pk>/", polls.PollDetail.as_view(), name="participation-poll-detail"),
    path("participation/polls/<int:pk>/vote/", polls.PollVote.as_view(), name="participation-poll-vote"),
    path("participation/polls/<int:pk>/results/", polls.PollResults.as_view(), name="participation-poll-results"),
    path("participation/polls/<int:pk>/ballots/", polls.PollBallots.as_view(), name="participation-poll-ballots"),
    path("participation/polls/<int:pk>/publish/", polls.PollPublish.as_view(), name="participation-poll-publish"),
    path("participation/polls/<int:pk>/close/", polls.PollClose.as_view(), name="participation-poll-close"),
    path("participation/priorities/", priorities.PriorityList.as_view(), name="participation-priority-list"),
    path("participation/priorities/<int:pk>/", priorities.PriorityDetail.as_view(),
         name="participation-priority-detail"),
    path("participation/priorities/<int:pk>/vote/", priorities.PriorityVote.as_view(),
         name="participation-priority-vote"),
    path("participation/ranks/", priorities.RankBuildList.as_view(), name="participation-rank-list"),
    path("participation/ranks/<str:period>/", priorities.RankDetail.as_view(), name="participation-rank-detail"),
    path("participation/services/", ratings.ServiceList.as_view(), name="participation-service-list"),
    path("participation/services/ranks/", ratings.ServiceRanks.as_view(), name="participation-service-ranks"),
    path("participation/services/<int:pk>/", ratings.ServiceDetail.as_view(), name="participation-service-detail"),
    path("participation/services/<int:pk>/rate/", ratings.ServiceRate.as_view(), name="participation-service-rate"),
    path("participation/services/<int:pk>/comments/", ratings.ServiceComments.as_view(),
         name="participation-service-comments"),
    path("participation/campaigns/", ideas.CampaignList.as_view(), name="participation-campaign-list"),
    path("participation/campaigns/<int:pk>/", ideas.CampaignDetail.as_view(), name="participation-campaign-detail"),
    path("participation/campaigns/<int:pk>/ideas/", ideas.CampaignIdeas.as_view(),
         name="participation-campaign-ideas"),
    path("participation/ideas/moderation/", ideas.ModerationQueue.as_view(), name="participation-idea-moderation"),
    path("participation/ideas/<int:pk>/", ideas.IdeaDetail.as_view(), name="participation-idea-detail"),
    path("participation/ideas/<int:pk>/support/", ideas.IdeaSupport.as_view(), name="participation-idea-support"),
    path("participation/ideas/<int:pk>/moderate/", ideas.IdeaModerate.as_view(),
         name="participation-idea-moderate"),
    path("participation/ideas/<int:pk>/answer/", ideas.IdeaAnswer.as_view(), name="participation-idea-answer"),
    path("participation/ideas/<int:pk>/order/", ideas.IdeaOrder.as_view(), name="participation-idea-order"),
]
