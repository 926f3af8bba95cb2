"""One period rule for the forms and the API (issue 15); dates outside 2000–2100 give 400 naming the field."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from smartedu.stats.periods import FIRST_DAY, LAST_DAY, Period, default_period, period_validate
from tests.stats.factories import admin


def fields_of(exc: pytest.ExceptionInfo) -> set[str]:
    return set(exc.value.message_dict)


def test_defaults_are_the_90_days_up_to_today():
    assert period_validate(start=None, end=None) == default_period()
    assert period_validate(start=None, end=date(2024, 3, 31)) == Period(date(2024, 1, 2), date(2024, 3, 31))


def test_the_bounds_are_inclusive():
    assert period_validate(start=FIRST_DAY, end=FIRST_DAY).days == 1
    assert period_validate(start=LAST_DAY, end=LAST_DAY).days == 1
    # a default start never falls before the first day
    assert period_validate(start=None, end=date(2000, 1, 5)).start == FIRST_DAY


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(1999, 12, 31), None, "start"),
        (None, date(2101, 1, 1), "end"),
        (date(1, 1, 1), date(2000, 1, 2), "start"),
        (date(9999, 12, 31), date(9999, 12, 31), "start"),
        (date(2024, 3, 2), date(2024, 3, 1), "end"),
        (date(2000, 1, 1), date(2024, 1, 1), "start"),
    ],
)
def test_errors_name_the_field(start, end, field):
    with pytest.raises(ValidationError) as exc:
        period_validate(start=start, end=end)
    assert field in fields_of(exc)


def test_the_comparison_names_its_own_fields():
    with pytest.raises(ValidationError) as exc:
        period_validate(
            start=date(1900, 1, 1),
            end=None,
            default=Period(date(2024, 1, 1), date(2024, 1, 2)),
            start_field="a_start",
            end_field="a_end",
        )
    assert fields_of(exc) == {"a_start"}


def dashboard(path, **params):
    client = Client()
    client.force_login(admin())
    return client.get(path, params)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/dashboard/", {"start": "1999-12-31"}, "start"),
        ("/dashboard/", {"end": "2101-01-01"}, "end"),
        ("/dashboard/", {"start": "0001-01-01", "end": "9999-12-31"}, "start"),
        ("/dashboard/provinces/", {"start": "1900-01-01"}, "start"),
        ("/dashboard/provinces/45/", {"end": "3000-01-01"}, "end"),
        ("/dashboard/sections/", {"start": "1999-01-01"}, "start"),
        ("/dashboard/hot/", {"start": "1999-01-01"}, "start"),
        ("/dashboard/compare/", {"a_start": "1999-01-01"}, "a_start"),
        ("/dashboard/compare/", {"b_end": "2200-01-01"}, "b_end"),
        ("/dashboard/compare/", {"b_start": "2024-05-02", "b_end": "2024-05-01"}, "b_end"),
    ],
)
def test_dashboard_forms_show_the_error_beside_the_field_with_status_400(db, path, params, field):
    response = dashboard(path, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'aria-describedby="id_{field}_error"' in html  # the input names its error (Django's own link)
    assert "<table" in html  # the page still shows the default period


@pytest.mark.parametrize("path", ["summary", "timeseries", "top"])
def test_every_statistics_api_rejects_out_of_range_dates(db, path):
    client = Client()
    client.force_login(admin())
    response = client.get(f"/api/v1/stats/{path}/", {"start": "1999-12-31"})
    assert response.status_code == 400
    assert "start" in response.json()


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        ("2026-11-26T15:59:59", date(2026, 11, 26)),  # 23:59:59 in Shanghai
        ("2026-11-26T16:00:00", date(2026, 11, 27)),  # midnight in Shanghai: the next day
        ("2026-12-31T16:00:00", date(2027, 1, 1)),
    ],
)
def test_a_views_local_day_is_the_shanghai_calendar_day(utc, day):
    from datetime import UTC, datetime

    from django.utils import timezone

    from smartedu.stats.periods import local_day

    when = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert local_day(when) == day == timezone.localdate(when)
