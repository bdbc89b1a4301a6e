"""Every setting in one place: name, default, environment variable and a help line.

Settings are read from the environment (``ANIGRAPH_*``) and can be overridden by CLI
options. ``tests/test_settings.py`` checks that each one is documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from anigraph.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return "ANIGRAPH_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "sqlite:///anigraph.db", "database URL (SQLAlchemy form); a bare path means SQLite"),
    Setting("max_bytes", str(20 * 1024 * 1024), "largest source file or download accepted, in bytes"),
    Setting("fetch_timeout", "10", "seconds allowed for one HTTP fetch (feeds with --fetch, POSTed URLs)"),
    Setting(
        "fetch_allow",
        "",
        "hosts, addresses or CIDR networks that may be fetched although not public (comma-separated)",
    ),
    Setting("api_token", "", "bearer token that allows POST /api/v1/articles; empty disables writes"),
    Setting("host", "127.0.0.1", "address `anigraph serve` listens on"),
    Setting("port", "8000", "port `anigraph serve` listens on"),
    Setting("jobs", "1", "worker processes for `anigraph ingest`/`extract`"),
    Setting(
        "extract_timeout",
        "60",
        "seconds one article may take to extract before it fails alone (0: no limit; main thread only)",
    ),
    Setting(
        "linker_cache",
        "",
        "where `anigraph resolve` keeps its index between calls: empty for a hidden file beside a SQLite "
        "database (none for other databases), a directory, or `off`",
    ),
    Setting(
        "learned",
        "on",
        "`off` switches the learned models (headline, mentions) off and reads with the rules alone",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str:
    """The value of a setting: its environment variable if set, else its default."""
    try:
        setting = _BY_NAME[name]
    except KeyError as e:
        raise ConfigError(f"unknown setting {name!r}; known: {', '.join(_BY_NAME)}") from e
    return os.environ.get(setting.env, setting.default)


def get_int(name: str) -> int:
    return int(_number(name, int, "a whole number"))


def get_float(name: str) -> float:
    return float(_number(name, float, "a number"))


def _number(name: str, parse: type[int] | type[float], what: str) -> int | float:
    value = get(name)
    try:
        return parse(value)
    except ValueError as e:
        raise ConfigError(f"{_BY_NAME[name].env}={value!r} is not {what}") from e


def database_url(value: str | None = None) -> str:
    """Normalise a --db value: a URL is kept, a bare path becomes ``sqlite:///PATH``."""
    raw = value or get("db")
    if "://" in raw:
        return raw
    return f"sqlite:///{raw}"
