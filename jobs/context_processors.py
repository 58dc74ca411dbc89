"""Template context for every page: the signed-in user's unread notifications (issue #5).

The navigation shows "Werklijst" with the number of new items the nightly jobs found for the user
(``jobs.Notification``: counts and kinds, no personal data). The count is read lazily — one query,
only when a template uses it, only for a signed-in user — and at most once per request.
"""

from functools import cached_property
from typing import Any

from django.db.models import Sum
from django.http import HttpRequest

from .models import Notification


class UnreadNotifications:
    """``unread``: how many new items the user's unread notifications announce (the sum of their
    ``count``), read on first use. ``0`` when there are none."""

    def __init__(self, user_id: int) -> None:
        self._user_id = user_id

    @cached_property
    def unread(self) -> int:
        unread = Notification.objects.filter(user_id=self._user_id, read_at__isnull=True)
        return int(unread.aggregate(total=Sum("count"))["total"] or 0)


def notifications(request: HttpRequest) -> dict[str, Any]:
    """``{"pga_notifications": UnreadNotifications}`` for a signed-in user; nothing for anyone else."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"pga_notifications": UnreadNotifications(user.pk)}
