"""`anigraph resolve` between calls: the linker cache beside the database, over the whole shared catalog.

    .venv/bin/python benchmarks/resolve_cache.py [--db sqlite:////path/catalog.db] [--calls 5]

1. Imports the four catalog files of ``../shared/data/catalog`` into a temporary SQLite store (or
   reuses ``--db``, a store that already holds them; its cache file is replaced).
2. Runs ``anigraph resolve --json`` as a user does, one process per call: with the cache off
   (``ANIGRAPH_LINKER_CACHE=off``, what every call cost before), then with it: the first call builds
   the index and saves it, the next ``--calls`` read it. Prints wall-clock and CPU time per call
   (the child's user + system time: on a shared, loaded machine wall clock includes waiting for a
   CPU, so the load average is printed too), and the time of ``anigraph resolve --help`` (starting
   Python and importing the CLI, which no cache can save).
3. Changes the store (``anigraph catalog import`` of one invented work), waits out the cache's
   freshness window, and checks that the next call rebuilds and finds the new work, and the one
   after reads the cache again.
4. In process: building the linker vs reading its snapshot (the part of a call the cache replaces).

Exits 0 with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from linking import CATALOG, FILES, REPO, catalog_missing  # the linking benchmark's catalog files

ANIGRAPH = [str(Path(sys.executable).parent / "anigraph")]  # the installed command, as a user runs it
QUERY = "Shingeki no Kyojin Seaso 2"
NEW_TITLE = "Lantern Ferry of the Ninth Canal"  # invented: no catalog lists it
TARGET_SECONDS = 1.0
FRESH_WAIT = 2.5  # seconds: a cache is not saved within 2 s of the newest entity update


def run(args: list[str], *, env: dict[str, str]) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, standard output) of one CLI process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def matched(stdout: str) -> str:
    match = json.loads(stdout.splitlines()[0])["match"]
    return match["title"] if match else "NIL"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="a store that already holds the four catalogs (skips the import)")
    ap.add_argument("--calls", type=int, default=5, help="cached calls to time")
    args = ap.parse_args()
    if catalog_missing():
        return 0
    sys.path.insert(0, str(REPO / "src"))
    from anigraph.store.linker_cache import cache_path

    workdir = Path(tempfile.mkdtemp(prefix="anigraph-resolve-bench-"))
    env = {**os.environ, "ANIGRAPH_LINKER_CACHE": ""}
    url = args.db or f"sqlite:///{workdir / 'catalog.db'}"
    if not args.db:
        wall, _cpu, _out = run(
            [*ANIGRAPH, "catalog", "import", "--db", url, *map(str, (CATALOG / f for f in FILES))], env=env
        )
        print(f"== catalog import into a temp SQLite store: {wall:.1f}s ==")
    cache = cache_path(url, kinds={"work"})
    assert cache is not None
    cache.unlink(missing_ok=True)
    resolve = [*ANIGRAPH, "resolve", "--db", url, "--json", QUERY]

    help_wall, help_cpu, _ = run([*ANIGRAPH, "resolve", "--help"], env=env)
    off = [run(resolve, env={**env, "ANIGRAPH_LINKER_CACHE": "off"}) for _ in range(2)]
    first = run(resolve, env=env)
    saved = cache.stat().st_size if cache.exists() else 0
    warm = [run(resolve, env=env) for _ in range(args.calls)]
    answers = {matched(out) for _w, _c, out in [*off, first, *warm]}

    def line(label: str, runs: list[tuple[float, float, str]]) -> str:
        walls = sorted(w for w, _c, _o in runs)
        cpus = sorted(c for _w, c, _o in runs)
        mid_wall, mid_cpu = walls[len(walls) // 2], cpus[len(cpus) // 2]
        return f"  {label:34} wall {mid_wall:6.2f}s (min {walls[0]:.2f})  CPU {mid_cpu:5.2f}s"

    print(f"\n== anigraph resolve {QUERY!r} on {url} (works index) ==")
    print(f"  answers: {', '.join(sorted(answers))}")
    print(
        f"  {'resolve --help (startup floor)':34} wall {help_wall:6.2f}s               CPU {help_cpu:5.2f}s"
    )
    print(line("cache off (every call builds)", off))
    print(line("first call (builds, saves cache)", [first]) + f"   cache file {saved / 1e6:.1f} MB")
    print(line(f"cached calls (median of {len(warm)})", warm))
    warm_wall = sorted(w for w, _c, _o in warm)[len(warm) // 2]
    warm_cpu = sorted(c for _w, c, _o in warm)[len(warm) // 2]
    off_wall = sorted(w for w, _c, _o in off)[len(off) // 2]
    off_cpu = sorted(c for _w, c, _o in off)[len(off) // 2]
    print(
        f"  cached call vs cache off: {off_wall / warm_wall:.1f}x faster wall, "
        f"{off_cpu / warm_cpu:.1f}x less CPU; "
        f"target < {TARGET_SECONDS:.0f} s: wall {'met' if warm_wall < TARGET_SECONDS else 'NOT met'}, "
        f"CPU {'met' if warm_cpu < TARGET_SECONDS else 'NOT met'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    new_file = workdir / "new-work.jsonl"
    record = {"sources": ["https://anidb.net/anime/999991"], "title": NEW_TITLE, "type": "TV", "synonyms": []}
    new_file.write_text(json.dumps(record) + "\n", encoding="utf-8")
    run([*ANIGRAPH, "catalog", "import", "--db", url, str(new_file)], env=env)
    time.sleep(FRESH_WAIT)
    find_new = [*ANIGRAPH, "resolve", "--db", url, "--json", NEW_TITLE]
    after_change = run(find_new, env=env)
    again = run(find_new, env=env)
    print("\n== after `catalog import` of one new work ==")
    print(line("first call (store changed: rebuilds)", [after_change]) + f"   → {matched(after_change[2])}")
    print(line("next call (cache again)", [again]) + f"   → {matched(again[2])}")
    if matched(after_change[2]) != NEW_TITLE or matched(again[2]) != NEW_TITLE:
        print("  ERROR: the new work was not found: the cache was not invalidated")
        return 1

    from anigraph.resolve import snapshot
    from anigraph.store import Store
    from anigraph.store.catalog import build_linker

    with Store.open(url) as store, store.session() as session:
        started = time.process_time()
        linker = build_linker(session, kinds={"work"})
        build_cpu = time.process_time() - started
    data = snapshot.dumps(linker)
    started = time.process_time()
    snapshot.loads(data)
    load_cpu = time.process_time() - started
    print("\n== in process: the part of a call the cache replaces ==")
    print(
        f"  read candidates + build index {build_cpu:.2f}s CPU; read snapshot {load_cpu:.2f}s CPU "
        f"({build_cpu / load_cpu:.0f}x less)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
