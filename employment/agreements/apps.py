from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """Tripartite online agreements (24365 part 2)."""

    name = "employment.agreements"
    label = "employment_agreements"
    verbose_name = _("Tripartite online agreements")
