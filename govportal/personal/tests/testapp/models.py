from django.conf import settings
from django.db import models
from django.utils import timezone


class SampleCase(models.Model):
    """A case of a test kind: owned by an account or submitted anonymously."""

    kind = models.CharField(max_length=30)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    title = models.CharField(max_length=200)
    tracking_code = models.CharField(max_length=40, unique=True)
    verification = models.CharField(max_length=40)
    applicant_name = models.CharField(max_length=50, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, default="办理中")
    is_open = models.BooleanField(default=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.tracking_code
