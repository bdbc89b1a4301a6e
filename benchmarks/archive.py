"""A generated news archive: anime articles varied from the project's fixtures, and other news.

    .venv/bin/python benchmarks/archive.py OUT_DIR [--pages N] [--anime 0.1] [--shard 1000]

writes the same pages as WARC shards (``warc/*.warc.gz``, one HTML response record per page) and as
JSON Lines shards (``jsonl/*.jsonl.gz``), plus ``labels.jsonl`` (each page's URL and whether it is
about anime). Used by ``benchmarks/bulk.py`` and the bulk tests.

Anime pages are the fixture articles (fixtures/articles, written for this project) with every work
and person of their gold file replaced by an invented name, a different one in every copy. Other
pages are assembled from sentence templates on other subjects (sports, markets, politics, weather,
science, food, travel), including near misses a keyword filter may take for anime: live-action
television and film (seasons, episodes, casts, trailers, directors), video games, concerts, travel
in Japan, comics from the West. Every sentence is ours; nothing is copied from the web.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"

_SYL = [
    "ka",
    "ki",
    "ku",
    "ke",
    "ko",
    "sa",
    "shi",
    "su",
    "se",
    "so",
    "ta",
    "chi",
    "tsu",
    "te",
    "to",
    "na",
    "ni",
    "nu",
    "ne",
    "no",
    "ha",
    "hi",
    "fu",
    "he",
    "ho",
    "ma",
    "mi",
    "mu",
    "me",
    "mo",
    "ya",
    "yu",
    "yo",
    "ra",
    "ri",
    "ru",
    "re",
    "ro",
    "wa",
]
_TITLE_A = [
    "Silver",
    "Crimson",
    "Hollow",
    "Lantern",
    "Paper",
    "Iron",
    "Midnight",
    "Glass",
    "Tidal",
    "Ember",
    "Quiet",
    "Falling",
    "Broken",
    "Azure",
]
_TITLE_B = [
    "Lantern",
    "Garden",
    "Requiem",
    "Orbit",
    "Sword",
    "Tide",
    "Choir",
    "Harbor",
    "Crown",
    "Engine",
    "Letters",
    "Compass",
    "Bloom",
    "Signal",
]
_WEST = [
    "Harper",
    "Quinn",
    "Dalton",
    "Mercer",
    "Ortiz",
    "Nakamura-Reyes",
    "Holloway",
    "Brandt",
    "Okafor",
    "Lindqvist",
    "Farrow",
    "Castillo",
]
_FIRST = [
    "Maya",
    "Owen",
    "Elena",
    "Marcus",
    "Priya",
    "Tomas",
    "Grace",
    "Idris",
    "Nora",
    "Felix",
    "Leah",
    "Victor",
    "Ada",
    "Rafael",
    "Iris",
    "Jonah",
]
_CITY = [
    "Marlow",
    "Brenton",
    "Castlefield",
    "Okara",
    "Redmere",
    "Fairhaven",
    "Dunmore",
    "Westbridge",
    "Lakeport",
    "Ashby",
]
_TEAM = [
    "Falcons",
    "Rovers",
    "Mariners",
    "Pioneers",
    "Comets",
    "Wolves",
    "Harriers",
    "Stags",
    "Titans",
    "Otters",
]

OTHER_TOPICS: dict[str, list[str]] = {
    "sports": [
        "The {team} beat the {team2} {n}-{m} on {day}, their {ord} win in a row.",
        "{person} scored twice in the second half as {city} moved to the top of the table.",
        "The coach said the squad would rest two starters before the cup final next week.",
        "Tickets for the derby at the {city} stadium sold out within an hour.",
        "{person} signed a three-year contract extension with the club on {day}.",
        "An injury to the captain leaves the defence thin for the rest of the season.",
    ],
    "markets": [
        "Shares in {company} rose {n} percent after the company raised its full-year forecast.",
        "The central bank held interest rates at {n}.{m} percent, as most economists expected.",
        "Oil prices slipped on {day} as inventories grew for a {ord} straight week.",
        "{person}, chief executive of {company}, said demand had recovered in the third quarter.",
        "Bond yields climbed after stronger than expected retail sales figures.",
        "Analysts expect the merger to be approved by regulators before the end of the year.",
    ],
    "politics": [
        "The council of {city} voted {n} to {m} to approve the new housing plan on {day}.",
        "{person} announced a bid for mayor, promising to repair roads and expand bus routes.",
        "Lawmakers debated the budget late into the night before adjourning without a vote.",
        "The opposition called for an inquiry into the awarding of the bridge contract.",
        "Turnout in the regional election reached {n} percent, up from four years ago.",
    ],
    "weather": [
        "Heavy rain is expected across {city} on {day}, with up to {n} millimetres in places.",
        "Forecasters issued a frost warning for the valleys overnight.",
        "The heatwave is set to ease by the weekend as a cooler front moves in from the west.",
        "Flooding closed two roads near {city}; residents were advised to avoid the riverbank.",
    ],
    "science": [
        "Researchers at the University of {city} reported a battery that charges in {n} minutes.",
        "The probe sent back its first images of the comet's icy surface on {day}.",
        "A study of {n} thousand volunteers links regular walking with better sleep.",
        "{person} and colleagues describe a new species of beetle found in a cave system.",
    ],
    "food": [
        "{person} opened a bakery on the high street of {city}, known for its rye loaves.",
        "Roast the squash for {n} minutes, then stir it into the risotto with the butter.",
        "The market returns on {day} with more than {n} stalls of local cheese and cider.",
        "The restaurant's tasting menu changes with the season and features foraged herbs.",
    ],
    "travel": [
        "The ferry to the islands now runs {n} times a day during the summer months.",
        "Visitors to Kyoto in autumn can see the maple leaves turn at the old temples.",
        "The new rail pass covers regional trains across Japan for {n} days.",
        "{city} airport will add direct flights to Lisbon from the spring.",
        "Hotels in Tokyo report bookings above pre-pandemic levels for the cherry blossom season.",
    ],
    "drama": [  # near miss: live-action television
        "The crime drama returns for a {ord} season on {day}, with {person} back in the lead role.",
        "The streaming service released a trailer for the new season, which has {n} episodes.",
        "{person} directs the first two episodes; the cast also includes {person2}.",
        "The series premiere drew {n} million viewers, the network's best launch this year.",
        "The showrunner said the writers' room had planned the finale since the first season.",
        "Filming for the adaptation of the best-selling novel wrapped in {city} last month.",
    ],
    "film": [  # near miss: live-action film
        "The thriller starring {person} opens in cinemas on {day}, the studio announced.",
        "A new trailer shows the director's return to the heist film after {n} years.",
        "The sequel's cast includes {person2} as the villain, and the music is by {person}.",
        "The film premiered at the festival in {city} to a standing ovation.",
        "Box office takings reached {n} million in the opening weekend.",
    ],
    "games": [  # near miss: video games
        "The open-world game launches on consoles on {day}, with a PC version to follow.",
        "The studio showed {n} minutes of gameplay and a new character class in its trailer.",
        "Players can pre-order the deluxe edition, which includes a soundtrack by {person}.",
        "The publisher delayed the release to polish the online mode, its director said.",
        "The expansion adds a new region, {n} quests and a story episode about the old king.",
    ],
    "music": [  # near miss: concerts and songs
        "The band announced a {n}-date tour, opening in {city} on {day}.",
        "{person}'s new single is the theme song of a detective drama this autumn.",
        "The orchestra will perform film scores from the last fifty years at the summer festival.",
        "The album, recorded in Tokyo, features a duet with {person2}.",
    ],
    "comics": [  # near miss: Western comics
        "The superhero comic reaches its {ord} issue with a story drawn by {person}.",
        "The graphic novel about a lighthouse keeper won the prize for best artwork.",
        "The publisher will collect the first twelve issues in a hardcover volume on {day}.",
    ],
}
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_ORD = ["second", "third", "fourth", "fifth", "sixth", "seventh"]


@dataclass(frozen=True, slots=True)
class GenPage:
    url: str
    title: str
    text: str
    anime: bool
    topic: str


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_WEST)}"


def _jp_name(rng: random.Random) -> str:
    given = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()
    family = "".join(rng.choice(_SYL) for _ in range(rng.randint(2, 3))).capitalize()
    return f"{given} {family}"


def _title(rng: random.Random) -> str:
    place = "".join(rng.choice(_SYL) for _ in range(2)).capitalize()
    return f"{rng.choice(_TITLE_A)} {rng.choice(_TITLE_B)} {place}"


def _fixture_articles() -> list[tuple[str, dict[str, list[str]], dict[str, list[str]]]]:
    """(text, works, people) of every fixture article with a gold file."""
    out = []
    for path in sorted((FIXTURES / "articles").glob("*.txt")):
        gold = FIXTURES / "gold" / f"{path.stem}.json"
        if not gold.is_file():
            continue
        g = json.loads(gold.read_text(encoding="utf-8"))
        out.append((path.read_text(encoding="utf-8"), g.get("works", {}), g.get("entities", {})))
    return out


def _names_of(gazetteer: str) -> set[str]:
    path = REPO / "src" / "anigraph" / "extract" / "data" / gazetteer
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"}


def anime_pages(n: int, *, seed: int) -> Iterator[GenPage]:
    """``n`` anime articles: the fixtures with their works and people renamed, copy after copy."""
    rng = random.Random(seed)
    base = _fixture_articles()
    keep = _names_of("studios.txt") | _names_of("publishers.txt")
    for i in range(n):
        text, works, people = base[i % len(base)]
        swaps: dict[str, str] = {}
        for canonical, aliases in works.items():
            new = _title(rng)
            for name in (canonical, *aliases):
                swaps.setdefault(name, new)
        for canonical, aliases in people.items():
            if canonical in keep:
                continue
            new = _jp_name(rng)
            for name in (canonical, *aliases):
                swaps.setdefault(name, new)
        if swaps:
            pattern = re.compile("|".join(re.escape(k) for k in sorted(swaps, key=len, reverse=True)))
            text = pattern.sub(lambda m, table=swaps: table[m.group(0)], text)
        title, _, body = text.partition("\n")
        yield GenPage(f"https://news.example.org/anime/{i}", title.strip(), body.strip(), True, "anime")


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        team=rng.choice(_TEAM),
        team2=rng.choice(_TEAM),
        n=rng.randint(2, 90),
        m=rng.randint(0, 9),
        day=rng.choice(_DAYS),
        ord=rng.choice(_ORD),
        person=_person(rng),
        person2=_person(rng),
        city=rng.choice(_CITY),
        company=f"{rng.choice(_WEST)} {rng.choice(['Holdings', 'Foods', 'Energy', 'Systems'])}",
    )


def other_pages(n: int, *, seed: int) -> Iterator[GenPage]:
    """``n`` pages on other subjects, near misses included (about a third of them)."""
    rng = random.Random(seed)
    topics = sorted(OTHER_TOPICS)
    for i in range(n):
        topic = topics[i % len(topics)]
        sentences = [_fill(rng.choice(OTHER_TOPICS[topic]), rng) for _ in range(rng.randint(8, 20))]
        paragraphs = ["\n".join(sentences[j : j + 3]).replace("\n", " ") for j in range(1, len(sentences), 3)]
        title = sentences[0].rstrip(".")
        yield GenPage(f"https://news.example.org/{topic}/{i}", title, "\n\n".join(paragraphs), False, topic)


def pages(total: int, *, anime_share: float, seed: int = 11) -> list[GenPage]:
    """``total`` pages, ``anime_share`` of them anime, shuffled."""
    n_anime = round(total * anime_share)
    out = [*anime_pages(n_anime, seed=seed), *other_pages(total - n_anime, seed=seed + 1)]
    random.Random(seed + 2).shuffle(out)
    return out


_NAV = (
    '<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> '
    '<a href="/sport">Sport</a> <a href="/culture">Culture</a> <a href="/science">Science</a></nav>'
)


# about 20 KB of page script, as news sites inline analytics and ad code (real pages weigh 30-100 KB)
_SCRIPT = "".join(
    f"function f{i}(a,b){{var c=a*{i}+b;if(c>{i * 7}){{return track('ev{i}',c)}}return c%{i + 3}}}"
    for i in range(300)
)
_RELATED = [
    _fill(t, random.Random(i)) for i, t in enumerate(t for ts in OTHER_TOPICS.values() for t in ts[:2])
]


def html(page: GenPage) -> bytes:
    """The page as a news site would serve it: head, scripts, navigation, the article, related links."""
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in page.text.split("\n\n"))
    related = "".join(f'<li><a href="/story/{i}">{escape(t)}</a></li>' for i, t in enumerate(_RELATED[:12]))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(page.title)}</title><meta property='og:title' content='{escape(page.title)}'>"
        "<script>window.dataLayer=window.dataLayer||[];function track(){dataLayer.push(arguments)}"
        f"{_SCRIPT}</script>"
        "<style>body{font-family:serif;max-width:40em}nav a{margin-right:1em}</style></head><body>"
        f"{_NAV}<main><article><h1>{escape(page.title)}</h1>{paragraphs}</article>"
        f"<aside><h2>More stories</h2><ul>{related}</ul></aside></main>"
        "<footer><p>Subscribe to our newsletter for the day's news.</p><p>© Example News</p></footer>"
        "</body></html>"
    ).encode()


def write_warc(path: Path, chunk: list[GenPage]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        for page in chunk:
            body = html(page)
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                page.url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def jsonl_line(page: GenPage) -> bytes:
    return json.dumps({"url": page.url, "title": page.title, "text": page.text}, ensure_ascii=False).encode()


def write_jsonl(path: Path, chunk: list[GenPage]) -> None:
    data = b"".join(jsonl_line(p) + b"\n" for p in chunk)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def write_archive(out: Path, all_pages: list[GenPage], *, shard: int) -> dict[str, list[Path]]:
    """WARC and JSON Lines shards of ``shard`` pages each, and labels.jsonl."""
    (out / "warc").mkdir(parents=True, exist_ok=True)
    (out / "jsonl").mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {"warc": [], "jsonl": []}
    for k in range(0, len(all_pages), shard):
        chunk = all_pages[k : k + shard]
        w, j = (
            out / "warc" / f"news-{k // shard:05d}.warc.gz",
            out / "jsonl" / f"news-{k // shard:05d}.jsonl.gz",
        )
        write_warc(w, chunk)
        write_jsonl(j, chunk)
        written["warc"].append(w)
        written["jsonl"].append(j)
    with (out / "labels.jsonl").open("w", encoding="utf-8") as f:
        for p in all_pages:
            f.write(json.dumps({"url": p.url, "anime": p.anime, "topic": p.topic}) + "\n")
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--pages", type=int, default=20_000)
    ap.add_argument("--anime", type=float, default=0.1)
    ap.add_argument("--shard", type=int, default=1000)
    args = ap.parse_args()
    written = write_archive(args.out, pages(args.pages, anime_share=args.anime), shard=args.shard)
    print(f"{len(written['warc'])} WARC and {len(written['jsonl'])} JSON Lines shards in {args.out}")


if __name__ == "__main__":
    main()
