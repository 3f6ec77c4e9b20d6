"""(skeleton — filled by this part's author)"""

urlpatterns: list = []
