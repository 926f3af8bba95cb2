"""The progress dashboard's tables and charts, in the statistics dashboards' shapes (``smartedu.stats``):
each table is shown in the page, exported as CSV (``?export=<key>``) and drawn by the chart of its key."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from employment.front.selectors import Progress, outcome_labels, rate
from employment.front.services import OTHER_DESTINATION
from employment.models import Degree, JobType
from smartedu.stats.presenters import Chart, Panel, Table, Value


def measure_labels() -> list[tuple[str, str]]:
    """The stages in display order: part 1's, then each registered outcome, then employed and help."""
    return [
        ("graduates", _("Graduates")),
        ("intention", _("With an intention")),
        ("applied", pgettext("employment front", "Applied")),
        ("offer", _("With an offer")),
        *((key, str(label)) for key, label in outcome_labels()),
        ("employed", _("Employed")),
        ("help", _("Needing help")),
    ]


def _bar(table: Table, column: int, name: str) -> Chart:
    return Chart(
        table.key,
        "bar",
        table.caption,
        [str(row[0]) for row in table.rows],
        [{"name": name, "data": [row[column] for row in table.rows]}],
    )


def progress_panel(data: Progress) -> Panel:
    graduates = data.totals.get("graduates", 0)
    stages = Table(
        "stages",
        _("Graduates at each stage"),
        [pgettext("employment front", "Stage"), _("Graduates"), _("Share of graduates (%)")],
        [
            [label, data.totals.get(key, 0), rate(data.totals.get(key, 0), graduates)]
            for key, label in measure_labels()
        ],
        chart="stages",
    )
    rate_header = [_("Graduates"), _("Employed"), _("Employment rate (%)")]
    specialty = Table(
        "specialty",
        _("Employment rate by specialty"),
        [_("Specialty"), *rate_header],
        [
            [name, v.get("graduates", 0), v.get("employed", 0), rate(v.get("employed"), v.get("graduates"))]
            for name, v in sorted(data.by_specialty.items())
        ],
        chart="specialty",
    )
    degree_names = dict(Degree.choices)
    degree = Table(
        "degree",
        _("Employment rate by degree"),
        [_("Degree"), *rate_header],
        [
            [
                str(degree_names.get(key, key)),
                v.get("graduates", 0),
                v.get("employed", 0),
                rate(v.get("employed"), v.get("graduates")),
            ]
            for key, v in data.by_degree.items()
        ],
        chart="degree",
    )
    destination_names = {**dict(JobType.choices), OTHER_DESTINATION: _("Other (registered outcome)")}
    destination = Table(
        "destination",
        _("Employment by destination type"),
        [_("Destination type"), _("Graduates"), _("Share of graduates (%)")],
        [
            [str(destination_names.get(key, key)), n, rate(n, graduates)]
            for key, n in sorted(data.by_destination.items(), key=lambda item: -item[1])
        ],
        chart="destination",
    )
    tables = [stages, specialty, degree, destination]
    charts = [
        _bar(stages, 1, _("Graduates")),
        _bar(specialty, 3, _("Employment rate (%)")),
        _bar(degree, 3, _("Employment rate (%)")),
        _bar(destination, 1, _("Graduates")),
    ]
    if data.by_area:
        area = _("Province") if data.scope.level == "nation" else _("University")
        rows: list[list[Value]] = [
            [name, v.get("graduates", 0), v.get("applied", 0), v.get("offer", 0), v.get("employed", 0),
             rate(v.get("employed"), v.get("graduates"))]
            for _pk, name, v in data.by_area
        ]  # fmt: skip
        areas = Table(
            "areas",
            _("Progress by province") if data.scope.level == "nation" else _("Progress by university"),
            [
                area,
                _("Graduates"),
                pgettext("employment front", "Applied"),
                _("With an offer"),
                _("Employed"),
                _("Employment rate (%)"),
            ],
            rows,
            chart="areas",
        )
        tables.append(areas)
        charts.append(_bar(areas, 5, _("Employment rate (%)")))
    return Panel(tables, charts)
