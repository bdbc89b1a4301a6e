"""Scoring one (mention, alias) pair, with a reason a person can read.

Scores are in [0, 1]. An exact folded match scores 1.0; punctuation or spacing only, 0.99;
each edit (substitution, insertion, deletion, adjacent transposition: OSA distance on the
compact keys) costs about 0.05 plus a share of the key length, and more edits than the
length allows (``variants.max_edits``) rule the pair out. Sequel signatures must agree, and so
must the numbers two differing titles state ("Gundam 0083" is not a typo of "Gundam 0080").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import partial

from rapidfuzz.distance import OSA

from anigraph.names import fold
from anigraph.resolve.variants import (
    TitleForm,
    compact,
    describe_numbers,
    describe_sig,
    explain_edits,
    light_fold,
    max_edits,
    numbers,
)

MATCH_THRESHOLD = 0.8
HEAD_PENALTY = 0.06
# A mention whose subtitle no catalog knows is more often a new film, arc or season than the
# franchise's first work: the franchise is shown as a candidate but never matched on that alone.
QUERY_HEAD_PENALTY = 0.25
YEAR_PENALTY = 0.02
# a sequel marker put back ("Seaso 2" read as "Season 2") costs what one edit costs elsewhere:
# 0.04 plus half the edit's share of the title's length
MARKER_TYPO_PENALTY = 0.04
FILM_PENALTY = 0.03
CONTEXT_STEP = 0.03
CONTEXT_CAP = 0.06

ORIGIN_NAMES = {
    "anilist": "AniList",
    "mal": "MyAnimeList",
    "jikan": "MyAnimeList (Jikan)",
    "anidb": "AniDB",
    "manami": "manami",
    "article": "an article",
}


Reason = str | Callable[[], str]


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    reason: tuple[Reason, ...]  # parts of the explanation; callables are formatted only when shown
    rejected: bool = False  # ruled out (sequel markers, numbers or year disagree); kept for explanations

    @property
    def why(self) -> str:
        return explain(self.reason)


def explain(reason: tuple[Reason, ...]) -> str:
    return "; ".join(r if isinstance(r, str) else r() for r in reason)


def _exact_why(query: TitleForm, alias: TitleForm, query_text: str, alias_text: str) -> str:
    if light_fold(query_text) == light_fold(alias_text):
        return "exact"
    if query.core != alias.core:
        return "punctuation or spacing differs"
    if query.folded != alias.folded:
        return "same core title"
    return "same after folding (long vowels, macrons, punctuation)"


def score_title(
    query: TitleForm,
    alias: TitleForm,
    *,
    alias_sig: tuple[str, ...],
    query_text: str,
    alias_text: str,
    kind: str,
) -> PairScore | None:
    """Score a mention against one alias; None when they are too far apart to explain."""
    why: Reason
    numbers_differ = ""
    if query.key == alias.key:
        base = 1.0 if query.core == alias.core else 0.99
        why = partial(_exact_why, query, alias, query_text, alias_text)
    else:
        length = max(len(query.key), len(alias.key))
        allowed = max_edits(min(len(query.key), len(alias.key)), kind=kind)
        d = OSA.distance(query.key, alias.key, score_cutoff=allowed) if allowed else allowed + 1
        if d > allowed:
            return _misspelt_marker(
                query, alias, alias_sig=alias_sig, query_text=query_text, alias_text=alias_text
            )
        base = 0.96 - 0.05 * (d - 1) - 0.5 * d / length
        why = partial(explain_edits, query_text, alias_text)
        numbers_differ = _numbers_differ(query.core, alias.core, shown=(query.folded, alias.folded))
    if alias_sig != query.sig:
        if not numbers_differ and _film_named_without_marker(query, alias, alias_sig):
            return PairScore(base - FILM_PENALTY, (why, "film named without 'movie'"))
        # "Wagnaria3" for "Wagnaria!!3": the number left in the core is the alias's marker
        fixed = _misspelt_marker(
            query, alias, alias_sig=alias_sig, query_text=query_text, alias_text=alias_text
        )
        if fixed is not None:
            return fixed
    if numbers_differ:
        return PairScore(round(base * 0.4, 3), (why, numbers_differ), rejected=True)
    if alias_sig != query.sig:
        differ = f"sequel markers differ ({describe_sig(query.sig)} vs {describe_sig(alias_sig)})"
        return PairScore(round(base * 0.4, 3), (why, differ), rejected=True)
    if query.year and alias.year and query.year != alias.year:
        return PairScore(round(base * 0.4, 3), (why, f"year differs ({query.year} vs {alias.year})"), True)
    if (query.year is None) != (alias.year is None):
        base -= YEAR_PENALTY
    return PairScore(base, (why,))


_DIGITS = re.compile(r"\d+")
_FILM_WORD = re.compile(r"\b(?:movie|film|gekijo ?ban)\b|劇場版")
_BARE_FILM = re.compile(r"^(?:gekijo ?ban|劇場版|the movie|movie)\b|\b(?:movie|film)(?: \d+)?$")


def _film_named_without_marker(query: TitleForm, alias: TitleForm, alias_sig: tuple[str, ...]) -> bool:
    """News often drops "Movie": "Jujutsu Kaisen 0" for "Jujutsu Kaisen 0 Movie".

    Allowed when "movie" is the only difference and something else still tells the film from
    the series: another marker ("0") or a subtitle around the marker ("X Movie: Subtitle"); a
    bare "<franchise> Movie" keeps needing the word.
    """
    if "movie" not in alias_sig or "movie" in query.sig or not _FILM_WORD.search(alias.folded):
        return False  # (a film's franchise name carries "movie" only implicitly: not enough)
    if tuple(m for m in alias_sig if m != "movie") != query.sig:
        return False
    return bool(query.sig) or not _BARE_FILM.search(alias.folded)


def _misspelt_marker(
    query: TitleForm, alias: TitleForm, *, alias_sig: tuple[str, ...], query_text: str, alias_text: str
) -> PairScore | None:
    """ "Moviie", "2nd Seasqon": a misspelt sequel marker stays in the query's core; compare whole titles."""
    if query.sig or not alias_sig or len(query.key) <= len(alias.key):
        return None  # the query must carry something the alias's core lacks (the garbled marker)
    full_q, full_a = compact(query.folded), compact(alias.folded)
    length = max(len(full_q), len(full_a))
    allowed = max_edits(min(len(full_q), len(full_a)), kind="work")
    d = OSA.distance(full_q, full_a, score_cutoff=allowed) if allowed else allowed + 1
    if d > allowed or _numbers_differ(query.folded, alias.folded):
        return None
    why = (partial(explain_edits, query_text, alias_text), "sequel marker misspelt")
    return PairScore(0.96 - 0.05 * (d - 1) - 0.5 * d / length, why)


def _numbers_differ(query: str, alias: str, *, shown: tuple[str, str] | None = None) -> str:
    """Why two folded titles within typo distance still name different works ("" when they agree).

    A typo changes letters; a different number ("43" for "38", "3.0" for "2.0", "2nd" for "3rd")
    is another instalment of a franchise: another work. ``shown`` are the whole titles to quote
    when the compared texts are cores (a core lacks the numbers its sequel markers carried).
    """
    q_nums, a_nums = numbers(query), numbers(alias)
    if q_nums == a_nums or numbers(query, misspelt_words=True) == a_nums:
        return ""
    if shown is not None and numbers(shown[0]) != numbers(shown[1]):
        q_nums, a_nums = numbers(shown[0]), numbers(shown[1])
    return f"numbers differ ({describe_numbers(q_nums)} vs {describe_numbers(a_nums)})"


def score_name(
    query_key: str, alias_key: str, *, query_text: str, alias_text: str, kind: str
) -> PairScore | None:
    """Score a person, studio or character name (keys already folded and compacted)."""
    if query_key == alias_key:
        if sorted(light_fold(query_text).split()) == sorted(light_fold(alias_text).split()):
            return PairScore(1.0, ("exact",))
        return PairScore(0.99, ("same after folding (long vowels, punctuation)",))
    length = max(len(query_key), len(alias_key))
    allowed = max_edits(min(len(query_key), len(alias_key)), kind=kind)
    if allowed == 0:
        return None
    d = OSA.distance(query_key, alias_key, score_cutoff=allowed)
    if d > allowed or _DIGITS.findall(query_key) != _DIGITS.findall(alias_key):
        return None  # too far apart, or other numbers ("Android 17", "Android 18"): another one
    score = 0.96 - 0.05 * (d - 1) - 0.5 * d / length
    return PairScore(score, (partial(explain_edits, query_text, alias_text),))


def context_key(name: str) -> str:
    """Order-free folded key for context names (staff, studios)."""
    return " ".join(sorted(fold(name).split()))


def context_bonus(query_context: AbstractSet[str], candidate_context: frozenset[str]) -> tuple[float, str]:
    hits = sorted(query_context & candidate_context)
    if not hits:
        return 0.0, ""
    bonus = min(CONTEXT_CAP, CONTEXT_STEP * len(hits))
    shown = ", ".join(repr(h) for h in hits[:3])
    return bonus, f"context supports it ({shown})"
