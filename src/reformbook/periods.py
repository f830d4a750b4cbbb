"""Periods as written in the data: a year, half, quarter, month, ISO week, day, or a range ``A..B``.

>>> period_bounds("2023")
(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
>>> period_bounds("2025-Q3")
(datetime.date(2025, 7, 1), datetime.date(2025, 9, 30))
>>> period_bounds("2024-02-26..2024-12-31")
(datetime.date(2024, 2, 26), datetime.date(2024, 12, 31))
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_ONE = re.compile(
    r"^(?P<y>\d{4})(?:-(?:H(?P<h>[12])|Q(?P<q>[1-4])|W(?P<w>\d{2})|(?P<m>\d{2})(?:-(?P<d>\d{2}))?))?$"
)


class PeriodError(ValueError):
    pass


def _one(text: str) -> tuple[dt.date, dt.date]:
    m = _ONE.match(text)
    if not m:
        raise PeriodError(
            f"malformed period {text!r}: use YYYY, YYYY-H1, YYYY-Q3, YYYY-MM, YYYY-Www, YYYY-MM-DD or A..B"
        )
    y = int(m["y"])
    try:
        if m["h"]:
            h = int(m["h"])
            return dt.date(y, 1 if h == 1 else 7, 1), dt.date(y, 6 if h == 1 else 12, 30 if h == 1 else 31)
        if m["q"]:
            q = int(m["q"])
            end_month = 3 * q
            return dt.date(y, end_month - 2, 1), dt.date(y, end_month, calendar.monthrange(y, end_month)[1])
        if m["w"]:
            start = dt.date.fromisocalendar(y, int(m["w"]), 1)
            return start, start + dt.timedelta(days=6)
        if m["m"]:
            mo = int(m["m"])
            if m["d"]:
                day = dt.date(y, mo, int(m["d"]))
                return day, day
            return dt.date(y, mo, 1), dt.date(y, mo, calendar.monthrange(y, mo)[1])
    except ValueError as exc:
        raise PeriodError(f"malformed period {text!r}: {exc}") from None
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day covered by a period string; raises :class:`PeriodError` if malformed."""
    text = str(period).strip()
    if ".." in text:
        a, b = text.split("..", 1)
        start, end = _one(a)[0], _one(b)[1]
        if end < start:
            raise PeriodError(f"malformed period {text!r}: range ends before it starts")
        return start, end
    return _one(text)


def year_of(period: str) -> int:
    """Year of the period's last day (the year a stock or flow is reported for)."""
    return period_bounds(period)[1].year
