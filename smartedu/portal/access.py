"""Who may do what in the portal's own content (one home per rule, used by the admin and the tests)."""

from typing import Any

from smartedu.accounts import access as accounts_access


def announcements_manageable(user: Any) -> bool:
    """Home-page announcements speak for the whole platform: the ministry's administrators write them."""
    return accounts_access.is_ministry_admin(user)
