"""Erasing a person removes every stored file of his community: avatar and its thumbnail, each photo with its
made sizes (on a publication and in an album) — from storage, not only from the tables."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.accounts import services as account_services
from krai.org.tests.factories import PASSWORD, UserFactory
from krai.social import services
from krai.social.models import Album, Photo, Profile, Publication
from krai.social.tests.test_galleries_photos import image_bytes, upload


def test_erasure_removes_avatars_photos_and_their_sizes_from_storage(db: Any,
                                                                      django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory(email_confirmed=True)
    services.profile_avatar_set(actor=person, user=person,
                                upload=SimpleUploadedFile("me.png", image_bytes(), content_type="image/png"))
    profile = Profile.objects.get(pk=person.pk)
    album = services.album_create(actor=person, title="Альбом")
    in_album = services.photo_add(actor=person, album=album, upload=upload(image_bytes()))
    publication = Publication.objects.create(author=person, body="Пост с фото")
    on_post = Photo.objects.create(owner=person, publication=publication, mime_type="image/jpeg")
    for photo in (in_album, on_post):
        photo = Photo.objects.get(pk=photo.pk)
        if not photo.image:
            photo.image.save("p.jpg", ContentFile(b"photo"), save=False)
        photo.thumb.save("t.jpg", ContentFile(b"thumb"), save=False)
        photo.medium.save("m.jpg", ContentFile(b"medium"), save=False)
        photo.save()
    names = [profile.avatar.name, profile.avatar_thumb.name]
    names += [n for p in Photo.objects.filter(owner=person) for n in (p.image.name, p.thumb.name, p.medium.name)]
    assert len(names) == 8 and all(names) and all(default_storage.exists(n) for n in names)

    with django_capture_on_commit_callbacks(execute=True):
        account_services.account_anonymise(actor=person, user=person, password=PASSWORD)

    left = [n for n in names if default_storage.exists(n)]
    assert not left, left
    assert not Photo.objects.filter(owner_id=person.pk).exists() and not Album.objects.filter(pk=album.pk).exists()
