"""The extraction pipeline (placeholder: headline only, to be replaced by the real pipeline)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from anigraph.models import Article, Evidence, Extraction, Fact


class Extractor:
    """Loads the spaCy pipeline and pattern data once; extracts facts from articles."""

    @classmethod
    def load(cls) -> Extractor:
        return cls()

    def extract(self, article: Article) -> Extraction:
        facts: list[Fact] = []
        first = article.text.split("\n", 1)[0].strip()
        if first:
            start = article.text.index(first)
            facts.append(
                Fact(
                    subject=first,
                    subject_type="article",
                    predicate="headline",
                    object=first,
                    evidence=Evidence(start, start + len(first), first),
                )
            )
        return Extraction(article=article, facts=facts)

    def pipe(self, articles: Iterable[Article], *, batch_size: int = 32) -> Iterator[Extraction]:
        for article in articles:
            yield self.extract(article)
