"""Bulk ingest on Dask: 1 worker against 2 on a generated news archive, into PostgreSQL.

    .venv/bin/python benchmarks/bulk.py [--pages 20000] [--anime 0.1] [--shard 1000] [--pg URL]

Writes an archive of ``--pages`` pages (benchmarks/archive.py: ``--anime`` of them anime articles
varied from the fixtures with invented names, the rest other news and near misses), half as WARC
shards and half as JSON Lines shards, then runs ``anigraph ingest --dask local:1`` and
``--dask local:2`` on all of it, each into a fresh PostgreSQL schema (loopback only; ``--pg`` or
``ANIGRAPH_TEST_PG``, default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Each run is a
spawned driver process, so its peak resident memory is its own (the LocalCluster's scheduler runs in
it; the workers are separate processes and not counted).

It prints, for each run: pages/s and articles/s over the whole run and after the workers were ready
(their extractors loaded), failures, the driver's peak memory (target < 300 MB); the speed-up of 2
workers over 1 (target >= 1.6); the relevance filter's pages/s on one core (target >= 2000) and its
precision and recall on the generated pages (their labels), on the hand-written labelled pages in
fixtures/relevance, and its recall on the shared corpus of real anime articles when ../shared is
there; and, for scale, a plain one-process ``anigraph ingest`` of the kept pages alone (no Dask, no
filter, model loading excluded). The last line holds the headline numbers as ``key=value``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()
PG = os.environ.get("ANIGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _schema_url(base: str, schema: str) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def _admin(base: str, sql: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(sql))
    engine.dispose()


def _run(sources: list[str], url: str, workers: int, out: Any) -> None:
    """One bulk run in this (spawned) process; sends its summary and peak memory back."""
    from anigraph.bulk import ingest_with_dask
    from anigraph.store import Store

    with Store.open(url) as store:
        summary = ingest_with_dask(sources, store=store, address=f"local:{workers}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    first_failures = [str(f) for f in summary.failures[:5]]
    out.send({**summary.to_json(), "failures": first_failures, "peak_mb": peak})


def _one_process(sources: list[str], url: str, _workers: int, out: Any) -> None:
    """A plain one-process ``anigraph ingest`` (no Dask, no filter) of ``sources``, model loading excluded."""
    from anigraph.extract import Extractor
    from anigraph.pipeline import ingest
    from anigraph.store import Store

    extractor = Extractor.load()
    with Store.open(url) as store:
        summary = ingest(sources, store=store, extractor=extractor)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.send({**summary.to_json(), "peak_mb": peak})


def bulk_run(sources: list[str], base: str, workers: int, *, target: Any = _run) -> dict[str, Any]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    _admin(base, f'CREATE SCHEMA "{schema}"')
    try:
        ctx = multiprocessing.get_context("spawn")
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=target, args=(sources, _schema_url(base, schema), workers, send))
        proc.start()
        result: dict[str, Any] = recv.recv()
        proc.join()
        return result
    finally:
        _admin(base, f'DROP SCHEMA "{schema}" CASCADE')


def filter_numbers(pages: list[archive.GenPage]) -> dict[str, float]:
    from anigraph.bulk.relevance import RelevanceFilter

    filt = RelevanceFilter.load()
    bodies = [archive.html(p) for p in pages]
    began = time.perf_counter()
    cpu = time.process_time()
    kept = [filt.keep_html(b) for b in bodies]
    wall, cpu = time.perf_counter() - began, time.process_time() - cpu
    tp = sum(k and p.anime for k, p in zip(kept, pages, strict=True))
    out = {
        "filter_pages_per_s": len(bodies) / wall,
        "filter_pages_per_cpu_s": len(bodies) / cpu,
        "filter_kb_per_page": sum(map(len, bodies)) / len(bodies) / 1024,
        "precision_generated": tp / max(sum(kept), 1),
        "recall_generated": tp / max(sum(p.anime for p in pages), 1),
    }
    rows = [json.loads(x) for x in (REPO / "fixtures/relevance/labelled.jsonl").read_text().splitlines()[1:]]
    hand = [(filt.judge(f"{r['title']}\n{r['text']}").keep, r["anime"]) for r in rows]
    tp = sum(k and a for k, a in hand)
    out["precision_hand"] = tp / max(sum(k for k, _ in hand), 1)
    out["recall_hand"] = tp / max(sum(a for _, a in hand), 1)
    real = sorted(SHARED.glob("corpus/*/*.txt"))
    if real:
        out["recall_shared_corpus"] = sum(filt.judge(p.read_text(encoding="utf-8")).keep for p in real) / len(
            real
        )
        out["shared_corpus_articles"] = len(real)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--anime", type=float, default=0.1)
    ap.add_argument("--shard", type=int, default=1000)
    ap.add_argument("--pg", default=PG)
    ap.add_argument("--no-baseline", action="store_true", help="skip the one-process run on the kept pages")
    args = ap.parse_args()

    pages = archive.pages(args.pages, anime_share=args.anime)
    with tempfile.TemporaryDirectory(prefix="anigraph-bulk-") as tmp:
        half = len(pages) // 2
        warc_dir, jsonl_dir = Path(tmp) / "w", Path(tmp) / "j"
        archive.write_archive(warc_dir, pages[:half], shard=args.shard)
        archive.write_archive(jsonl_dir, pages[half:], shard=args.shard)
        sources = [str(warc_dir / "warc"), str(jsonl_dir / "jsonl")]
        size = sum(f.stat().st_size for d in sources for f in Path(d).iterdir())
        anime = sum(p.anime for p in pages)
        print(
            f"archive: {len(pages)} pages ({anime} anime), {half} as WARC and {len(pages) - half} as "
            f"JSON Lines shards of {args.shard}, {size / 1e6:.1f} MB compressed"
        )
        filt = filter_numbers(pages[:4000])
        f = {k: round(v, 3) for k, v in filt.items()}
        print(
            f"filter: {f['filter_pages_per_s']:.0f} pages/s on one core "
            f"({f['filter_pages_per_cpu_s']:.0f} per CPU s, {f['filter_kb_per_page']:.0f} KB pages); "
            f"generated pages precision {f['precision_generated']} recall {f['recall_generated']}; "
            f"hand-written precision {f['precision_hand']} recall {f['recall_hand']}"
        )
        if "recall_shared_corpus" in f:
            n, recall = f["shared_corpus_articles"], f["recall_shared_corpus"]
            print(f"filter recall on {n:.0f} real anime articles (../shared/corpus): {recall}")
        runs = {workers: bulk_run(sources, args.pg, workers) for workers in (1, 2)}
        if not args.no_baseline:  # the kept pages alone, one process: what parallel reading buys
            kept_dir = Path(tmp) / "kept"
            archive.write_archive(kept_dir, [p for p in pages if p.anime], shard=len(pages))
            one = bulk_run([str(kept_dir / "jsonl")], args.pg, 1, target=_one_process)
            print(
                f"one process (anigraph ingest, no Dask) on the {one['articles']} kept pages alone: "
                f"{one['seconds']:.1f} s, {one['articles_per_second']:.1f} articles/s; "
                f"peak {one['peak_mb']:.0f} MB"
            )
    for workers, r in runs.items():
        steady = r["seconds"] - r["ready_seconds"]
        r["ready_pages_per_second"] = r["pages"] / steady if steady > 0 else 0.0
        r["busy"] = r["worker_seconds"] / (steady * workers) if steady > 0 else 0.0
        print(
            f"{workers} worker(s): {r['pages']} pages, {r['kept']} kept, {r['stored']} stored, "
            f"{r['failed']} failed in {r['seconds']:.1f} s (workers ready after {r['ready_seconds']:.1f} s, "
            f"storing {r['store_seconds']:.1f} s): {r['pages_per_second']:.0f} pages/s, "
            f"{r['articles_per_second']:.1f} articles/s ({r['ready_pages_per_second']:.0f} pages/s once "
            f"ready); driver peak {r['peak_mb']:.0f} MB; workers busy {r['busy']:.0%} of the time once ready"
        )
        if r["failures"]:
            print("  first failures:", r["failures"])
    speedup = runs[1]["seconds"] / runs[2]["seconds"]
    ready = runs[2]["ready_pages_per_second"] / max(runs[1]["ready_pages_per_second"], 1e-9)
    peak = max(r["peak_mb"] for r in runs.values())
    two = runs[2]
    print(
        f"speed-up 2 workers / 1: {speedup:.2f}x whole run, {ready:.2f}x once ready (target >= 1.6); "
        f"driver peak {peak:.0f} MB (target < 300)"
    )
    print(
        f"speedup={speedup:.2f} speedup_ready={ready:.2f} peak_mb={peak:.0f} "
        f"pages_per_s_2w={two['pages_per_second']:.0f} articles_per_s_2w={two['articles_per_second']:.1f} "
        f"filter_pages_per_s={f['filter_pages_per_s']:.0f} precision={f['precision_generated']} "
        f"recall={f['recall_generated']}"
    )


if __name__ == "__main__":
    main()
