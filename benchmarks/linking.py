"""Entity-linking benchmark over the whole shared catalog (AniList, Jikan, MAL, AniDB).

    .venv/bin/python benchmarks/linking.py [--seed 7] [--queries 3000] [--baseline 600]

1. Imports the four catalog files of ``../shared/data/catalog`` into a temporary SQLite store
   (``anigraph.store.catalog.import_files``, in a child process so the import's memory does not
   count against the linker) and prints the import timings.
2. Builds the linker from the store (``candidates_from_session``), after removing a held-out
   set of works only AniList lists (2025-26 shows, the stand-in for newly announced ones):
   their titles must come back NIL.
3. Builds mentions with a fixed seed: typos (substitution, insertion, deletion), adjacent
   transpositions, dropped punctuation, dropped subtitles, the other-language title
   (English ↔ romaji), people's names in the other order and with long vowels shortened;
   NIL mentions are the held-out works' titles and invented sequels ("<title> Season 7")
   of works that have no such season in the catalog.
3b. Builds a second set, typos inside sequel markers (reported apart, with its own top-1 and NIL
   accuracy): one edit (deletion, transposition, substitution, insertion; never the first letter)
   inside a marker word of a catalog title (Season, Part, Movie, Cour, Stage, Film, Special,
   Final, Shou, Anniversary), a space dropped or added inside or beside the marker ("Sanno
   Shou", "Season2"), or an ordinal slip ("1th", "2rd"). NIL cases: held-out works' titles with
   a typo'd marker, and known titles with another sequel number (one the catalog lacks) and a
   typo'd marker ("<title> Seaso 7", "<title> 5th Seasn"); those must come back NIL, and any
   entity they link to is counted as a wrong season.
4. Prints top-1 accuracy, NIL accuracy, p50/p99 latency (wall clock, and the thread's CPU time:
   on a shared, loaded machine the wall-clock tail is mostly time spent waiting for a CPU, so the
   load average is printed too) and resident memory, next to a plain
   ``rapidfuzz.process.extractOne(query, all_titles, scorer=fuzz.WRatio, score_cutoff=90)``
   baseline measured in the same run (on a subset: it scans every title per query).

A query is only used when its source title names one entity in the index (two unmerged
catalog rows carrying the same title make the answer ambiguous, not wrong); held-out works
whose exact title still names a remaining work (an unmerged duplicate) are skipped too.
Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import re
import string
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anigraph.resolve.linker import Candidate, Linker

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()
CATALOG = SHARED / "data" / "catalog"
FILES = (
    "anilist-seasonal-2025-2026.csv",
    "jikan-seasonal-sample.csv",
    "mal-top-14000.csv",
    "anidb-titles-2019.dat",
)


def catalog_missing() -> bool:
    """True (after saying so) when the shared catalog files are not there: the benchmark is skipped."""
    missing = [f for f in FILES if not (CATALOG / f).is_file()]
    if missing:
        print(f"../shared catalog not found at {CATALOG} (missing {', '.join(missing)}); benchmark skipped")
    return bool(missing)


TARGETS = {"top1": 0.98, "nil": 0.97, "p99_ms": 10.0, "rss_mb": 300.0}


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _import(url: str, queue: mp.Queue) -> None:  # type: ignore[type-arg]
    from anigraph.store import Store
    from anigraph.store.catalog import import_files

    started = time.perf_counter()
    with Store.open(url) as store:
        results = import_files(store, [CATALOG / f for f in FILES])
    queue.put(
        {
            "files": [
                (Path(p).name, s.records, s.works_created, s.works_merged, s.seconds) for p, s in results
            ],
            "total": time.perf_counter() - started,
            "rss": rss_mb(),
        }
    )


@dataclass(slots=True)
class Query:
    text: str
    kind: str
    expected: int | None  # entity id, None = NIL
    variant: str


def edit_word(w: str, rng: random.Random, how: str) -> str | None:
    """One edit of kind ``how`` inside the word ``w`` (never its first letter)."""
    i = rng.randrange(1, len(w))
    if how == "substitution":
        return w[:i] + rng.choice([c for c in string.ascii_lowercase if c != w[i].lower()]) + w[i + 1 :]
    if how == "insertion":
        return w[:i] + rng.choice(string.ascii_lowercase) + w[i:]
    if how == "deletion":
        return w[:i] + w[i + 1 :]
    # transposition
    if len(w) < 3:
        return None
    i = rng.randrange(1, len(w) - 1)
    if w[i] == w[i + 1]:
        return None
    return w[:i] + w[i + 1] + w[i] + w[i + 2 :]


def typo(text: str, rng: random.Random, how: str) -> str | None:
    """Apply one edit inside a word of 4+ letters (never the first letter)."""
    words = [m for m in re.finditer(r"[A-Za-z]{4,}", text)]
    if not words:
        return None
    m = rng.choice(words)
    new = edit_word(m.group(0), rng, how)
    return None if new is None else text[: m.start()] + new + text[m.end() :]


# sequel markers as catalog titles write them (the words typo'd by the marker set)
MARKER_WORD = re.compile(
    r"\b(?:season|part|movie|cour|stage|film|specials?|final|shou|anniversary)\b", re.IGNORECASE
)
_NUMERAL_WORDS = r"(?:ichi|ni|san|yon|go|roku|nana|hachi)"
SPACED_MARKER = re.compile(
    rf"\b(?:{_NUMERAL_WORDS} no shou|final season|\d{{1,3}}(?:st|nd|rd|th) (?:season|part|cour|stage)"
    r"|(?:season|part|cour|stage) \d{1,2})\b",
    re.IGNORECASE,
)
ORDINAL = re.compile(r"\b(\d{1,3})(st|nd|rd|th)\b", re.IGNORECASE)
NUMBERED = re.compile(
    r"\b(?:(?P<w1>season|part|cour|stage) ?(?P<n1>\d{1,2})|(?P<n2>\d{1,2})(?P<sfx>st|nd|rd|th) "
    r"(?P<w2>season|part|cour|stage))\b",
    re.IGNORECASE,
)
MARKER_EDITS = ("deletion", "transposition", "substitution", "insertion", "ordinal slip", "spacing")


def ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def marker_typo(
    text: str, rng: random.Random, how: str, *, within: tuple[int, int] | None = None
) -> tuple[str, str] | None:
    """(query, what was edited): one edit of kind ``how`` in a sequel marker of ``text``.

    Letter edits go inside a marker word (``within``: only a word in that span); "spacing" drops a
    space inside a marker phrase ("Sanno Shou", "FinalSeason"); "ordinal slip" gives an ordinal
    another suffix ("1th", "2rd").
    """
    if how == "ordinal slip":
        hits = list(ORDINAL.finditer(text))
        if not hits:
            return None
        m = rng.choice(hits)
        wrong = rng.choice([x for x in ("st", "nd", "rd", "th") if x != m.group(2).lower()])
        return text[: m.start(2)] + wrong + text[m.end(2) :], "ordinal"
    if how == "spacing":
        hits = list(SPACED_MARKER.finditer(text))
        if not hits:
            return None
        m = rng.choice(hits)
        gap = rng.choice([i for i in range(m.start(), m.end()) if text[i] == " "])
        return text[:gap] + text[gap + 1 :], "spacing"
    words = [
        m
        for m in MARKER_WORD.finditer(text)
        if within is None or (within[0] <= m.start() and m.end() <= within[1])
    ]
    if not words:
        return None
    m = rng.choice(words)
    new = edit_word(m.group(0), rng, how)
    if new is None:
        return None
    return text[: m.start()] + new + text[m.end() :], m.group(0).lower()


def renumber(text: str, n: int) -> tuple[str, tuple[int, int]] | None:
    """``text`` with its numbered marker ("Season 2", "2nd Season") given the number ``n``, and the span
    of the new marker phrase; None without one."""
    m = NUMBERED.search(text)
    if m is None:
        return None
    if m.group("w1"):
        phrase = f"{m.group('w1')} {n}"
    else:
        phrase = f"{ordinal(n)} {m.group('w2')}"
    return text[: m.start()] + phrase + text[m.end() :], (m.start(), m.start() + len(phrase))


def marker_queries(
    linker: Linker,
    pool: list[Candidate],
    held_works: list[Candidate],
    *,
    rng: random.Random,
    known_target: int,
) -> tuple[list[Query], dict[str, int]]:
    """The typo'd-sequel-marker set (module docstring, 3b): known titles, then the NIL cases."""
    from anigraph.resolve.variants import parse_title

    def titles(c: Candidate) -> list[str]:
        return list(dict.fromkeys([c.name, *(a for a, _o in c.aliases)]))

    queries: list[Query] = []
    counts: dict[str, int] = defaultdict(int)
    turn = 0
    for w in pool:
        if counts["known"] >= known_target:
            break
        sources = [t for t in titles(w) if MARKER_WORD.search(t) or ORDINAL.search(t)]
        sources = [t for t in sources if linker.owners(t) == {w.entity_id}]
        if not sources:
            continue
        src = rng.choice(sources)
        for k in range(len(MARKER_EDITS)):  # the next kind of edit this title allows
            made = marker_typo(src, rng, MARKER_EDITS[(turn + k) % len(MARKER_EDITS)])
            if made is not None:
                break
        if made is None or linker.owners(made[0]) - {w.entity_id}:
            continue  # no marker to edit, or the edit spelt another stored title
        turn += 1
        how = MARKER_EDITS[(turn - 1 + k) % len(MARKER_EDITS)]
        queries.append(Query(made[0], "work", w.entity_id, f"{made[1]}/{how}"))
        counts["known"] += 1
    letter_edits = MARKER_EDITS[:4]
    for w in held_works:  # unknown titles (not in the index) with a typo'd marker
        sources = [t for t in titles(w) if MARKER_WORD.search(t) and not linker.owners(t)]
        if not sources:
            continue
        made = marker_typo(rng.choice(sources), rng, rng.choice(letter_edits))
        if made is not None and not linker.owners(made[0]):
            queries.append(Query(made[0], "work", None, "held-out work"))
            counts["held-out work"] += 1
    for w in pool:  # another sequel number of a known title, one the catalog lacks
        if counts["other sequel number"] >= 300:
            break
        for src in titles(w):
            n = rng.randint(2, 12)
            moved = renumber(src, n)
            if moved is None or moved[0] == src or linker.owners(moved[0]):
                continue
            made = marker_typo(moved[0], rng, rng.choice(letter_edits), within=moved[1])
            if made is not None and not linker.owners(made[0]):
                queries.append(Query(made[0], "work", None, "other sequel number"))
                counts["other sequel number"] += 1
            break
    for w in pool:  # a first season's title with a typo'd marker and a season the catalog lacks
        if counts["invented sequel"] >= 200:
            break
        form = parse_title(w.name)
        if form.sig or len(form.key) < 6:
            continue
        n = rng.randint(2, 9)
        word = rng.choice(["Season", "Part"])
        clean = f"{w.name} {word} {n}" if rng.random() < 0.5 else f"{w.name} {ordinal(n)} {word}"
        if linker.owners(clean):
            continue
        made = marker_typo(clean, rng, rng.choice(letter_edits), within=(len(w.name), len(clean)))
        if made is not None and not linker.owners(made[0]):
            queries.append(Query(made[0], "work", None, "invented sequel"))
            counts["invented sequel"] += 1
    return queries, counts


def report_markers(linker: Linker, queries: list[Query], counts: dict[str, int], *, show_errors: int) -> None:
    ok = nil_ok = n_known = n_nil = 0
    by_marker: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_edit: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        res = linker.link(q.text, kind=q.kind)
        got = res.match.entity_id if res.match else None
        right = got == q.expected
        marker, _, how = q.variant.partition("/")
        for table, key in ((by_marker, marker), (by_edit, how or marker)):
            table[key][0] += right
            table[key][1] += 1
        if q.expected is None:
            n_nil += 1
            nil_ok += right
        else:
            n_known += 1
            ok += right
        if not right and len(errors[marker]) < show_errors:
            errors[marker].append(f"{q.text!r} → {res.match.name if res.match else 'NIL'}")
    print("\n== sequel markers with typos (same linker) ==")
    print(
        f"  queries: {n_known} known, {n_nil} NIL ({counts['held-out work']} held-out works, "
        f"{counts['other sequel number']} other sequel numbers, {counts['invented sequel']} invented sequels)"
    )
    for name, table in (("marker", by_marker), ("edit", by_edit)):
        print(f"  by {name}:")
        for key in sorted(table, key=lambda k: -table[k][1]):
            right, total = table[key]
            shown = "; ".join(errors.get(key, [])) if name == "marker" else ""
            print(f"    {key:20} {right:5}/{total:<5}  {'e.g. ' + shown if shown else ''}")
    print(
        f"  top-1 accuracy {ok / max(n_known, 1):.2%} (target ≥ {TARGETS['top1']:.0%})   "
        f"NIL accuracy {nil_ok / max(n_nil, 1):.2%} (target ≥ {TARGETS['nil']:.0%}); "
        f"NIL cases linked to an entity (a wrong season or show): {n_nil - nil_ok}"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--queries", type=int, default=3000, help="known-entity queries (NIL adds ~30%%)")
    ap.add_argument("--baseline", type=int, default=600, help="queries also run through the baseline")
    ap.add_argument("--cutoff", type=float, default=90.0, help="baseline WRatio score_cutoff")
    ap.add_argument("--db", help="reuse a store that already holds the four catalogs (skips the import)")
    ap.add_argument("--show-errors", type=int, default=2, help="failed queries to print per variant")
    ap.add_argument(
        "--marker-queries", type=int, default=1200, help="known titles with a typo'd sequel marker"
    )
    args = ap.parse_args()
    if catalog_missing():
        return 0
    sys.path.insert(0, str(REPO / "src"))
    if args.db:
        url = args.db
        print(f"== reusing catalog store {url} (no import) ==")
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='anigraph-bench-')}/catalog.db"
        ctx = mp.get_context("spawn")
        queue: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
        child = ctx.Process(target=_import, args=(url, queue))
        child.start()
        imported = queue.get()
        child.join()
        print("== catalog import into SQLite (temp store) ==")
        for name, records, created, merged, seconds in imported["files"]:
            print(
                f"  {name:34} {records:6} records  {created:6} new works  {merged:6} merged  {seconds:6.1f}s"
            )
        print(
            f"  total {imported['total']:.1f}s (with migrations); import process RSS {imported['rss']:.0f} MB"
        )

    from rapidfuzz import fuzz, process, utils

    from anigraph.resolve.linker import Linker
    from anigraph.resolve.variants import parse_title, title_head
    from anigraph.store import Store
    from anigraph.store.catalog import candidates_from_session

    rng = random.Random(args.seed)
    base_rss = rss_mb()
    with Store.open(url) as store, store.session() as session:
        cands = candidates_from_session(session)
    works = [c for c in cands if c.kind == "work"]
    people = [c for c in cands if c.kind == "person"]

    # Held out: works only AniList lists (2025-26 shows), the stand-in for a newly announced show.
    def only_anilist(c: Candidate) -> bool:
        origins = {o for _a, o in c.aliases}
        return "anilist" in origins and origins <= {"anilist", "jikan"}

    anilist_only = [i for i, c in enumerate(works) if only_anilist(c)]
    held = set(rng.sample(anilist_only, min(400, len(anilist_only))))
    held_works = [works[i] for i in sorted(held)]
    kept = [c for i, c in enumerate(works) if i not in held] + [c for c in cands if c.kind != "work"]
    t0 = time.perf_counter()
    linker = Linker(kept)
    linker.build()
    build_s = time.perf_counter() - t0
    linker_rss = rss_mb()

    def unique(text: str, eid: int) -> bool:
        """``text`` names exactly ``eid`` in the index (not a title two entities share)."""
        return linker.owners(text) == {eid}

    queries: list[Query] = []
    pool = [w for i, w in enumerate(works) if i not in held]
    rng.shuffle(pool)
    kinds = ["substitution", "insertion", "deletion", "transposition", "punctuation", "subtitle", "language"]
    per_variant: dict[str, int] = defaultdict(int)
    n_work_target = int(args.queries * 0.8)
    for w in pool:
        if len(queries) >= n_work_target:
            break
        variant = kinds[len(queries) % len(kinds)]
        q: str | None = None
        src = w.name
        if variant in {"substitution", "insertion", "deletion", "transposition"}:
            if len(parse_title(src).key) >= 8:
                q = typo(src, rng, variant)
        elif variant == "punctuation":
            if re.search(r"[^\w\s]", src):
                q = re.sub(r"\s+", " ", re.sub(r"[^\w\s]", "", src)).strip()
        elif variant == "subtitle":
            head = title_head(src)
            if head and unique(head, w.entity_id):
                q = head
        else:
            other = [a for a in w.aliases if w.alias_kinds.get(a[0]) in {"English title", "romaji title"}]
            other = [a for a, _o in other if parse_title(a).key != parse_title(src).key]
            if other:
                src = q = rng.choice(other)
        if not q or not unique(src, w.entity_id):
            continue
        queries.append(Query(q, "work", w.entity_id, variant))
        per_variant[variant] += 1

    rng.shuffle(people)
    for p in people:
        if len(queries) >= args.queries:
            break
        tokens = p.name.split()
        if len(tokens) != 2:
            continue
        q = f"{tokens[1]} {tokens[0]}"
        if rng.random() < 0.5:
            q = q.replace("ou", "o").replace("uu", "u").replace("oo", "o")
        queries.append(Query(q, "person", p.entity_id, "person name order"))
        per_variant["person name order"] += 1

    nil_held = 0
    for w in held_works:
        if linker.owners(w.name):
            continue  # the same title still names a kept work (an unmerged duplicate): not a NIL case
        queries.append(Query(w.name, "work", None, "held-out work"))
        nil_held += 1
    sequels = 0
    for w in pool:
        if sequels >= 400:
            break
        f = parse_title(w.name)
        if f.sig or len(f.key) < 6:
            continue
        n = rng.randint(3, 9)
        q = f"{w.name} Season {n}"
        if linker.owners(q):
            continue
        queries.append(Query(q, "work", None, "invented sequel"))
        sequels += 1

    marker_set, marker_counts = marker_queries(
        linker, pool, held_works, rng=random.Random(args.seed + 1), known_target=args.marker_queries
    )

    lat: list[float] = []
    cpu: list[float] = []
    ok = nil_ok = n_known = n_nil = 0
    errors: dict[str, list[str]] = defaultdict(list)
    by_variant_ok: dict[str, int] = defaultdict(int)
    by_variant_n: dict[str, int] = defaultdict(int)
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        res = linker.link(q.text, kind=q.kind)
        lat.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        got = res.match.entity_id if res.match else None
        by_variant_n[q.variant] += 1
        if got == q.expected:
            by_variant_ok[q.variant] += 1
        elif len(errors[q.variant]) < args.show_errors:
            errors[q.variant].append(f"{q.text!r} → {res.match.name if res.match else 'NIL'}")
        if q.expected is None:
            n_nil += 1
            nil_ok += got is None
        else:
            n_known += 1
            ok += got == q.expected
    lat.sort()
    cpu.sort()
    p50, p99 = lat[len(lat) // 2], lat[int(len(lat) * 0.99)]
    cpu99 = cpu[int(len(cpu) * 0.99)]
    rss = rss_mb()

    # baseline: one WRatio scan over every title
    titles: list[str] = []
    owner_of: list[int] = []
    names: list[str] = []
    name_owner: list[int] = []
    for c in kept:
        target_titles, target_owner = (titles, owner_of) if c.kind == "work" else (names, name_owner)
        if c.kind not in {"work", "person"}:
            continue
        for text in dict.fromkeys([c.name, *(a for a, _o in c.aliases)]):
            target_titles.append(utils.default_process(text))
            target_owner.append(c.entity_id)
    sample = rng.sample(queries, min(args.baseline, len(queries)))
    b_ok = b_nil = b_known = b_niln = 0
    b_lat: list[float] = []
    for q in sample:
        choices, own = (titles, owner_of) if q.kind == "work" else (names, name_owner)
        t = time.perf_counter()
        hit = process.extractOne(
            utils.default_process(q.text),
            choices,
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=args.cutoff,
        )
        b_lat.append((time.perf_counter() - t) * 1000)
        got = own[hit[2]] if hit else None
        if q.expected is None:
            b_niln += 1
            b_nil += got is None
        else:
            b_known += 1
            b_ok += got == q.expected
    b_lat.sort()

    print("\n== linker (in memory, candidates read from the temp SQLite store) ==")
    print(f"  index: {len(linker)} entities, {linker.alias_count()} alias keys, built in {build_s:.1f}s")
    print(f"  queries: {n_known} known, {n_nil} NIL ({nil_held} held-out works, {sequels} invented sequels)")
    for v in sorted(by_variant_n):
        print(f"    {v:20} {by_variant_ok[v]:5}/{by_variant_n[v]:<5}  e.g. {'; '.join(errors[v])}")
    print(
        f"  top-1 accuracy {ok / n_known:.2%} (target ≥ {TARGETS['top1']:.0%})   "
        f"NIL accuracy {nil_ok / n_nil:.2%} (target ≥ {TARGETS['nil']:.0%})"
    )
    print(
        f"  latency p50 {p50:.2f} ms  p99 {p99:.2f} ms (target ≤ {TARGETS['p99_ms']:.0f} ms); "
        f"CPU time p99 {cpu99:.2f} ms; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"  resident memory {rss:.0f} MB (before loading {base_rss:.0f} MB, after build {linker_rss:.0f} MB; "
        f"target < {TARGETS['rss_mb']:.0f} MB)"
    )
    report_markers(linker, marker_set, marker_counts, show_errors=args.show_errors)
    print(f"\n== baseline: extractOne(WRatio, score_cutoff={args.cutoff:.0f}) over {len(titles)} titles ==")
    b_top1, b_nil_acc = b_ok / max(b_known, 1), b_nil / max(b_niln, 1)
    print(
        f"  {len(sample)} sampled queries: top-1 {b_top1:.2%}  NIL {b_nil_acc:.2%}  "
        f"p50 {b_lat[len(b_lat) // 2]:.1f} ms  p99 {b_lat[int(len(b_lat) * 0.99)]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
