"""What a video needs on a cheap phone besides its WebM or MP4 file: an H.264 copy, a poster, captions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from smartedu.portal.uploads import CAPTIONS_UPLOAD, IMAGE_UPLOAD, MP4_UPLOAD, RandomName


class VideoExtras(models.Model):
    """Fields beside a model's ``video``: a ``<video poster>`` with two ``<source>`` and a ``<track>``."""

    video_mp4 = models.FileField(
        _("video (MP4/H.264)"),
        upload_to=RandomName("k12/videos/mp4"),
        validators=[MP4_UPLOAD],
        blank=True,
        help_text=_("An H.264 rendition for iPhones and older Android phones, offered beside a WebM video."),
    )
    poster = models.FileField(
        _("poster image"),
        upload_to=RandomName("k12/videos/posters"),
        validators=[IMAGE_UPLOAD],
        blank=True,
        help_text=_("JPEG or PNG shown before the video plays."),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=RandomName("k12/videos/captions"),
        validators=[CAPTIONS_UPLOAD],
        blank=True,
    )

    class Meta:
        abstract = True
