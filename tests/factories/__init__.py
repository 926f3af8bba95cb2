"""factory_boy factories of the shared apps. They build through the services, so they keep the invariants.

- Self-registrable roles (student, teacher, graduate, employer, officer) are created by
  ``accounts.services.user_register``, the path the registration page and API take; ``approved=True``
  then approves the account with ``user_approve`` (by ``approved_by``, or a fresh ministry administrator).
- Administrators are appointed, never registered: they are created by ``accounts.services.user_create``, as
  the demo seeder creates them, with ``admin_province`` (by default their ``province``; none: the
  ministry) as their scope. Other roles given fields registration does not take (``is_staff``, a display
  name) are created by ``user_create`` too.

Usernames come from a sequence, never get-or-create: two factories asked for the same username fail loudly
(the service answers "already exists") instead of handing back the first user.
"""

from __future__ import annotations

from typing import Any

import factory

from smartedu.accounts import services
from smartedu.accounts.models import APPROVAL_ROLES, SELF_REGISTER_ROLES, Province, Role, User

PASSWORD = "correct horse battery"
# The fields of the registration service, and those of the trusted creation service (seeds, tests).
REGISTER_FIELDS = frozenset({"username", "email", "password", "role", "province", "institution"})
CREATE_FIELDS = REGISTER_FIELDS | {"first_name", "is_staff", "is_superuser"}


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
        role = fields["role"]
        if role == Role.ADMIN:
            fields.setdefault("admin_province", fields.get("province"))
        # What no creating service takes (a scope, ``is_active=False``…) is set on the created account.
        # A scope set here is not in the audit log: that log records what people did, not test fixtures.
        rest = {name: fields.pop(name) for name in list(fields) if name not in CREATE_FIELDS}
        if role in SELF_REGISTER_ROLES and set(fields) <= REGISTER_FIELDS:
            user = services.user_register(**fields)
        else:
            user = services.user_create(**fields)
        if rest:
            for name, value in rest.items():
                setattr(user, name, value)
            user.save(update_fields=list(rest))
        return user

    @factory.post_generation
    def approved(obj: User, create: bool, extracted: bool | None, **kwargs: Any) -> None:
        """``UserFactory(role=Role.EMPLOYER, approved=True)`` or ``approved=True, approved__by=admin``."""
        if not (create and extracted) or not obj.needs_approval:
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
