"""Pages of a child's learning record, registered by the sub-platforms that keep one.

A sub-platform registers in ``AppConfig.ready()``::

    register_child_record(ChildRecord(key="k12", label=_("K-12 learning record"), url_name="k12:child"))

``url_name`` takes the child's id; the page itself asks ``access.access_child_for_parent``. The family
page lists the registered records for each child; the guardians app never imports a sub-platform.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ChildRecord:
    key: str
    label: str | Promise
    url_name: str
    order: int = 100


_records: dict[str, ChildRecord] = {}


def register_child_record(record: ChildRecord) -> ChildRecord:
    _records[record.key] = record
    return record


def child_records() -> list[ChildRecord]:
    return sorted(_records.values(), key=lambda r: (r.order, r.key))
