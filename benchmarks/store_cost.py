"""What storing one article costs: statements, round trips and milliseconds per article.

    .venv/bin/python benchmarks/store_cost.py [--articles 400] [--batch 0] [--profile] [--pg URL]

Takes the first ``--articles`` anime articles ``benchmarks/bulk.py`` generates (benchmarks/archive.py:
the fixtures with invented names), extracts them once (cached in a pickle under the temporary
directory, keyed by the count and the extractor's models, so later runs store at once), then stores
them in order into a fresh SQLite file and a fresh PostgreSQL schema (``--pg`` or
``ANIGRAPH_TEST_PG``) and prints per article: statements (SQLAlchemy ``before_cursor_execute``
events: an ``executemany`` counts once), milliseconds (mean, median), the share of that spent
waiting on the database, and CPU milliseconds of this process and (PostgreSQL on this machine) of
the server processes serving it (on a shared machine CPU time varies less than wall time).
With ``--batch N`` articles are stored ``N`` at a time through ``Store.add_extractions`` when the
store has it (0: one ``add_extraction`` call per article). ``--profile`` prints the cProfile top
functions of each run (``--only`` picks one).
The last line holds ``key=value`` numbers for scripts.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import os
import pickle
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import archive

REPO = Path(__file__).resolve().parents[1]
PG = os.environ.get("ANIGRAPH_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def extractions(n: int) -> list[Any]:
    """The extractions of the first ``n`` generated anime articles (cached between runs)."""
    from anigraph.pipeline import extract_sources

    models = REPO / "src" / "anigraph" / "extract" / "model"
    stamp = hashlib.sha256()
    for meta in sorted(models.glob("*/meta.json")):
        stamp.update(meta.read_bytes())
    cache = Path(tempfile.gettempdir()) / f"anigraph-store-cost-{n}-{stamp.hexdigest()[:12]}.pickle"
    if cache.is_file():
        out: list[Any] = pickle.loads(cache.read_bytes())
        return out
    with tempfile.TemporaryDirectory(prefix="anigraph-store-cost-") as tmp:
        path = Path(tmp) / "anime.jsonl"
        path.write_bytes(b"".join(archive.jsonl_line(p) + b"\n" for p in archive.anime_pages(n, seed=11)))
        began = time.perf_counter()
        out = [r for r in extract_sources([str(path)]) if hasattr(r, "facts")]
        print(f"extracted {len(out)} articles in {time.perf_counter() - began:.1f} s (cached in {cache})")
    cache.write_bytes(pickle.dumps(out))
    return out


class Counter:
    """Statements and time spent in the DB-API cursor, from SQLAlchemy's engine events."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.statements = 0
        self.db_seconds = 0.0
        self.kinds: dict[str, int] = {}
        self._began = 0.0
        self.backends: set[int] = set()  # PostgreSQL server processes of this engine (on this machine)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        if engine.dialect.name == "postgresql":
            engine.dispose()  # connections opened from now on are seen by _connect
            event.listen(engine, "connect", self._connect)

    def _connect(self, dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.backends.add(int(cursor.fetchone()[0]))
        dbapi_connection.commit()

    def server_cpu(self) -> float:
        """CPU seconds the server processes used so far (0 when they are not on this machine)."""
        total = 0.0
        for pid in self.backends:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total

    def _before(self, _conn: Any, _cursor: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        self.statements += 1
        words = statement.split()
        kind = (
            " ".join(words[:3]) if words and words[0].upper() in ("INSERT", "UPDATE") else " ".join(words[:1])
        )
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self._began = time.perf_counter()

    def _after(self, *_args: Any) -> None:
        self.db_seconds += time.perf_counter() - self._began

    def reset(self) -> None:
        self.statements, self.db_seconds, self.kinds = 0, 0.0, {}


def store_all(url: str, items: list[Any], *, batch: int, profile: bool) -> dict[str, Any]:
    from anigraph.store import Store

    with Store.open(url) as store:
        counter = Counter(store.engine)
        counter.reset()
        times: list[float] = []
        prof = cProfile.Profile() if profile else None
        with store.session() as session:  # open the connection the run uses, so its server is known
            session.connection()
        server = counter.server_cpu()
        cpu = time.process_time()
        began = time.perf_counter()
        if prof is not None:
            prof.enable()
        if batch > 0 and hasattr(store, "add_extractions"):
            for k in range(0, len(items), batch):
                t = time.perf_counter()
                results = store.add_extractions(items[k : k + batch])
                assert all(not isinstance(r, Exception) for r in results), results
                times.extend([(time.perf_counter() - t) / len(results)] * len(results))
        else:
            for item in items:
                t = time.perf_counter()
                store.add_extraction(item)
                times.append(time.perf_counter() - t)
        if prof is not None:
            prof.disable()
        total = time.perf_counter() - began
        cpu = time.process_time() - cpu
        server = counter.server_cpu() - server
        n = len(items)
        out = {
            "articles": n,
            "statements": counter.statements / n,
            "ms_mean": 1000 * total / n,
            "ms_median": 1000 * statistics.median(times),
            "db_share": counter.db_seconds / total,
            "cpu_ms": 1000 * cpu / n,
            "server_cpu_ms": 1000 * server / n,
            "kinds": {k: v / n for k, v in sorted(counter.kinds.items(), key=lambda kv: -kv[1])},
        }
    if prof is not None:
        pstats.Stats(prof).sort_stats(os.environ.get("PSTATS_SORT", "cumulative")).print_stats(35)
    return out


def _pg_schema(base: str) -> tuple[str, Any]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"cost_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), drop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--batch", type=int, default=0)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--pg", default=PG)
    ap.add_argument("--only", choices=("sqlite", "postgresql"))
    args = ap.parse_args()
    items = extractions(args.articles)
    facts = sum(len(e.facts) for e in items) / len(items)
    entities = sum(len(e.entities) for e in items) / len(items)
    print(f"{len(items)} articles, {facts:.1f} facts and {entities:.1f} entity mentions an article")
    numbers: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="anigraph-store-cost-") as tmp:
        if args.only != "postgresql":
            numbers["sqlite"] = store_all(
                f"sqlite:///{tmp}/cost.db", items, batch=args.batch, profile=args.profile
            )
        if args.only != "sqlite":
            url, drop = _pg_schema(args.pg)
            try:
                numbers["postgresql"] = store_all(url, items, batch=args.batch, profile=args.profile)
            finally:
                drop()
    for backend, r in numbers.items():
        print(
            f"{backend}: {r['statements']:.1f} statements an article, "
            f"{r['ms_mean']:.2f} ms mean, {r['ms_median']:.2f} ms median, "
            f"{r['db_share']:.0%} in the database driver; CPU {r['cpu_ms']:.2f} ms here"
            + (f" + {r['server_cpu_ms']:.2f} ms in the server" if backend == "postgresql" else "")
        )
        print("   ", ", ".join(f"{k}: {v:.2f}" for k, v in list(r["kinds"].items())[:12]))
    print(
        " ".join(f"{b}_{k}={v:.2f}" for b, r in numbers.items() for k, v in r.items() if isinstance(v, float))
    )


if __name__ == "__main__":
    main()
