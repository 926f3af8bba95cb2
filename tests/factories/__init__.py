import factory
from django.utils import timezone

from smartedu.accounts.models import Province, Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.STUDENT
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    class Params:
        approved = factory.Trait(approved_at=factory.LazyFunction(timezone.now))


def province(code: str = "11") -> Province:
    return Province.objects.get(code=code)
