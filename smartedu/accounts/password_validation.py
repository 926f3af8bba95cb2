"""A password "validator" whose job is the other hook Django gives validators: ``password_changed``.

Django calls ``password_changed(password, user)`` on every configured validator each time a user is saved
with a new password, whatever the path (profile, admin, ``manage.py changepassword``, a shell). Django
already signs out the user's sessions then; this signs out their API tokens too (issue 7.16).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class RevokeApiTokensOnPasswordChange:
    def validate(self, password: str, user: Any = None) -> None:
        """Accepts every password: this entry only reacts to changes."""

    def password_changed(self, password: str, user: Any = None) -> None:
        from smartedu.accounts import services
        from smartedu.accounts.models import User

        if isinstance(user, User) and user.pk:
            services.user_tokens_revoke(user=user)

    def get_help_text(self) -> str:
        return _("Changing the password signs out every API token of the account.")
