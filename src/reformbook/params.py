"""Validate notebook parameters in the first cell after the ``parameters`` cell.

A bad value fails at once with :class:`ParameterError`, whose message lists what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import metrics
from . import provinces as pv


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class Params:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    index: str | None = None
    years: tuple[int, ...] = ()


def _provinces(provinces) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if isinstance(provinces, str):
        provinces = [provinces]
    if not provinces:
        raise ParameterError("provinces: give at least one province, e.g. [\"TP. Hồ Chí Minh\", \"Hà Nội\"]")
    codes, names = [], []
    for p in provinces:
        try:
            prov = pv.resolve(p)
        except pv.ProvinceError as exc:
            allowed = ", ".join(pv.provinces_63().name_vi)
            raise ParameterError(f"provinces: {exc}\nAllowed (63 provinces, any spelling): {allowed}") from None
        if prov.code not in codes:
            codes.append(prov.code)
            names.append(prov.name_vi)
    return tuple(codes), tuple(names)


def validate(provinces, index: str | None = None, years=None) -> Params:
    codes, names = _provinces(provinces)
    if index is None:
        return Params(codes, names)
    key = str(index).upper().replace("-", "_").replace(" ", "_")
    if key not in metrics.INDICES:
        raise ParameterError(f"index: unknown index {index!r}; available: {', '.join(metrics.INDICES)}")
    available = metrics.index_years(key)
    if years is None:
        years = available
    years = [years] if isinstance(years, int) else list(years)
    bad = [y for y in years if y not in available]
    if bad:
        raise ParameterError(
            f"years: {bad} not available for {key}; available: {', '.join(map(str, available))}"
        )
    return Params(codes, names, key, tuple(sorted(years)))
