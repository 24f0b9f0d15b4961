"""Factories for interviews, shared by the tests and ``build_demo_interviews``."""

import datetime
import io

from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Collection

import factory

from govportal.content.factories import PageFactory

from .models import GUEST_GROUP, InterviewGuest, InterviewPage, InterviewPhoto, Question


def make_picture(seed: int, *, size=(480, 320), label_colour=(27, 79, 156), collection=None):
    """A small generated picture (a few kB); demo and tests ship no image files."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    img = PILImage.new("RGB", size, (238 - seed % 5 * 8, 243, 250))
    draw = ImageDraw.Draw(img)
    w, h = size
    draw.rectangle((0, 0, w, h // 6), fill=label_colour)
    draw.ellipse(
        (w // 3, h // 4, 2 * w // 3, h // 4 + w // 3), fill=(200, 170 + seed % 4 * 10, 140)
    )
    draw.rectangle((w // 4, h * 2 // 3, 3 * w // 4, h), fill=(60 + seed % 7 * 15, 70, 90))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return get_image_model().objects.create(
        title=f"访谈图片{seed}",
        file=ImageFile(buf, name=f"interview-{seed}.jpg"),
        collection=collection or Collection.get_first_root_node(),
    )


def guest_group() -> Group:
    """Staff named as guests need admin access (nothing else) to reach the console."""
    group, _ = Group.objects.get_or_create(name=GUEST_GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


class InterviewPageFactory(PageFactory):
    class Meta:
        model = InterviewPage

    title = factory.Sequence(lambda n: f"在线访谈{n}")
    slug = factory.Sequence(lambda n: f"interview-{n}")
    topic = factory.LazyAttribute(lambda o: o.title)
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    place = "示例市人民政府网站访谈室"


def add_guest(interview: InterviewPage, name: str, title: str = "", **extra) -> InterviewGuest:
    return InterviewGuest.objects.create(
        interview=interview,
        name=name,
        title=title,
        sort_order=interview.guests.count(),
        **extra,
    )


def add_photo(interview: InterviewPage, image, alt_text: str, caption: str = ""):
    return InterviewPhoto.objects.create(
        interview=interview,
        image=image,
        alt_text=alt_text,
        caption=caption,
        sort_order=interview.photos.count(),
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    text = factory.Sequence(lambda n: f"请问第{n}个问题的相关政策如何办理？")
