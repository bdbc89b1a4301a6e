"""Catalog readers: AniList/Jikan/MAL CSV exports, the AniDB titles dump, manami JSON(L).

Each reader turns one file into ``CatalogRecord`` values (one per work) and repairs the
quirks the files are known to have: floats written as text (``58567.0``), doubled genre
strings (``ActionAction``), ``add some`` placeholders, padded dates, ``Name (Role)`` staff
with nested parentheses, ``aid|type|lang|title`` lines with ``|`` inside titles. Nothing
here touches the database; ``anigraph.store.catalog`` writes the records.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from anigraph.errors import ResolveError

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("anilist-csv", "jikan-csv", "mal-csv", "anidb-titles", "manami-json")
csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class AliasRecord:
    name: str
    kind: str  # title | romaji | english | native | synonym | short | official
    language: str | None = None


@dataclass(slots=True)
class CatalogRecord:
    """One work as one catalog file describes it."""

    origin: str  # anilist | jikan | mal | anidb | manami
    title: str
    aliases: list[AliasRecord] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # anilist | mal | anidb | kitsu | … → id
    type: str | None = None  # tv | tv_short | movie | ova | ona | special | music | cm
    episodes: int | None = None
    season: str | None = None  # "2025-winter"
    year: int | None = None
    start_date: str | None = None  # YYYY[-MM[-DD]]
    end_date: str | None = None
    status: str | None = None  # finished | releasing | not_yet_released
    studios: list[str] = field(default_factory=list)  # animation studios
    companies: list[str] = field(default_factory=list)  # producers, licensors, broadcasters
    genres: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    staff: list[tuple[str, str]] = field(default_factory=list)  # (person name, role as written)
    characters: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def all_titles(self) -> list[AliasRecord]:
        """The primary title first, then every alias, without repeats."""
        seen: set[str] = set()
        out: list[AliasRecord] = []
        for a in [AliasRecord(self.title, "title"), *self.aliases]:
            if a.name and a.name not in seen:
                seen.add(a.name)
                out.append(a)
        return out


# --- small parsers -----------------------------------------------------------------------

_PLACEHOLDERS = {"", "none", "none found", "add some", "unknown", "n/a", "nan", "null"}
_SPACES = re.compile(r"\s+")


def clean(text: str | None) -> str:
    """Collapse whitespace (including ``\\r\\n`` inside names) and trim."""
    return _SPACES.sub(" ", text or "").strip()


def to_int(text: str | None) -> int | None:
    """``'13.0'`` → 13; blanks, placeholders and junk → None."""
    value = clean(text).replace(",", "")
    if value.casefold() in _PLACEHOLDERS:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


def split_list(text: str | None, *, sep: str) -> list[str]:
    """Split a list field, drop placeholders (``add some``, ``None found``), de-duplicate."""
    out: list[str] = []
    for part in (text or "").split(sep):
        item = clean(part)
        if item.casefold() in _PLACEHOLDERS or item in out:
            continue
        out.append(item)
    return out


def undouble(token: str) -> str:
    """``'ActionAction'`` → ``'Action'``; other strings unchanged."""
    half = len(token) // 2
    if len(token) % 2 == 0 and half and token[:half] == token[half:]:
        return token[:half]
    return token


def split_staff(entry: str) -> tuple[str, str] | None:
    """``'AIMYON (Theme Song Performance (ED))'`` → ``('AIMYON', 'Theme Song Performance (ED)')``."""
    entry = clean(entry)
    if not entry:
        return None
    cut = entry.find(" (")
    if cut < 0:
        return (entry, "")
    name = clean(entry[:cut])
    role = entry[cut + 2 :]
    if role.endswith(")"):
        role = role[:-1]
    return (name, clean(role)) if name else None


_TYPES = {
    "tv": "tv",
    "tv_short": "tv_short",
    "movie": "movie",
    "ova": "ova",
    "ona": "ona",
    "special": "special",
    "tv special": "special",
    "tv_special": "special",
    "music": "music",
    "cm": "cm",
    "pv": "cm",
}


def norm_type(text: str | None) -> str | None:
    value = clean(text).casefold()
    return _TYPES.get(value) if value and value != "unknown" else None


def norm_status(text: str | None) -> str | None:
    value = clean(text).casefold().replace("_", " ")
    if value in {"finished", "finished airing"}:
        return "finished"
    if value in {"releasing", "currently airing", "ongoing"}:
        return "releasing"
    if value in {"not yet released", "not yet aired", "upcoming"}:
        return "not_yet_released"
    return None


def norm_season(text: str | None) -> tuple[str | None, int | None]:
    """``'WINTER 2025'`` / ``'winter 1970'`` → ``('2025-winter', 2025)``; ``'None None'`` → (None, None)."""
    parts = clean(text).casefold().split()
    if len(parts) == 2 and parts[0] in {"winter", "spring", "summer", "fall"} and parts[1].isdigit():
        return f"{parts[1]}-{parts[0]}", int(parts[1])
    return None, None


def trim_padded_date(date: str | None, *, aired: bool) -> str | None:
    """Undo the AniList collector's padding: an unaired ``2026-10-01`` means ``2026-10``."""
    date = clean(date)
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return date or None
    if aired:
        return date
    if date.endswith("-01-01"):
        return date[:4]
    if date.endswith("-01"):
        return date[:7]
    return date


_DATE_FORMATS: tuple[tuple[str, int], ...] = (
    ("%b %d, %Y", 3),
    ("%b %Y", 2),
    ("%Y", 1),
    ("%d-%b-%y", 3),
    ("%b-%y", 2),
)


def parse_mal_date(text: str, *, pivot: int = 2023) -> str | None:
    """One end of MAL's ``Aired`` field: ``Apr 5, 2009``, ``26-Jun-14``, ``Oct-54``, ``2008``."""
    text = clean(text)
    for fmt, precision in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        year = parsed.year
        if "%y" in fmt and year > pivot:  # two-digit years lost their century: 54 → 1954
            year -= 100
        full = f"{year:04d}-{parsed.month:02d}-{parsed.day:02d}"
        return full[: {1: 4, 2: 7, 3: 10}[precision]]
    return None


def parse_mal_aired(text: str | None) -> tuple[str | None, str | None]:
    raw = clean(text)
    if not raw or raw.casefold() == "not available":
        return None, None
    start, _, end = raw.partition(" to ")
    return parse_mal_date(start), (parse_mal_date(end) if end and end != "?" else None)


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date and re.match(r"\d{4}", date) else None


# Catalog staff roles (AniList wording) → fact predicates; other roles stay in attrs only.
ROLE_PREDICATES: dict[str, str] = {
    "director": "director",
    "chief director": "chief_director",
    "series director": "chief_director",
    "assistant director": "assistant_director",
    "series composition": "series_composition",
    "script": "screenplay",
    "screenplay": "screenplay",
    "storyboard": "storyboard",
    "character design": "character_design",
    "chief animation director": "chief_animation_director",
    "animation director": "animation_director",
    "art director": "art_director",
    "color design": "color_design",
    "director of photography": "director_of_photography",
    "editing": "editing",
    "sound director": "sound_director",
    "music": "music",
    "original creator": "original_creator",
    "original story": "original_creator",
    "mechanical design": "mechanical_design",
    "creature design": "creature_design",
    "prop design": "prop_design",
    "cg director": "cg_director",
    "3dcg director": "cg_director",
    "action director": "action_director",
    "producer": "producer",
    "planning": "planning",
    "chief supervisor": "chief_supervisor",
    "supervisor": "supervisor",
}


def role_predicate(role: str) -> str | None:
    """``'Director '`` → ``'director'``; ``'Theme Song Performance (ED)'`` → None."""
    base = clean(role.split(" (")[0]).casefold()
    return ROLE_PREDICATES.get(base)


# --- readers -------------------------------------------------------------------------------


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def read_anilist_csv(path: Path) -> Iterator[CatalogRecord]:
    for row in _csv_rows(path):
        title = clean(row.get("title")) or clean(row.get("english_title"))
        if not title:
            continue
        aliases = [
            AliasRecord(title, "romaji", "x-jat" if row.get("country_of_origin", "JP") == "JP" else None)
        ]
        if english := clean(row.get("english_title")):
            aliases.append(AliasRecord(english, "english", "en"))
        if native := clean(row.get("japanese_title")):
            aliases.append(AliasRecord(native, "native", "ja"))
        aliases += [AliasRecord(s, "synonym") for s in split_list(row.get("synonyms"), sep=";")]
        ids = {"anilist": str(to_int(row.get("anime_id")) or "")}
        if (mal := to_int(row.get("mal_id"))) is not None:
            ids["mal"] = str(mal)
        status = norm_status(row.get("status"))
        season, year = norm_season(row.get("season"))
        if season is None:
            season, year = norm_season(f"{row.get('season', '')} {row.get('season_year', '')}")
        start = trim_padded_date(row.get("start_date"), aired=status in {"finished", "releasing"})
        staff = [s for s in (split_staff(e) for e in (row.get("main_staff") or "").split(";")) if s]
        yield CatalogRecord(
            origin="anilist",
            title=title,
            aliases=aliases,
            ids={k: v for k, v in ids.items() if v},
            type=norm_type(row.get("type")),
            episodes=to_int(row.get("episodes")),
            season=season,
            year=year_of(start) or year,
            start_date=start,
            end_date=clean(row.get("end_date")) or None,
            status=status,
            studios=split_list(row.get("main_studios"), sep=";"),
            companies=split_list(row.get("studios"), sep=";"),
            genres=split_list(row.get("genres"), sep=";"),
            tags=split_list(row.get("tags"), sep=";"),
            staff=staff,
            characters=split_list(row.get("main_characters"), sep=";"),
            extra={"source": clean(row.get("source")).casefold() or None, "url": clean(row.get("site_url"))},
        )


def read_jikan_csv(path: Path) -> Iterator[CatalogRecord]:
    for row in _csv_rows(path):
        title = clean(row.get("title"))
        if not title:
            continue
        aliases = [AliasRecord(title, "romaji", "x-jat")]
        if english := clean(row.get("english_title")):
            aliases.append(AliasRecord(english, "english", "en"))
        if native := clean(row.get("japanese_title")):
            aliases.append(AliasRecord(native, "native", "ja"))
        season, year = norm_season(row.get("season"))
        start = clean(row.get("start_date")) or None
        genres = split_list(row.get("genres"), sep=";")
        yield CatalogRecord(
            origin="jikan",
            title=title,
            aliases=aliases,
            ids={"mal": str(to_int(row.get("anime_id")))} if to_int(row.get("anime_id")) else {},
            type=norm_type(row.get("type")),
            episodes=to_int(row.get("episodes")),
            season=season,
            year=year_of(start) or year,
            start_date=start,
            end_date=clean(row.get("end_date")) or None,
            status=norm_status(row.get("status")),
            studios=split_list(row.get("studios"), sep=";"),
            companies=split_list(row.get("producers"), sep=";"),
            genres=genres,
            tags=split_list(row.get("themes"), sep=";") + split_list(row.get("demographics"), sep=";"),
            extra={"source": clean(row.get("source")).casefold() or None},
        )


def read_mal_csv(path: Path) -> Iterator[CatalogRecord]:
    for row in _csv_rows(path):
        title = clean(row.get("Title"))
        if not title:
            continue
        aliases = [AliasRecord(title, "romaji", "x-jat")]
        native = clean(row.get("Japanese"))
        if native and native.casefold() not in _PLACEHOLDERS:
            aliases.append(AliasRecord(native, "native", "ja"))
        start, end = parse_mal_aired(row.get("Aired"))
        yield CatalogRecord(
            origin="mal",
            title=title,
            aliases=aliases,
            type=norm_type(row.get("Type")),
            episodes=to_int(row.get("Episodes")),
            year=year_of(start),
            start_date=start,
            end_date=end,
            status=norm_status(row.get("Status")),
            studios=split_list(row.get("Studios"), sep=","),
            companies=split_list(row.get("Producers"), sep=",") + split_list(row.get("Licensors"), sep=","),
            genres=[undouble(g) for g in split_list(row.get("Genres"), sep=",")],
            tags=[undouble(t) for t in split_list(row.get("Themes"), sep=",")],
            extra={"rank": to_int(row.get("Ranking")), "source": clean(row.get("Source")).casefold() or None},
        )


_ANIDB_KIND = {"1": "title", "2": "synonym", "3": "short", "4": "official"}
_OFFICIAL_KIND = {"en": "english", "ja": "native", "x-jat": "romaji"}


def _open_text(path: Path) -> io.TextIOBase:
    with path.open("rb") as fh:
        magic = fh.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8")


def read_anidb_titles(path: Path) -> Iterator[CatalogRecord]:
    """Group ``aid|type|language|title`` lines by aid (lines are in title order, not by aid)."""
    by_aid: dict[int, list[tuple[str, str, str]]] = {}
    with _open_text(path) as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("|", 3)
            if len(parts) != 4 or not parts[0].isdigit():
                raise ResolveError(f"{path}:{lineno}: expected aid|type|language|title, got {line[:80]!r}")
            aid_text, kind, lang, title = parts
            by_aid.setdefault(int(aid_text), []).append((kind, lang, title.strip()))
    for aid in sorted(by_aid):
        lines = by_aid[aid]
        primary = next((t for k, _lang, t in lines if k == "1"), lines[0][2])
        aliases: list[AliasRecord] = []
        for kind, lang, title in sorted(lines, key=lambda x: x[0]):
            alias_kind = _ANIDB_KIND.get(kind, "synonym")
            if alias_kind == "official":
                alias_kind = _OFFICIAL_KIND.get(lang, "official")
            elif alias_kind == "title":
                alias_kind = "romaji" if lang.startswith("x-") else "title"
            aliases.append(AliasRecord(title, alias_kind, lang or None))
        yield CatalogRecord(origin="anidb", title=primary, aliases=aliases, ids={"anidb": str(aid)})


MAX_ID_LENGTH = 32  # external_ids.value
_SOURCE_URL = re.compile(
    r"https?://(?:www\.)?(anilist\.co|myanimelist\.net|anidb\.net|kitsu\.(?:io|app)|anisearch\.com"
    r"|livechart\.me|anime-planet\.com|notify\.moe|simkl\.com)/anime/(?:a)?([\w-]+)"
)
_SOURCE_NAME = {
    "anilist.co": "anilist",
    "myanimelist.net": "mal",
    "anidb.net": "anidb",
    "kitsu.io": "kitsu",
    "kitsu.app": "kitsu",
    "anisearch.com": "anisearch",
    "livechart.me": "livechart",
    "anime-planet.com": "animeplanet",
    "notify.moe": "notify",
    "simkl.com": "simkl",
}


def ids_from_urls(urls: list[str]) -> dict[str, str]:
    """``https://myanimelist.net/anime/1`` → ``{'mal': '1'}`` (first URL per site wins)."""
    ids: dict[str, str] = {}
    for url in urls:
        m = _SOURCE_URL.match(url.strip())
        if m and len(m.group(2)) <= MAX_ID_LENGTH:  # anime-planet slugs can be long; ids are short
            ids.setdefault(_SOURCE_NAME[m.group(1)], m.group(2))
    return ids


def _manami_record(obj: dict[str, Any]) -> CatalogRecord | None:
    title = clean(str(obj.get("title") or ""))
    sources = [str(s) for s in obj.get("sources") or []]
    if not title or not isinstance(obj.get("sources"), list):
        return None
    season_obj = obj.get("animeSeason") or {}
    year = season_obj.get("year") if isinstance(season_obj.get("year"), int) else None
    season_name = str(season_obj.get("season") or "").casefold()
    season = (
        f"{year}-{season_name}" if year and season_name in {"winter", "spring", "summer", "fall"} else None
    )
    studios = [clean(str(s)) for s in obj.get("studios") or [] if clean(str(s))]
    return CatalogRecord(
        origin="manami",
        title=title,
        aliases=[AliasRecord(title, "title")]
        + [AliasRecord(clean(str(s)), "synonym") for s in obj.get("synonyms") or [] if clean(str(s))],
        ids=ids_from_urls(sources),
        type=norm_type(str(obj.get("type") or "")),
        episodes=obj.get("episodes") if isinstance(obj.get("episodes"), int) and obj["episodes"] else None,
        season=season,
        year=year,
        start_date=str(year) if year else None,
        status=norm_status(str(obj.get("status") or "")),
        studios=list(dict.fromkeys(studios)),
        tags=[str(t) for t in obj.get("tags") or []],
        extra={"sources": sources},
    )


def read_manami(path: Path) -> Iterator[CatalogRecord]:
    """manami anime-offline-database: ``{"data": [...]}`` JSON, or JSON Lines (header line optional)."""
    with _open_text(path) as fh:
        text = fh.read()
    objects: list[Any]
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError:
        doc = None
        objects = []
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise ResolveError(f"{path}:{lineno}: not a JSON object ({e.msg})") from e
    if isinstance(doc, dict):
        objects = doc["data"] if isinstance(doc.get("data"), list) else [doc]
    elif isinstance(doc, list):
        objects = doc
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        record = _manami_record(obj)
        if record is not None:  # header objects ($schema, license, lastUpdate) have no sources
            yield record


READERS: dict[str, Callable[[Path], Iterator[CatalogRecord]]] = {
    "anilist-csv": read_anilist_csv,
    "jikan-csv": read_jikan_csv,
    "mal-csv": read_mal_csv,
    "anidb-titles": read_anidb_titles,
    "manami-json": read_manami,
}


def detect_format(path: Path) -> str:
    """Guess a catalog file's format from its first bytes (CSV header, JSON, ``aid|type|…``)."""
    try:
        with _open_text(path) as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError) as e:
        raise ResolveError(f"{path}: cannot read catalog file ({e})") from e
    first = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    if head.lstrip().startswith(("{", "[")):
        return "manami-json"
    columns = {c.strip() for c in next(csv.reader([first]), [])}
    if {"anime_id", "mal_id", "title"} <= columns:
        return "anilist-csv"
    if {"anime_id", "title", "producers"} <= columns:
        return "jikan-csv"
    if {"Ranking", "Title", "Aired"} <= columns:
        return "mal-csv"
    body = [ln for ln in head.splitlines() if ln and not ln.startswith("#")]
    if body and re.match(r"^\d+\|[1-4]\|[\w-]*\|", body[0]):
        return "anidb-titles"
    raise ResolveError(f"{path}: unknown catalog format; pass --format ({', '.join(FORMATS)})")


def read_catalog(path: Path | str, *, fmt: str = "auto") -> Iterator[CatalogRecord]:
    """Read one catalog file (format detected unless given)."""
    p = Path(path)
    if not p.is_file():
        raise ResolveError(f"{p}: catalog file not found")
    name = detect_format(p) if fmt == "auto" else fmt
    if name not in READERS:
        raise ResolveError(f"unknown catalog format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
    log.info("reading %s as %s", p, name)
    return READERS[name](p)
