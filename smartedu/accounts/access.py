"""Who may do what with accounts: one function per rule (Zulip's ``access_*`` helpers).

Views, the API, the admin and the navigation call these; none writes its own role test.
"""

from __future__ import annotations


def approvals_openable(user) -> bool:
    """Active administrators (the ministry and provincial administrators) review pending accounts."""
    return bool(user and user.is_authenticated and user.is_active and user.is_platform_admin)
