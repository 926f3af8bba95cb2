from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Universities, colleges and the accounts affiliated with them, shared by every sub-platform.

    Higher education files courses under universities, employment verifies graduates and scopes officers and
    counsellors by university, vocational co-builds libraries with colleges: one table for all of them, so
    that an officer belongs to one university everywhere.
    """

    name = "smartedu.institutions"
    label = "institutions"
    verbose_name = _("Institutions")
