"""Parse and validate notebook parameters in the first cell after the ``parameters`` cell.

A template's parameters arrive in whatever form papermill gives them:

- ``-p provinces "Đà Nẵng"`` → the string ``"Đà Nẵng"``;
- ``-p provinces "Đà Nẵng, Hải Phòng"`` → one string with commas;
- ``-p provinces '["Đà Nẵng", "Hải Phòng"]'`` → a string holding a JSON (or YAML) list;
- ``-y 'provinces: [Đà Nẵng, Hải Phòng]'``, ``-f params.yaml`` and the Python API → a real list;
- ``-p provinces 48`` → the integer 48 (papermill turns digits into numbers), a province code.

Each ``parse_*`` function takes any of these and returns one canonical value, or raises
:class:`ParameterError` whose message gives the value, the reason and what is allowed. Nothing is
guessed: a string that could be read two ways, an unknown name or a year not held is an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from . import provinces as pv
from . import registry
from .data import KINDS


class ParameterError(ValueError):
    pass


@dataclass(frozen=True)
class Params:
    codes: tuple[str, ...]
    names: tuple[str, ...]
    index: str | None = None
    years: tuple[int, ...] = ()


#: Source kinds (``data/sources.csv``, column ``kind``), the values of the sources page's ``kinds``.
SOURCE_KINDS = KINDS  # the sources page's ``kinds`` parameter takes the kinds data/sources.csv uses

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|–|—|\.\.)\s*(\d{4})\s*$")


# --------------------------------------------------------------------------- the forms of a list
def _as_list(name: str, value) -> list:
    """A list parameter from any papermill form: a list, one scalar, a JSON/YAML list in a string,
    or a comma-separated string. ``None`` gives an empty list."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, dict):
        raise ParameterError(f"{name}: {value!r} is a mapping; give a list, e.g. [\"Hà Nội\", \"Đà Nẵng\"]")
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                parsed = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                reason = str(exc).splitlines()[0]
                raise ParameterError(
                    f"{name}: {value!r} starts like a list but does not parse ({reason}); write it as "
                    f"'[\"A\", \"B\"]' (JSON) or 'A, B'") from None
            if not isinstance(parsed, list):
                raise ParameterError(f"{name}: {value!r} does not parse as a list")
            return parsed
        if not text:
            return []
        if "," in text or ";" in text:
            return [part.strip() for part in re.split(r"[,;]", text)]
        return [text]
    return [value]


# --------------------------------------------------------------------------- provinces
def parse_provinces(value, units: str = "63") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Province codes and canonical names from a name, a code, a list of either, a JSON/YAML list
    in a string, or a comma-separated string. Duplicates are dropped, order kept.

    >>> parse_provinces("Đà Nẵng, Hải Phòng")
    (('48', '31'), ('Đà Nẵng', 'Hải Phòng'))
    >>> parse_provinces(48)
    (('48',), ('Đà Nẵng',))
    """
    units = parse_units(units)
    items = _as_list("provinces", value)
    if isinstance(value, str) and len(items) > 1:
        items = _whole_or_parts(value, items, units)
    if not items:
        raise ParameterError(f"provinces: {value!r} gives no province; give at least one province, "
                             "e.g. [\"TP. Hồ Chí Minh\", \"Hà Nội\"] or \"Đà Nẵng, Hải Phòng\"")
    codes, names = [], []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int)):
            raise ParameterError(f"provinces: {item!r} is not a province name or a two-digit code")
        if isinstance(item, str) and not item.strip():
            raise ParameterError(f"provinces: {value!r} has an empty name (a stray comma?)")
        try:
            prov = pv.resolve(str(item), units=units)
        except pv.ProvinceError as exc:
            allowed = ", ".join(pv.names(units).values())
            raise ParameterError(f"provinces: {exc}\nAllowed ({units} units, any spelling, or their "
                                 f"two-digit codes): {allowed}") from None
        if prov.code not in codes:
            codes.append(prov.code)
            names.append(prov.name_vi)
    return tuple(codes), tuple(names)


def _whole_or_parts(value: str, parts: list, units: str) -> list:
    """A string with commas is a list of names, unless the whole string is itself one name; if both
    readings name provinces, it is ambiguous and refused."""
    def resolves(name) -> bool:
        try:
            pv.resolve(str(name), units=units)
            return True
        except pv.ProvinceError:
            return False

    if any(not str(p).strip() for p in parts) or not resolves(value):
        return parts  # (an empty part is reported as a stray comma)
    if all(resolves(p) for p in parts):
        raise ParameterError(f"provinces: {value!r} is ambiguous: it names one province as a whole and several "
                             "when split at the commas; write a list, e.g. '[\"A\", \"B\"]'")
    return [value]


# --------------------------------------------------------------------------- unit sets, indices, kinds
def parse_units(value) -> str:
    """The unit set, ``"63"`` or ``"34"``, from the string or the number.

    >>> parse_units(63), parse_units("34")
    ('63', '34')
    """
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text not in pv.UNIT_SETS:
        raise ParameterError(f"units: {value!r} is not a unit set; allowed: \"63\" (the provinces before "
                             "1 July 2025) or \"34\" (the units after)")
    return text


def index_codes() -> dict[str, str]:
    """Index code → label: the one place parameters look the indices up."""
    return {i.code: i.label for i in registry.default()}  # data/indices.csv


def parse_index(value) -> str:
    """An index code, case-insensitive, with ``-`` or a space for ``_`` ("papi-egov" → "PAPI_EGOV").

    >>> parse_index("dti"), parse_index("papi egov")
    ('DTI', 'PAPI_EGOV')
    """
    available = index_codes()
    if isinstance(value, str):
        key = re.sub(r"[\s\-]+", "_", value.strip()).upper()
        if key in available:
            return key
    raise ParameterError(f"index: unknown index {value!r}; available: {', '.join(available)} "
                         "(any case)")


def parse_indices(value) -> tuple[str, ...]:
    """Index codes from a code, a list, or a comma-separated string (each as :func:`parse_index`).

    >>> parse_indices("dti, par")
    ('DTI', 'PAR')
    """
    items = _as_list("indices", value)
    if not items:
        raise ParameterError(f"indices: {value!r} gives no index; available: {', '.join(index_codes())}")
    return tuple(dict.fromkeys(parse_index(i) for i in items))


def parse_kinds(value) -> tuple[str, ...]:
    """Source kinds from a kind, a list, or a comma-separated string.

    >>> parse_kinds("seed, news")
    ('seed', 'news')
    """
    items = _as_list("kinds", value)
    if not items:
        raise ParameterError(f"kinds: {value!r} gives no kind; allowed: {', '.join(SOURCE_KINDS)}")
    out = []
    for item in items:
        key = str(item).strip().lower()
        if key not in SOURCE_KINDS:
            raise ParameterError(f"kinds: unknown source kind {item!r}; allowed: {', '.join(SOURCE_KINDS)}")
        if key not in out:
            out.append(key)
    return tuple(out)


# --------------------------------------------------------------------------- years
def _year(name: str, item) -> list[int]:
    if isinstance(item, bool) or isinstance(item, float):
        raise ParameterError(f"{name}: {item!r} is not a year; write a whole year such as 2022")
    if isinstance(item, int):
        if 1900 <= item <= 2100:
            return [item]
        raise ParameterError(f"{name}: {item!r} is not a year; write a four-digit year such as 2022")
    if isinstance(item, str):
        text = item.strip()
        if re.fullmatch(r"\d{4}", text):
            return [int(text)]
        m = _RANGE.match(text)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b:
                raise ParameterError(f"{name}: range {item!r} runs backwards; write it as {b}-{a}")
            return list(range(a, b + 1))
    raise ParameterError(f"{name}: {item!r} is not a year; write 2022, a range \"2020-2024\" or a list "
                         "[2022, 2023]")


def parse_years(value, name: str = "years") -> tuple[int, ...] | None:
    """Edition years from a year, a range ("2020-2024", both ends included), a list, or a JSON/YAML
    list in a string. ``None`` (or "None", "all", an empty string) means every edition held.

    >>> parse_years("2020-2022"), parse_years("[2023, 2022]"), parse_years(None)
    ((2020, 2021, 2022), (2022, 2023), None)
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "all")):
        return None
    items = _as_list(name, value)
    if not items:
        raise ParameterError(f"{name}: {value!r} gives no year; give a year, a range or None for all")
    years: set[int] = set()
    for item in items:
        years.update(_year(name, item))
    return tuple(sorted(years))


def parse_year(value, name: str = "year") -> int:
    """Exactly one year, 2024 or "2024". Nothing else is taken (not "[2024]"): a template may use the value
    as given, and would then find nothing for it without saying why."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(f"{name}: {value!r} must be exactly one year, written as 2024")
    return _year(name, value)[0]


# --------------------------------------------------------------------------- what the templates call
def validate(provinces, index: str | None = None, years=None, units: str = "63") -> Params:
    """Check a page's parameters. ``units`` is the unit set the provinces and rankings are among:
    "63" (the provinces before 1 July 2025) or "34" (the units after)."""
    from . import metrics

    units = parse_units(units)
    codes, names = parse_provinces(provinces, units)
    if index is None:
        return Params(codes, names)
    key = parse_index(index)
    available = metrics.index_years(key, units)
    if not available:
        raise ParameterError(f"index: no {key} ranking among the {units} units is held")
    wanted = parse_years(years)
    if wanted is None:
        wanted = tuple(available)
    bad = [y for y in wanted if y not in available]
    if bad:
        raise ParameterError(
            f"years: {bad} not available for {key} among the {units} units; available: "
            f"{', '.join(map(str, available))}"
        )
    return Params(codes, names, key, tuple(sorted(wanted)))


def validate_twice(provinces, index: str, year) -> Params:
    """Parameters of a page that sets one edition's ranking among the 34 beside the one among the 63:
    the provinces are new units (34), and the edition must be held in both rankings."""
    from . import metrics

    year = parse_year(year)
    p = validate(provinces, index=index, years=[year], units="34")
    in_63 = metrics.index_years(p.index, "63")
    if year not in in_63:
        raise ParameterError(f"year: {p.index} {year} is held among the 34 but not among the 63; "
                             f"editions held among both: "
                             f"{', '.join(str(y) for y in metrics.index_years(p.index, '34') if y in in_63)}")
    return p
