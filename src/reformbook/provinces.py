"""Province names → official two-digit codes, for the 63 pre-2025 provinces and the 34 units since 2025.

Resolution is table-driven and strict. A name resolves when it matches, in this order:

1. a canonical name, an English name or a listed alias (``data/reference/aliases.csv``) exactly;
2. the same after normalisation: Unicode NFC, case, Vietnamese tone-mark placement ("Hoà" = "Hòa"),
   dashes, dots, spacing and the "TP."/"Thành phố"/"Tỉnh" prefixes;
3. the same with every diacritic removed (ASCII folding, via ``unidecode``).

Anything else raises :class:`ProvinceError`, naming the input and the closest provinces
(suggestions via ``rapidfuzz``). A name that matches two provinces after folding is an error too:
we never guess.

Why not ``vietnamadminunits.parse_address``: it is an address parser that returns the best fuzzy
match, so it silently maps a pre-2025 province to its post-2025 unit ("Bà Rịa – Vũng Tàu" becomes
TP. Hồ Chí Minh) and returns ``None`` for some spellings ("Hoà Bình" in 2025 mode). The tests use it
as an independent cross-check of our code tables instead.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
from rapidfuzz import fuzz, process
from unidecode import unidecode

from .paths import DATA
from .periods import period_bounds

#: Day the 34-unit structure took effect (Resolution 202/2025/QH15; new governments from 1 July 2025).
REORGANISATION_DATE = dt.date(2025, 7, 1)
UNIT_SETS = ("63", "34")
NATIONAL_CODE = "VN"

_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "3", "\u0309": "4", "\u0323": "5"}
_PUNCT = re.compile(r"[\s\-\u2010-\u2015\u2212._,;:/()'\"’‘“”]+")
_PREFIXES = (("thanh", "pho"), ("tp",), ("tinh",))


class ProvinceError(ValueError):
    """A province name or code that does not resolve to exactly one unit."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class Province:
    code: str  # official two-digit code within its unit set
    name_vi: str  # short canonical Vietnamese name, e.g. "TP. Hồ Chí Minh"
    units: str  # "63" (before 1 July 2025) or "34" (from 1 July 2025)

    def __str__(self) -> str:
        return f"{self.code}\t{self.name_vi}"


# --------------------------------------------------------------------------- normalisation
def _tokens(name: str) -> list[tuple[str, str]]:
    """Split a name into (toned_token, ascii_token) pairs, prefixes removed.

    The toned token keeps vowel marks and đ, with the tone moved to the end of the syllable so
    that old- and new-style tone placement ("hoà"/"hòa") give the same key.
    """
    text = unicodedata.normalize("NFD", unicodedata.normalize("NFC", str(name)).casefold())
    out = []
    for raw in _PUNCT.split(text):
        if not raw:
            continue
        tone = "".join(_TONES[c] for c in raw if c in _TONES)
        base = "".join(c for c in raw if c not in _TONES)
        toned = unicodedata.normalize("NFC", base) + tone
        out.append((toned, unidecode(unicodedata.normalize("NFC", base)).lower()))
    ascii_tokens = [a for _, a in out]
    for prefix in _PREFIXES:
        if tuple(ascii_tokens[: len(prefix)]) == prefix and len(out) > len(prefix):
            out = out[len(prefix):]
            break
    return out


def normalise(name: str) -> str:
    """Key that ignores case, Unicode form, tone placement, punctuation and prefixes."""
    return " ".join(t for t, _ in _tokens(name))


def fold(name: str) -> str:
    """``normalise`` with every diacritic removed (ASCII)."""
    return " ".join(a for _, a in _tokens(name))


def squash(name: str) -> str:
    """``fold`` with the spaces (and so the hyphens) removed: "Hai Phong" and "Haiphong" meet."""
    return fold(name).replace(" ", "")


# --------------------------------------------------------------------------- reference tables
@lru_cache(maxsize=None)
def provinces_63() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference" / "provinces_63.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def merger() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference" / "merger_2025.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def units_34() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference" / "units_34.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def former_provinces() -> pd.DataFrame:
    """Provinces that no longer existed by 2008 (Hà Tây, merged into Hà Nội; those split in 1989 and 1997),
    with the codes (among the 63) of the provinces that took them over."""
    return pd.read_csv(DATA / "reference" / "former_provinces.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def aliases() -> pd.DataFrame:
    return pd.read_csv(DATA / "reference" / "aliases.csv", dtype=str, keep_default_na=False)


def units_for(when) -> str:
    """The unit set in force at the end of ``when``: '34' from 1 July 2025, else '63'.

    ``when`` is a year (int), a date, or any period string (``2025``, ``2025-Q2``, ``2024-03-01..
    2025-08-31``). A period that ends on or after 1 July 2025 counts as the 34: a whole year 2025 is
    reported, and an index edition for 2025 is assessed, by the new units.

    >>> units_for(2024), units_for("2025-Q2"), units_for("2025"), units_for(dt.date(2025, 7, 1))
    ('63', '63', '34', '34')
    """
    if isinstance(when, dt.date):
        end = when
    else:
        end = period_bounds(str(when))[1]
    return "34" if end >= REORGANISATION_DATE else "63"


def n_units(units: str) -> int:
    return {"63": 63, "34": 34}[units]


@dataclass(frozen=True)
class _Index:
    exact: dict[str, str]
    toned: dict[str, set[str]]
    folded: dict[str, set[str]]
    names: dict[str, str]  # code -> canonical short name
    gone: dict[str, tuple[str, str]]  # folded key of a 63-name absent from 34 -> (old name, new code)
    squashed: dict[str, set[str]] = field(default_factory=dict)  # folded, spaces removed ("haiphong")


def _add(index: _Index, name: str, code: str) -> None:
    index.exact.setdefault(unicodedata.normalize("NFC", name.strip()), code)
    index.toned.setdefault(normalise(name), set()).add(code)
    index.folded.setdefault(fold(name), set()).add(code)
    index.squashed.setdefault(squash(name), set()).add(code)


@lru_cache(maxsize=None)
def _index(units: str) -> _Index:
    if units not in UNIT_SETS:
        raise ValueError(f"units must be one of {UNIT_SETS}, got {units!r}")
    p63, m, u34, al = provinces_63(), merger(), units_34(), aliases()
    if units == "63":
        idx = _Index({}, {}, {}, dict(zip(p63.code, p63.name_vi)), {})
        for row in p63.itertuples():
            _add(idx, row.name_vi, row.code)
            _add(idx, row.name_en, row.code)
        for row in al.itertuples():
            _add(idx, row.alias, row.code)
        return idx
    idx = _Index({}, {}, {}, dict(zip(u34.code, u34.name_vi)), {})
    for row in u34.itertuples():
        _add(idx, row.name_vi, row.code)
        _add(idx, row.full_name_vi, row.code)
        _add(idx, row.name_en, row.code)
    # A pre-2025 spelling still names a unit after 1 July 2025 when that province was not merged
    # (e.g. Thừa Thiên Huế → Huế, same unit) or when the merged unit kept its name (TP.HCM).
    new_of = dict(zip(m.old_code, m.new_code))
    merged = dict(zip(m.old_code, m.merged_with))
    old_name = dict(zip(p63.code, p63.name_vi))
    for old_code, new_code in new_of.items():
        continues = not merged[old_code] or fold(old_name[old_code]) == fold(idx.names[new_code])
        spellings = [old_name[old_code]] + list(al.loc[al.code == old_code, "alias"])
        spellings += list(p63.loc[p63.code == old_code, "name_en"])
        for s in spellings:
            if continues:
                _add(idx, s, new_code)
            else:
                idx.gone.setdefault(fold(s), (old_name[old_code], new_code))
    return idx


# --------------------------------------------------------------------------- public API
def resolve(name: str, units: str = "63", when=None) -> Province:
    """Resolve one name (or a two-digit code) to a :class:`Province`.

    ``when`` (a year, ISO date or date) picks the unit set: on or after 1 July 2025 the 34 units.
    """
    if when is not None:
        units = units_for(when)
    idx = _index(units)
    text = str(name).strip()
    if re.fullmatch(r"\d{1,2}", text):
        code = text.zfill(2)
        if code in idx.names:
            return Province(code, idx.names[code], units)
        raise ProvinceError(
            f"unknown province code {text!r} among the {units} units; valid codes: "
            + ", ".join(sorted(idx.names))
        )
    nfc = unicodedata.normalize("NFC", text)
    if nfc in idx.exact:
        code = idx.exact[nfc]
        return Province(code, idx.names[code], units)
    # with tone marks, folded to ASCII, then run together ("Haiphong", "Cantho", "Daklak"): each
    # only when it still means one unit
    for table, key in ((idx.toned, normalise(text)), (idx.folded, fold(text)), (idx.squashed, squash(text))):
        codes = table.get(key, set())
        if len(codes) == 1:
            code = next(iter(codes))
            return Province(code, idx.names[code], units)
        if len(codes) > 1:
            options = ", ".join(f"{idx.names[c]} ({c})" for c in sorted(codes))
            raise ProvinceError(f"ambiguous province name {name!r}: matches {options}", sorted(codes))
    gone = {squash(k): v for k, v in idx.gone.items()}
    if squash(text) in gone:
        old, new = gone[squash(text)]
        raise ProvinceError(
            f"{name!r} names {old}, which no longer exists among the 34 units from "
            f"{REORGANISATION_DATE.isoformat()}: it is part of {idx.names[new]} ({new}). "
            "Use the new unit, or a period before the reorganisation.",
            [new],
        )
    _refuse_former(name, units)
    raise ProvinceError(
        f"unknown province name {name!r} among the {units} units; did you mean: "
        + ", ".join(f"{idx.names[c]} ({c})" for c in suggest(text, units)) + "?",
        suggest(text, units),
    )


def _refuse_former(name: str, units: str) -> None:
    """A province that had ceased to exist before the 63 (e.g. Hà Tây, merged into Hà Nội in 2008) is an
    error that says so and names its successors, rather than a fuzzy suggestion ("Tây Ninh")."""
    key = squash(name)
    for row in former_provinces().itertuples():
        if key not in (squash(row.name_vi), squash(row.name_en)):
            continue
        codes = row.successor_codes_63.split()
        then = " and ".join(f"{name_of(c, '63')} ({c})" for c in codes)
        message = f"{name!r} names {row.name_vi}, a former province: {row.change} {then} in {row.year}"
        if units == "34":
            codes = list(dict.fromkeys(successor(c) for c in codes))
            message += (f", part of {' and '.join(f'{name_of(c, units)} ({c})' for c in codes)} since "
                        f"{REORGANISATION_DATE.isoformat()}")
        succ = [f"{name_of(c, units)} ({c})" for c in codes]
        raise ProvinceError(
            f"{message}; it is not among the {units} units. Use "
            + (succ[0] if len(succ) == 1 else "one of " + ", ".join(succ)) + ".", codes)


def suggest(name: str, units: str = "63", limit: int = 3) -> list[str]:
    """Codes of the provinces whose names are closest to ``name``."""
    idx = _index(units)
    keys = list(idx.folded)
    found = process.extract(fold(name) or str(name), keys, scorer=fuzz.WRatio, limit=limit * 4)
    codes: list[str] = []
    for key, _score, _ in found:
        for code in sorted(idx.folded[key]):
            if code not in codes:
                codes.append(code)
    return codes[:limit]


def names(units: str = "63") -> dict[str, str]:
    """Code → canonical short name of every unit in the set (63 before the 2025 reform, 34 after)."""
    return dict(_index(units).names)


def name_of(code: str, units: str = "63") -> str:
    code = str(code)
    if code == NATIONAL_CODE:
        return "Cả nước"
    names = _index(units).names
    if code not in names:
        raise ProvinceError(f"unknown province code {code!r} among the {units} units")
    return names[code]


def successor(old_code: str) -> str:
    """Code of the post-2025 unit that took over a pre-2025 province."""
    row = merger().loc[lambda d: d.old_code == old_code]
    if row.empty:
        raise ProvinceError(f"unknown pre-2025 province code {old_code!r}")
    return row.new_code.iloc[0]


def predecessors(new_code: str) -> list[str]:
    """Codes of the pre-2025 provinces that make up a post-2025 unit."""
    found = merger().loc[lambda d: d.new_code == new_code, "old_code"].tolist()
    if not found:
        raise ProvinceError(f"unknown post-2025 unit code {new_code!r}")
    return found
