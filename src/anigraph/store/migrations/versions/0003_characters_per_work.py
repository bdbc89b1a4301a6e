"""Characters belong to their work: ``entities.work_id``, and a character shared by works is split.

Before this revision a character mention was linked by name across works, so "Emma" of one show
and "Emma" of another could be one entity. Each character now carries the work it belongs to.
A stored character the claims tie to several works (a work's ``character`` claim naming it, a
``cast`` credit naming one of its spellings) is split into one entity per work: the work tied
first keeps the entity, each other work gets a new one, and

* the work's ``character`` claims point at its own entity;
* the character's own claims (descriptions, affiliations, aliases) go with their sources: a
  source belongs to the work its article ties the character to (else the work the article says
  most about, else the work that keeps the entity); a claim stated for two works is copied,
  each copy keeping its own sources and confidence, and the change log follows the claim;
* an alias goes to every work whose claims or articles use that spelling (one no work uses
  stays with the entity that is kept).

Revision ID: 0003_characters_per_work
Revises: 0002_season_premiere_index
Create Date: 2026-12-08 01:00:00
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from anigraph.names import fold, slugify

revision: str = "0003_characters_per_work"
down_revision: str | None = "0002_season_premiere_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_entities = sa.table(
    "entities",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.Text),
    sa.column("slug", sa.String),
    sa.column("attrs", sa.JSON),
    sa.column("work_id", sa.Integer),
)
_aliases = sa.table(
    "aliases",
    sa.column("id", sa.Integer),
    sa.column("entity_id", sa.Integer),
    sa.column("name", sa.Text),
    sa.column("folded", sa.Text),
    sa.column("kind", sa.String),
    sa.column("language", sa.String),
    sa.column("origin", sa.String),
)
_claims = sa.table(
    "claims",
    sa.column("id", sa.Integer),
    sa.column("subject_id", sa.Integer),
    sa.column("predicate", sa.String),
    sa.column("object", sa.Text),
    sa.column("object_key", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("qualifiers", sa.JSON),
    sa.column("qualifiers_key", sa.String),
    sa.column("confidence", sa.Float),
    sa.column("status", sa.String),
    sa.column("first_seen", sa.DateTime(timezone=True)),
    sa.column("last_seen", sa.DateTime(timezone=True)),
)
_sources = sa.table(
    "claim_sources",
    sa.column("id", sa.Integer),
    sa.column("claim_id", sa.Integer),
    sa.column("article_id", sa.Integer),
    sa.column("origin", sa.String),
    sa.column("confidence", sa.Float),
)
_changes = sa.table(
    "changes",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("subject_id", sa.Integer),
    sa.column("claim_id", sa.Integer),
    sa.column("article_id", sa.Integer),
    sa.column("detail", sa.JSON),
)
_articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("text", sa.Text))
_CHUNK = 500


def upgrade() -> None:
    # on SQLite a copy of the table (``store.engine.upgrade`` turns foreign keys off meanwhile)
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("work_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_entities_work_id_entities"), "entities", ["work_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index(op.f("ix_entities_work_id"), ["work_id"], unique=False)
    _Split(op.get_bind()).run()


def downgrade() -> None:
    """Drop ``work_id``; characters split by the upgrade stay apart."""
    with op.batch_alter_table("entities") as batch:
        batch.drop_index(op.f("ix_entities_work_id"))
        batch.drop_constraint(op.f("fk_entities_work_id_entities"), type_="foreignkey")
        batch.drop_column("work_id")


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    items = sorted(set(ids))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _noisy_or(confidences: Iterable[float]) -> float:
    miss = 1.0
    for c in confidences:
        miss *= 1.0 - min(max(c, 0.0), 1.0)
    return round(1.0 - miss, 6)


class _Split:
    """Give every character its work; split those tied to several (see the module docstring)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        self.kind: dict[int, str] = {}
        self.names: dict[int, tuple[str, str]] = {}  # character -> (name, slug)
        self.slugs: set[str] = set()
        # character -> work -> ids of the work's claims tying it (in id order)
        self.ties: dict[int, dict[int, list[int]]] = defaultdict(dict)
        self.used: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)  # (char, work) -> folded -> text
        self.texts: dict[int, str] = {}  # article -> folded text

    def run(self) -> None:
        c = self.conn
        for eid, kind, name, slug in c.execute(
            sa.select(_entities.c.id, _entities.c.kind, _entities.c.name, _entities.c.slug)
        ):
            self.kind[eid] = kind
            self.slugs.add(slug)
            if kind == "character":
                self.names[eid] = (name, slug)
        if not self.names:
            return
        self._find_ties()
        for char, works in sorted(self.ties.items()):
            order = sorted(works, key=lambda w: works[w][0])  # the work tied first keeps the entity
            if len(order) > 1:
                self._split(char, order)
            c.execute(_entities.update().where(_entities.c.id == char).values(work_id=order[0]))

    # -- which works a character is tied to ---------------------------------------------------------
    def _find_ties(self) -> None:
        by_folded: dict[str, list[int]] = defaultdict(list)
        for eid, folded in self.conn.execute(
            sa.select(_aliases.c.entity_id, _aliases.c.folded).order_by(_aliases.c.entity_id)
        ):
            if eid in self.names and eid not in by_folded[folded]:
                by_folded[folded].append(eid)
        for eid, (name, _slug) in self.names.items():
            if eid not in by_folded[fold(name)]:
                by_folded[fold(name)].append(eid)
        credits: list[tuple[int, int, str]] = []
        rows = self.conn.execute(
            sa.select(
                _claims.c.id,
                _claims.c.subject_id,
                _claims.c.object,
                _claims.c.object_id,
                _claims.c.qualifiers,
            ).order_by(_claims.c.id)
        )
        for cid, subject, obj, object_id, qualifiers in rows:
            if self.kind.get(subject) != "work":
                continue
            if object_id in self.names:
                self._tie(object_id, subject, cid, obj)
            named = (qualifiers or {}).get("character")
            if isinstance(named, str) and named.strip():
                credits.append((cid, subject, named))
        for cid, work, named in credits:  # a credit names a character by a spelling
            found = by_folded.get(fold(named), [])
            tied = [ch for ch in found if work in self.ties.get(ch, {})]
            for ch in tied or found[:1]:
                self._tie(ch, work, cid, named)

    def _tie(self, char: int, work: int, claim_id: int, text: str) -> None:
        claims = self.ties[char].setdefault(work, [])
        if claim_id not in claims:
            claims.append(claim_id)
            claims.sort()
        self.used[(char, work)].setdefault(fold(text), text)

    # -- splitting one character -------------------------------------------------------------------
    def _articles_of(self, claim_ids: Iterable[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = defaultdict(set)
        for chunk in _chunks(claim_ids):
            for cid, aid in self.conn.execute(
                sa.select(_sources.c.claim_id, _sources.c.article_id).where(_sources.c.claim_id.in_(chunk))
            ):
                if aid is not None:
                    out[cid].add(aid)
        return out

    def _text(self, article_id: int) -> str:
        if article_id not in self.texts:
            text = self.conn.execute(
                sa.select(_articles.c.text).where(_articles.c.id == article_id)
            ).scalar_one_or_none()
            self.texts[article_id] = f" {fold(text or '')} "
        return self.texts[article_id]

    def _split(self, char: int, works: list[int]) -> None:
        c = self.conn
        keep = works[0]
        tie_articles = self._articles_of(cid for w in works for cid in self.ties[char][w])
        articles_of_work = {
            w: set().union(*(tie_articles.get(cid, set()) for cid in self.ties[char][w])) for w in works
        }
        # the work an article speaks of for this character: the one it ties it to, else the one it
        # says most about, else the one that keeps the entity
        said: dict[int, dict[int, int]] = defaultdict(dict)  # article -> work -> sources

        def work_of(article_id: int | None) -> int:
            if article_id is None:
                return keep
            tied = [w for w in works if article_id in articles_of_work[w]]
            if tied:
                return tied[0]
            if article_id not in said:
                said[article_id] = {}
                for subject, n in c.execute(
                    sa.select(_claims.c.subject_id, sa.func.count())
                    .select_from(_sources.join(_claims, _claims.c.id == _sources.c.claim_id))
                    .where(_sources.c.article_id == article_id, _claims.c.subject_id.in_(works))
                    .group_by(_claims.c.subject_id)
                ):
                    said[article_id][subject] = n
            counts = said[article_id]
            return max(works, key=lambda w: (counts.get(w, 0), -works.index(w))) if counts else keep

        own = list(
            c.execute(
                sa.select(
                    _claims.c.id,
                    _claims.c.predicate,
                    _claims.c.object,
                    _claims.c.object_key,
                    _claims.c.object_id,
                    _claims.c.qualifiers,
                    _claims.c.qualifiers_key,
                    _claims.c.status,
                    _claims.c.first_seen,
                    _claims.c.last_seen,
                )
                .where(_claims.c.subject_id == char)
                .order_by(_claims.c.id)
            )
        )
        sources: dict[int, list[tuple[int, int | None, str, float]]] = defaultdict(list)
        for chunk in _chunks(r[0] for r in own):
            for sid, cid, aid, origin, conf in c.execute(
                sa.select(
                    _sources.c.id,
                    _sources.c.claim_id,
                    _sources.c.article_id,
                    _sources.c.origin,
                    _sources.c.confidence,
                ).where(_sources.c.claim_id.in_(chunk))
            ):
                sources[cid].append((sid, aid, origin, float(conf or 0.0)))
        # spellings each work uses: in its claims tying the character, in its alias claims, in its articles
        for row in own:
            if row.predicate == "alias":
                for w in {work_of(aid) for _sid, aid, _o, _c in sources[row.id]}:
                    self.used[(char, w)].setdefault(fold(row.object), row.object)
        alias_rows = list(
            c.execute(
                sa.select(
                    _aliases.c.id,
                    _aliases.c.name,
                    _aliases.c.folded,
                    _aliases.c.kind,
                    _aliases.c.language,
                    _aliases.c.origin,
                )
                .where(_aliases.c.entity_id == char)
                .order_by(_aliases.c.id)
            )
        )
        users: dict[int, set[int]] = {}
        for a in alias_rows:
            pattern = re.compile(rf"(?<!\w){re.escape(a.folded)}(?!\w)") if a.folded else None
            users[a.id] = {
                w
                for w in works
                if a.folded in self.used[(char, w)]
                or (
                    pattern is not None
                    and any(pattern.search(self._text(aid)) for aid in sorted(articles_of_work[w]))
                )
            } or {keep}

        name, slug = self.names[char]
        for w in works[1:]:
            new_name = (
                name if fold(name) in self.used[(char, w)] else next(iter(self.used[(char, w)].values()))
            )
            new_id = self._new_character(new_name, w, split_from=slug)
            names = {new_name}
            rows = [
                {
                    "entity_id": new_id,
                    "name": a.name,
                    "folded": a.folded,
                    "kind": a.kind,
                    "language": a.language,
                    "origin": a.origin,
                }
                for a in alias_rows
                if w in users[a.id]
            ]
            names.update(r["name"] for r in rows)
            if new_name not in {r["name"] for r in rows}:
                rows.append(
                    {
                        "entity_id": new_id,
                        "name": new_name,
                        "folded": fold(new_name),
                        "kind": "name",
                        "language": None,
                        "origin": "article",
                    }
                )
            c.execute(_aliases.insert(), rows)
            for cid in self.ties[char][w]:  # the work's claims naming the character name its own
                c.execute(
                    _claims.update()
                    .where(_claims.c.id == cid, _claims.c.object_id == char)
                    .values(object_id=new_id, object_key=f"e:{new_id}")
                )
            for row in own:
                moved = [s for s in sources[row.id] if work_of(s[1]) == w]
                if moved:
                    self._move_claim(row, moved, sources[row.id], new_id, char)
        stay = [a.id for a in alias_rows if keep not in users[a.id] and a.name != name]
        if stay:
            c.execute(_aliases.delete().where(_aliases.c.id.in_(stay)))

    def _new_character(self, name: str, work: int, *, split_from: str) -> int:
        base = slugify(name)[:180].strip("-") or "x"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        new_id: int = self.conn.execute(
            _entities.insert()
            .values(kind="character", name=name, slug=slug, attrs={}, work_id=work)
            .returning(_entities.c.id)
        ).scalar_one()
        self.kind[new_id] = "character"
        self.conn.execute(
            _changes.insert().values(
                kind="entity_created",
                subject_id=new_id,
                detail={"kind": "character", "name": name, "slug": slug, "split_from": split_from},
            )
        )
        return new_id

    def _move_claim(
        self,
        row: Any,
        moved: list[tuple[int, int | None, str, float]],
        every: list[tuple[int, int | None, str, float]],
        new_id: int,
        char: int,
    ) -> None:
        """Give the new character the claim (all its sources moved) or a copy with the moved sources."""
        c = self.conn
        if len(moved) == len(every):
            c.execute(_claims.update().where(_claims.c.id == row.id).values(subject_id=new_id))
            c.execute(
                _changes.update()
                .where(_changes.c.claim_id == row.id, _changes.c.subject_id == char)
                .values(subject_id=new_id)
            )
            every.clear()
            return
        new_claim: int = c.execute(
            _claims.insert()
            .values(
                subject_id=new_id,
                predicate=row.predicate,
                object=row.object,
                object_key=row.object_key,
                object_id=row.object_id,
                qualifiers=row.qualifiers,
                qualifiers_key=row.qualifiers_key,
                confidence=_best(moved),
                status=row.status,
                first_seen=row.first_seen,
                last_seen=row.last_seen,
            )
            .returning(_claims.c.id)
        ).scalar_one()
        ids = [s[0] for s in moved]
        c.execute(_sources.update().where(_sources.c.id.in_(ids)).values(claim_id=new_claim))
        articles = sorted({s[1] for s in moved if s[1] is not None})
        if articles:
            c.execute(
                _changes.update()
                .where(_changes.c.claim_id == row.id, _changes.c.article_id.in_(articles))
                .values(claim_id=new_claim, subject_id=new_id)
            )
        every[:] = [s for s in every if s[0] not in set(ids)]
        c.execute(_claims.update().where(_claims.c.id == row.id).values(confidence=_best(every)))


def _best(sources: list[tuple[int, int | None, str, float]]) -> float:
    """A claim's confidence: noisy-or over its sources, each article (or catalog) once, at its best."""
    best: dict[tuple[str, int | None], float] = {}
    for _sid, aid, origin, conf in sources:
        best[(origin, aid)] = max(best.get((origin, aid), 0.0), conf)
    return _noisy_or(best.values())
