"""Reading the reference files each app ships in its ``reference/`` folder (for data migrations)."""

import csv
import json
from pathlib import Path
from typing import Any

from django.apps import apps


def reference_path(app_label: str, filename: str) -> Path:
    return Path(apps.get_app_config(app_label).path) / "reference" / filename


def read_csv(app_label: str, filename: str) -> list[dict[str, str]]:
    with reference_path(app_label, filename).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(app_label: str, filename: str) -> Any:
    with reference_path(app_label, filename).open(encoding="utf-8") as fh:
        return json.load(fh)
