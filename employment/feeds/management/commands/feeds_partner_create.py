"""``manage.py feeds_partner_create "<name>" --by <admin>``: register a partner; prints its key once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employment.feeds import services
from smartedu.accounts.models import User


class Command(BaseCommand):
    help = "Register a partner site that pulls the job feed; its API key is printed once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--by", required=True, help="the administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["by"]).first()
        if actor is None:
            raise CommandError("no such administrator")
        partner, key = services.partner_create(actor=actor, name=options["name"])
        self.stdout.write(f"partner {partner.pk}: {partner.name}\nAPI key (shown once): {key}")
