"""Benchmark `anigraph serve`: requests/s and p50/p99 latency of the work page, search and season charts.

Bounded and loopback only: builds a temporary SQLite database (generated articles about
generated shows, each fact with its evidence span, written through ``Store.add_extraction``;
plus the seed article through the real extractor when ``../shared`` is present), starts
``anigraph serve`` with uvicorn on 127.0.0.1 in a subprocess, sends a fixed number of
requests per endpoint from 32 concurrent httpx clients, prints the numbers and stops the
server. Target on a 2-core machine: p99 < 50 ms.

    .venv/bin/python benchmarks/serve.py [--works 300] [--requests 2000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import create_engine, event

from anigraph.models import Article, EntityMention, Evidence, Extraction, Fact, Source, sha256_bytes
from anigraph.store import Store
from anigraph.store.seasons import read_season

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANIGRAPH_SHARED", REPO.parent / "shared")).resolve()

_WORDS_A = [
    "Crimson",
    "Silent",
    "Iron",
    "Paper",
    "Hollow",
    "Starlit",
    "Velvet",
    "Broken",
    "Azure",
    "Last",
    "Quiet",
    "Electric",
    "Wandering",
    "Golden",
    "Frozen",
    "Neon",
    "Midnight",
    "Glass",
    "Rusty",
    "Lunar",
]
_WORDS_B = [
    "Harbor",
    "Saga",
    "Academy",
    "Garden",
    "Knight",
    "Frontier",
    "Orchestra",
    "Detective",
    "Station",
    "Witch",
    "Circuit",
    "Kingdom",
    "Express",
    "Festival",
    "Archive",
    "Lantern",
    "Voyage",
    "Tower",
]
_GIVEN = ["Haruto", "Yui", "Sota", "Aoi", "Ren", "Mio", "Kaito", "Hina", "Riku", "Sakura", "Daichi", "Emi"]
_FAMILY = ["Tanaka", "Suzuki", "Mori", "Ishida", "Kondo", "Aoki", "Fujita", "Nakamura", "Ogawa", "Hayashi"]
_STUDIOS = [
    "Bones",
    "MAPPA",
    "Wit Studio",
    "Production I.G",
    "Madhouse",
    "Kyoto Animation",
    "Trigger",
    "CloverWorks",
    "David Production",
    "Shaft",
]
_SERVICES = ["Crunchyroll", "Netflix", "HIDIVE", "Disney+", "Amazon Prime Video"]
_CHANNELS = ["Fuji TV", "TBS", "TV Tokyo", "Nippon TV", "Tokyo MX"]


_SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "na",
    "shi",
    "to",
    "ra",
    "ze",
    "yu",
    "ki",
    "ha",
    "no",
    "mi",
    "se",
    "ta",
    "ro",
    "be",
    "gu",
    "do",
    "pa",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def generated_extraction(i: int, rng: random.Random) -> Extraction:
    """One article about one generated show, and its facts with exact evidence spans."""
    title = f"{rng.choice(_WORDS_A)} {rng.choice(_WORDS_B)} {_word(rng)}"
    studio, director, writer = rng.choice(_STUDIOS), _person(rng), _person(rng)
    channel, service = rng.choice(_CHANNELS), rng.choice(_SERVICES)
    day = f"{rng.choice([2023, 2024, 2025, 2026, 2027])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    va1, va2 = _person(rng), _person(rng)
    ch1, ch2 = f"{_word(rng)} {_word(rng)}", f"{_word(rng)} {_word(rng)}"
    song, band = f"{_word(rng)} {_word(rng)}", f"{_word(rng)} {_word(rng)}"
    lines = [
        f"{title} Announced for {day}",
        "",
        f"{studio} is animating {title}, a TV anime based on a manga.",
        f"{director} directs {title}, and {writer} handles series composition.",
        f"{title} premieres on {day} on {channel}.",
        f"{service} will stream the series worldwide.",
        f'The opening theme is "{song}" by {band}.',
        f"{va1} voices {ch1}, and {va2} voices {ch2}.",
        "The story is set in a city under the sea. " * 3,
    ]
    text = "\n".join(lines) + "\n"

    def fact(predicate: str, obj: str, evidence: str, **qualifiers: str) -> Fact:
        start = text.index(evidence)
        return Fact(
            title,
            "work",
            predicate,
            obj,
            Evidence(start, start + len(evidence), evidence),
            0.9,
            dict(qualifiers),
        )

    facts = [
        fact("studio", studio, f"{studio} is animating {title}"),
        fact("format", "tv", "a TV anime based on a manga"),
        fact("based_on", "manga", "a TV anime based on a manga"),
        fact("director", director, f"{director} directs {title}"),
        fact("series_composition", writer, f"{writer} handles series composition"),
        fact("premiere", day, f"{title} premieres on {day} on {channel}", where=channel),
        fact("broadcaster", channel, f"{title} premieres on {day} on {channel}"),
        fact("streaming", service, f"{service} will stream the series worldwide", region="worldwide"),
        fact("opening_theme", song, f'The opening theme is "{song}" by {band}', performer=band),
        fact("cast", va1, f"{va1} voices {ch1}", character=ch1),
        fact("cast", va2, f"{va2} voices {ch2}", character=ch2),
        fact("character", ch1, f"{va1} voices {ch1}"),
        fact("setting", "a city under the sea", "The story is set in a city under the sea."),
    ]
    data = text.encode("utf-8")
    article = Article(
        text=text,
        source=Source(sha256=sha256_bytes(data), path=f"generated/{i}.txt"),
        headline=lines[0],
        published=f"2023-{(i % 12) + 1:02d}-01",
    )
    return Extraction(article=article, facts=facts, entities=[EntityMention(title, "work")])


def typo(name: str, rng: random.Random) -> str:
    """The name with one letter dropped or doubled, lower-cased: what people type."""
    chars = list(name.lower())
    pos = rng.randrange(1, len(chars) - 1)
    if rng.random() < 0.5:
        del chars[pos]
    else:
        chars.insert(pos, chars[pos])
    return "".join(chars)


def populate(url: str, *, works: int, seed: int, offset: int = 0) -> list[str]:
    rng = random.Random(seed)
    titles: list[str] = []
    with Store.open(url) as store:
        for i in range(offset, offset + works):
            extraction = generated_extraction(i, rng)
            store.add_extraction(extraction)
            titles.append(extraction.facts[0].subject)
        seed_file = SHARED / "seeds" / "metallic-rouge-trailer.txt"
        if seed_file.is_file() and not offset:
            from anigraph.extract import Extractor
            from anigraph.ingest import read_sources

            extractor = Extractor.load()
            for item in read_sources([str(seed_file)]):
                if isinstance(item, Article):
                    store.add_extraction(extractor.extract(item))
    return titles


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    def line(self, *, server_cpu: float | None = None) -> str:
        lat = sorted(self.latencies)
        p50 = statistics.median(lat) * 1000
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000
        return (
            f"{self.name:<14} {self.requests:>6} req  {self.requests / self.seconds:>8.0f} req/s  "
            f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  errors {self.errors}"
        ) + (f"  server CPU {server_cpu * 1000 / self.requests:.2f} ms/req" if server_cpu is not None else "")


def process_cpu(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used, from /proc (None where /proc is missing)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _get(client: httpx.AsyncClient, path: str) -> int:
    """The status of one GET; a kept-alive connection the server just closed is retried once."""
    for attempt in (1, 2):
        try:
            return (await client.get(path)).status_code
        except (httpx.ReadError, httpx.RemoteProtocolError):
            if attempt == 2:
                return 0
    return 0


async def run(base: str, name: str, paths: list[str], *, concurrency: int) -> Result:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for p in paths:
        queue.put_nowait(p)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:

        async def worker() -> None:
            nonlocal errors
            while True:
                try:
                    path = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t0 = time.perf_counter()
                status = await _get(client, path)
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors += 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.perf_counter() - start
    return Result(name, len(paths), seconds, latencies, errors)


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def _wrk(base: str, script: Path, *, concurrency: int, seconds: int) -> str:
    cmd = ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "--latency", "-s", str(script), base]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout


def wrk_run(base: str, name: str, paths: list[str], *, concurrency: int, seconds: int) -> str:
    """Steady-state requests/s and latency percentiles from wrk, after each distinct page was built once."""
    quoted = [urllib.parse.quote(p, safe="/?=&") for p in paths]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in quoted))
        script = Path(f.name)
    try:
        t0 = time.perf_counter()
        distinct = sorted(set(paths))
        with httpx.Client(base_url=base, timeout=30) as client:  # each page built once (cold renders)
            for path in distinct:
                client.get(path)
        cold = (time.perf_counter() - t0) / max(1, len(distinct)) * 1000
        out = _wrk(base, script, concurrency=concurrency, seconds=seconds)
    finally:
        script.unlink()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    pct = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (
        f"{name:15} wrk {seconds} s  {float(rate.group(1)) if rate else 0:8.0f} req/s  "
        f"p50 {pct.get('50', '?'):>8}  p99 {pct.get('99', '?'):>8}  "
        f"errors {errors.group(1) if errors else 0}  (first build {cold:.1f} ms/page, {len(distinct)} pages)"
    )


def season_reads(url: str) -> str:
    """Cold reads of every generated season straight from the store: statements and time per season."""
    engine = create_engine(url)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    sizes, times = [], []
    for year in (2023, 2024, 2025, 2026, 2027):
        for season in ("winter", "spring", "summer", "fall"):
            t0 = time.perf_counter()
            sizes.append(len(read_season(engine, year=year, season=season).works))
            times.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return (
        f"season reads: {len(sizes)} seasons of {min(sizes)}-{max(sizes)} works, "
        f"{len(statements) / len(sizes):.1f} statements and {statistics.median(times):.1f} ms "
        f"(median; max {max(times):.1f} ms) per season"
    )


def _season_path(rng: random.Random) -> str:
    """A season of the generated premiere years, unfiltered or filtered by a channel or a studio."""
    year, season = (
        rng.choice([2023, 2024, 2025, 2026, 2027]),
        rng.choice(["winter", "spring", "summer", "fall"]),
    )
    query = rng.choice(["", f"?platform={rng.choice(_CHANNELS)}", f"?studio={rng.choice(_STUDIOS)}"])
    return f"/season/{year}/{season}{query}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--works", type=int, default=300, help="generated shows in the database")
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "httpx"),
        default="auto",
        help="load generator: wrk (C, Debian package; light on the shared CPU) when installed, else httpx",
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk: measured seconds per endpoint")
    parser.add_argument("--writes", type=int, default=400, help="articles written during the last row")
    parser.add_argument("--write-only", metavar="URL", help=argparse.SUPPRESS)  # the writer process
    args = parser.parse_args()
    if args.write_only:  # the "during writes" row's writer: one article per transaction, as ingest does
        populate(args.write_only, works=args.writes, seed=args.seed, offset=10_000)
        return
    use_wrk = args.client == "wrk" or (args.client == "auto" and shutil.which("wrk") is not None)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="anigraph-bench-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        titles = populate(url, works=args.works, seed=args.seed)
        print(f"database: {len(titles)} generated works in {time.perf_counter() - t0:.1f} s", flush=True)
        print(season_reads(url), flush=True)
        port = _free_port()
        env = {**os.environ, "ANIGRAPH_API_TOKEN": ""}
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "anigraph",
                "serve",
                "--db",
                url,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/v1/works?limit=1", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    err = server.stderr.read().decode() if server.stderr else ""
                    raise SystemExit(f"server did not start: {err}")
                time.sleep(0.2)
            listed = httpx.get(base + "/api/v1/works?limit=500", timeout=30).json()["items"]
            slugs = [w["id"] for w in listed]
            work_paths = [f"/works/{rng.choice(slugs)}" for _ in range(args.requests)]
            queries = [typo(t, rng) for t in titles]
            search_paths = [f"/api/v1/search?q={rng.choice(queries)}" for _ in range(args.requests)]
            search_page = [f"/search?all=1&q={rng.choice(queries)}" for _ in range(args.requests)]
            season_page = [_season_path(rng) for _ in range(args.requests)]
            print(
                f"{args.requests} requests per endpoint, {args.concurrency} concurrent clients, "
                f"{os.cpu_count()} cores shared by client and server (load average {os.getloadavg()[0]:.1f})"
            )
            for name, paths in (
                ("work page", work_paths),
                ("search api", search_paths),
                ("search page", search_page),
                ("season page", season_page),
            ):
                if use_wrk:
                    print(wrk_run(base, name, paths, concurrency=args.concurrency, seconds=args.seconds))
                    continue
                before = process_cpu(server.pid)
                result = asyncio.run(run(base, name, paths, concurrency=args.concurrency))
                after = process_cpu(server.pid)
                used = after - before if before is not None and after is not None else None
                print(result.line(server_cpu=used), flush=True)
            # the work page while another process writes articles (each commit is a new version)
            writer = subprocess.Popen(
                [sys.executable, __file__, "--write-only", url, "--writes", str(args.writes), "--seed", "99"],
                stdout=subprocess.DEVNULL,
            )
            try:
                name = f"work page, {args.writes} articles written meanwhile"
                if use_wrk:
                    print(wrk_run(base, name, work_paths, concurrency=args.concurrency, seconds=args.seconds))
                else:
                    print(
                        asyncio.run(run(base, name, work_paths, concurrency=args.concurrency)).line(),
                        flush=True,
                    )
                state = "was still writing" if writer.poll() is None else "had finished"
                print(f"  (the writer {state} at the end)")
            finally:
                writer.wait(timeout=600)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
