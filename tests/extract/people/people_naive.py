"""A naive ArticleDoc builder for people tests (line/sentence split; no statistical model)."""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language

from anigraph.extract.document import ArticleDoc, Segment, WorkRef
from anigraph.models import Article, Source, sha256_text

SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")
BOILER = re.compile(
    r"^(?:Source|Sources|Credit|Image|Photo|Official site|Official Twitter)\s*:|©", re.IGNORECASE
)


@lru_cache(maxsize=1)
def blank() -> Language:
    return spacy.blank("en")


def naive_segments(text: str) -> list[Segment]:
    segments: list[Segment] = []
    pos = 0
    first = True
    about = False
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        body = line.strip()
        if not body:
            continue
        s = start + (len(line) - len(line.lstrip()))
        if first:
            segments.append(Segment(s, s + len(body), body, "headline"))
            first = False
            continue
        if body.casefold().startswith("about the author"):
            about = True
        boiler = about or bool(BOILER.search(body))
        words = body.split()
        if (len(words) <= 12 and not body.endswith((".", "!", "?"))) or (
            ":" in body[:60] and len(words) <= 20
        ):
            kind = "heading" if len(words) <= 3 and ":" not in body else "line"
            segments.append(Segment(s, s + len(body), body, kind, boilerplate=boiler))
            continue
        offset = 0
        for piece in SENT_SPLIT.split(body):
            i = body.index(piece, offset)
            offset = i + len(piece)
            segments.append(Segment(s + i, s + i + len(piece), piece, "sentence", boilerplate=boiler))
    return segments


def naive_adoc(text: str, works: list[str | list[str]] | None = None) -> ArticleDoc:
    """An ArticleDoc over ``text``; ``works`` are titles or [title, alias, …]; the first is the main one."""
    refs = []
    for w in works or []:
        names = [w] if isinstance(w, str) else list(w)
        refs.append(WorkRef(name=names[0], aliases=names[1:]))
    article = Article(text=text, source=Source(sha256=sha256_text(text), path=None))
    return ArticleDoc(
        article=article,
        doc=blank()(text),
        segments=naive_segments(text),
        works=refs,
        main_work=refs[0] if refs else None,
    )
