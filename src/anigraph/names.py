"""Name normalisation shared by every stage.

``fold`` makes spellings that readers treat as the same compare equal: Unicode NFKC,
case folding, no diacritics or punctuation, long vowels folded (ō, ou, oo, oh → o;
ū, uu → u). ``person_key`` also ignores token order (Hori Motonobu = Motonobu Hori);
``studio_key`` ignores a leading "Studio" and company suffixes.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

_QUOTES = re.compile(r"[\"'`’‘“”«»「」『』()\[\]{}]")
_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_LONG_O = re.compile(r"(?<=[a-z])(ou|oo|oh)(?![aeiou])")
_LONG_U = re.compile(r"(?<=[a-z])uu")
_COMPANY = re.compile(r"(co\.?,? ?ltd\.?|inc\.?|corporation|corp\.?|llc|k\.k\.)$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Fold a name for comparison (see module docstring)."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.replace("ō", "o").replace("ū", "u").replace("ô", "o").replace("û", "u")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _QUOTES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = _LONG_O.sub("o", text)
    return _LONG_U.sub("u", text)


def person_key(name: str) -> str:
    """Order-free key for a person's name."""
    return " ".join(sorted(fold(name).split()))


def studio_key(name: str) -> str:
    text = _COMPANY.sub("", fold(name)).strip()
    text = re.sub(r"^studio ", "", text)
    text = re.sub(r" studios?$", "", text)
    return text.strip()


def slugify(text: str) -> str:
    """A URL-safe slug (ASCII, lower case, hyphens); spelling kept (no long-vowel folding)."""
    plain = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", str(text)).casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _QUOTES.sub("", plain)
    ascii_only = plain.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")
    if slug:
        return slug
    # a name with no Latin letters (進撃の巨人): a short stable digest keeps ids readable and distinct
    return "t-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
