"""factory_boy factories of the shared apps. They build through the services, so they keep the invariants.

- Self-registrable roles (student, teacher, graduate, employer, officer) are created by
  ``accounts.services.user_register``, the path the registration page and API take; ``approved=True``
  then approves the account with ``user_approve`` (by ``approved_by``, or a fresh ministry administrator).
- Administrators are appointed, never registered: they are created by ``accounts.services.user_create``, as
  the demo seeder creates them, and their scope (``admin_province``, by default their ``province``; none:
  the ministry) is set through ``user_scope_set``, which logs it.

Usernames come from a sequence, never get-or-create: two factories asked for the same username fail loudly
(the service answers "already exists") instead of handing back the first user.
"""

from __future__ import annotations

from typing import Any

import factory

from smartedu.accounts import services
from smartedu.accounts.models import APPROVAL_ROLES, SELF_REGISTER_ROLES, Province, Role, User

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True  # the services saved it

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.STUDENT
    province = None
    institution = factory.LazyAttribute(lambda u: "示例单位" if u.role in APPROVAL_ROLES else "")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **fields: Any) -> User:
        if fields["role"] in SELF_REGISTER_ROLES:
            return services.user_register(**fields)
        if fields["role"] == Role.ADMIN:
            # Appointed, not registered: created by the service the seeder uses, as a ministry administrator
            # (no scope), who then narrows their own scope to ``admin_province`` (default: ``province``)
            # through the logged scope service.
            scope = fields.pop("admin_province", fields.get("province"))
            is_staff = fields.pop("is_staff", False)
            user = services.user_create(**fields, is_staff=is_staff)
            if scope is not None:
                user = services.user_scope_set(actor=user, user=user, admin_province=scope)
            return user
        raise ValueError(f"UserFactory does not know how to create a {fields['role']!r} account")

    @factory.post_generation
    def approved(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """``UserFactory(role=Role.EMPLOYER, approved=True)`` or ``approved=True, approved__by=admin``."""
        if not (create and extracted):
            return
        approver: User = kwargs.get("by") or AdminFactory.create()
        services.user_approve(user=obj, approved_by=approver)
        obj.refresh_from_db()


class AdminFactory(UserFactory):
    """A ministry administrator (``province=None``) or, with ``province=...``, a provincial one."""

    username = factory.Sequence(lambda n: f"admin{n}")
    role = Role.ADMIN
    is_staff = True


def province(code: str = "11") -> Province:
    return Province.objects.get(code=code)
