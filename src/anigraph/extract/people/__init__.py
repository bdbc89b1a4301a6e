"""People-centric facts: staff credits, cast, theme songs, characters, known_for.

Entry points: ``PeopleExtractor.load()`` (compiles the data once) called on an
``ArticleDoc``, or the plain function ``extract_people(adoc)``. Only content segments
are read; each fact's subject is the work ``adoc.subject_at`` gives for the statement.
The people, characters and organisations found are appended to ``adoc.entities``.
"""

from __future__ import annotations

import logging

from anigraph.extract.document import ArticleDoc
from anigraph.extract.people.context import PeopleContext, build_context
from anigraph.extract.people.lexicon import PeopleLexicon, load_lexicon
from anigraph.models import EntityMention, Fact
from anigraph.names import fold

log = logging.getLogger(__name__)

__all__ = ["PeopleExtractor", "extract_people"]


class PeopleExtractor:
    """Runs every people component over one article."""

    def __init__(self, lexicon: PeopleLexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def load(cls) -> PeopleExtractor:
        return cls(load_lexicon())

    def __call__(self, adoc: ArticleDoc) -> list[Fact]:
        from anigraph.extract.people import cast, characters, creators, credits, prior_works, songs, studios

        ctx = build_context(adoc, self.lexicon)
        credits.credit_lines(ctx)
        cast.cast_lines(ctx)
        cast.cast_label_lines(ctx)
        credits.prose_credits(ctx)
        credits.inverted_credits(ctx)
        credits.paren_role_credits(ctx)
        creators.original_creators(ctx)
        cast.prose_cast(ctx)
        studios.studios(ctx)
        songs.theme_songs(ctx)
        characters.known_for(ctx)
        prior_works.prior_works(ctx)
        characters.cued_characters(ctx)
        characters.synopsis_characters(ctx)
        characters.finish(ctx)
        credits.copyright_aliases(ctx)
        _publish_entities(ctx)
        log.debug("people: %d facts from %s", len(ctx.facts), adoc.article.source.path)
        return ctx.facts


def _publish_entities(ctx: PeopleContext) -> None:
    existing = {(fold(e.name), e.kind): e for e in ctx.adoc.entities}
    for name, kind, aliases in ctx.entity_kinds():
        found = existing.get((fold(name), kind))
        if found is None:
            mention = EntityMention(name=name, kind=kind, aliases=list(aliases))
            ctx.adoc.entities.append(mention)
            existing[(fold(name), kind)] = mention
        else:
            found.aliases.extend(a for a in aliases if a not in found.aliases)


_DEFAULT: PeopleExtractor | None = None


def extract_people(adoc: ArticleDoc) -> list[Fact]:
    """People-centric facts of one article (uses a module-level extractor)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = PeopleExtractor.load()
    return _DEFAULT(adoc)
