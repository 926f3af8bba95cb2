"""Periods of the statistics, and the one rule for a period given by a user (forms and API alike).

Days are calendar days in Asia/Shanghai. A period a user asks for lies within 2000-01-01 … 2100-12-31,
does not end before it starts and spans at most ten years; a missing end is today, a missing start the
90 days up to the end. Errors are Django ``ValidationError``s naming the field, so a form shows them beside
the field and the API answers 400 ``{field: [message]}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

DEFAULT_DAYS = 90
MAX_DAYS = 3660
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def year_before(self) -> Period:
        return Period(_year_before(self.start), _year_before(self.end))


def local_day(when: datetime) -> date:
    """The calendar day of ``when`` in the site's time zone (Asia/Shanghai), as ``timezone.localdate``
    gives it (no time zone is ever activated per request); without its look-up of the current zone,
    which costs a tenth of a view beacon."""
    return when.astimezone(timezone.get_default_timezone()).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


@dataclass(frozen=True)
class Split:
    """A period as whole calendar months (their first days) and the days at its edges outside them."""

    months: list[date]
    edges: list[Period]

    def edge_days(self) -> list[date]:
        return [day for edge in self.edges for day in edge.dates()]


def period_split(period: Period, *, data_end: date | None = None) -> Split:
    """The whole months inside ``period`` and the partial months at its edges (read day by day).

    ``data_end`` is the last day that can hold rows (today: no view is counted on a later day). A month
    whose days after the period all come after it is whole too: a period that ends today reads the
    current month from its monthly row, not day by day.

    A period inside one month (or across a single month boundary) has no whole month: one or two edges.
    """
    first_month = period.start if period.start.day == 1 else next_month(period.start)
    months: list[date] = []
    month = first_month
    while month <= period.end:
        last = next_month(month) - timedelta(days=1)
        if data_end is not None:
            last = min(last, data_end)
        if last > period.end:
            break
        months.append(month)
        month = next_month(month)
    if not months:
        return Split([], [period])
    edges = []
    if period.start < months[0]:
        edges.append(Period(period.start, months[0] - timedelta(days=1)))
    after = next_month(months[-1])
    if after <= period.end:
        edges.append(Period(after, period.end))
    return Split(months, edges)


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def today() -> date:
    return timezone.localdate()


def default_period(*, days: int = DEFAULT_DAYS) -> Period:
    end = today()
    return Period(end - timedelta(days=days - 1), end)


def period_validate(
    *,
    start: date | None,
    end: date | None,
    default: Period | None = None,
    start_field: str = "start",
    end_field: str = "end",
) -> Period:
    """The period a user asked for, with the defaults filled in; ``ValidationError`` naming the field."""
    errors: dict[str, list[str]] = {}
    out_of_range = _("Choose a date from %(first)s to %(last)s.") % {
        "first": FIRST_DAY.isoformat(),
        "last": LAST_DAY.isoformat(),
    }
    for name, value in ((start_field, start), (end_field, end)):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            errors[name] = [out_of_range]
    if errors:
        raise ValidationError(errors)
    if default is None:
        end = end or min(max(today(), FIRST_DAY), LAST_DAY)
        start = start or max(FIRST_DAY, end - timedelta(days=DEFAULT_DAYS - 1))
    else:
        end = end or default.end
        start = start or default.start
    if start > end:
        raise ValidationError({end_field: [_("The end must not come before the start.")]})
    if (end - start).days >= MAX_DAYS:
        raise ValidationError({start_field: [_("A period may span at most ten years.")]})
    return Period(start, end)
