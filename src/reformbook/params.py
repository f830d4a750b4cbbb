"""Validate notebook parameters in the first cell after the ``parameters`` cell.

A bad value fails at once with :class:`ParameterError`, whose message lists what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import metrics
from . import provinces as pv
from . import registry


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class Params:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    index: str | None = None
    years: tuple[int, ...] = ()


def _provinces(provinces, units: str = "63") -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(provinces, str):
        provinces = [provinces]
    if not provinces:
        raise ParameterError("provinces: give at least one province, e.g. [\"TP. Hồ Chí Minh\", \"Hà Nội\"]")
    codes, names = [], []
    for p in provinces:
        try:
            prov = pv.resolve(p, units=units)
        except pv.ProvinceError as exc:
            allowed = ", ".join(pv.names(units).values())
            raise ParameterError(f"provinces: {exc}\nAllowed ({units} units, any spelling): {allowed}") from None
        if prov.code not in codes:
            codes.append(prov.code)
            names.append(prov.name_vi)
    return tuple(codes), tuple(names)


def validate(provinces, index: str | None = None, years=None, units: str = "63") -> Params:
    """Check a page's parameters. ``units`` is the unit set the provinces and rankings are among:
    "63" (the provinces before 1 July 2025) or "34" (the units after)."""
    if units not in pv.UNIT_SETS:
        raise ParameterError(f"units: {units!r} must be \"63\" or \"34\"")
    codes, names = _provinces(provinces, units)
    if index is None:
        return Params(codes, names)
    key = str(index).upper().replace("-", "_").replace(" ", "_")
    indices = registry.default()  # data/indices.csv
    if key not in indices:
        raise ParameterError(f"index: unknown index {index!r}; available: {', '.join(indices.codes())}")
    available = metrics.index_years(key, units)
    if not available:
        raise ParameterError(f"index: no {key} ranking among the {units} units is held")
    if years is None:
        years = available
    years = [years] if isinstance(years, int) else list(years)
    bad = [y for y in years if y not in available]
    if bad:
        raise ParameterError(
            f"years: {bad} not available for {key} among the {units} units; available: "
            f"{', '.join(map(str, available))}"
        )
    return Params(codes, names, key, tuple(sorted(years)))


def validate_twice(provinces, index: str, year: int) -> Params:
    """Parameters of a page that sets one edition's ranking among the 34 beside the one among the 63:
    the provinces are new units (34), and the edition must be held in both rankings."""
    p = validate(provinces, index=index, years=[year], units="34")
    in_63 = metrics.index_years(p.index, "63")
    if year not in in_63:
        raise ParameterError(f"year: {p.index} {year} is held among the 34 but not among the 63; "
                             f"editions held among both: "
                             f"{', '.join(str(y) for y in metrics.index_years(p.index, '34') if y in in_63)}")
    return p
