"""The account backend: Django's ``ModelBackend`` with the signed-in user read by a precompiled statement.

Every signed-in request loads its user from the session's user id. Through the ORM that ``get(pk=…)``
costs about 0.15 ms to build before PostgreSQL spends a few hundredths running it; here the statement is
built once per process (smartedu/portal/precompiled.py). Passwords, permissions and the "active users
only" rule are Django's, unchanged.

Sessions written before this backend name Django's (``LEGACY_PATH``); the session store reads them as
naming this one (smartedu/accounts/sessions.py), so nobody is signed out by the change.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError

from smartedu.portal.precompiled import Precompiled

PATH = "smartedu.accounts.backends.ModelBackend"
LEGACY_PATH = "django.contrib.auth.backends.ModelBackend"

_user_by_pk = Precompiled(lambda pk: get_user_model()._default_manager.filter(pk=pk), pk=int)


class ModelBackend(backends.ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _user_by_pk.first(pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None
