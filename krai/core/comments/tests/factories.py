"""Factories for comments (rows written directly; behaviour tests go through the services)."""

import factory
from django.contrib.contenttypes.models import ContentType

from krai.core.comments.models import Comment
from krai.org.tests.factories import BlockFactory, UserFactory


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        exclude = ["target"]

    target = factory.SubFactory(BlockFactory)
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.target))
    object_id = factory.LazyAttribute(lambda o: str(o.target.pk))
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Комментарий {n}")
