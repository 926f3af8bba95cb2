"""Demo announcements for the home page (idempotent: one row per title)."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from smartedu.portal import services
from smartedu.portal.models import Announcement

ANNOUNCEMENTS = [
    (
        "关于开展2025年寒假“师生同上一堂课”活动的通知",
        "寒假期间，平台每周一、三、五上线专题课程，欢迎各地中小学师生参与。",
        True,
    ),
    (
        "国家智慧教育平台移动端使用指南",
        "手机浏览器即可学习：选择学段、学科、版本和册次，三步进入课时；视频支持字幕和拖动播放。",
        False,
    ),
    (
        "系统维护通知：本周六凌晨2:00至4:00暂停部分服务",
        "维护期间电子教材下载可能中断，请提前下载所需内容。",
        False,
    ),
]


def seed_announcements(*, scale: str, progress: Any) -> None:
    now = timezone.now()
    existing = set(Announcement.objects.values_list("title", flat=True))
    for days, (title, body, pinned) in progress(enumerate(ANNOUNCEMENTS), desc="announcements"):
        if title not in existing:
            services.announcement_create(
                title=title, body=body, is_pinned=pinned, published_at=now - timedelta(days=days * 3)
            )
