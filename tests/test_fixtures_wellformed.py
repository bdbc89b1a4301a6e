"""The fixture articles and their gold files are well formed and agree with each other.

Each gold file in ``fixtures/gold`` names an article in ``fixtures/articles`` by path and
sha256, uses only the fact vocabulary of the shared spec, and every required fact it lists
is written in the article (names, titles and songs appear in the text; dates are valid).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import re
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from anigraph.models import ALL_PREDICATES, QUALIFIER_KEYS

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "fixtures" / "gold"
ARTICLE_DIR = REPO / "fixtures" / "articles"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-(winter|spring|summer|fall))?$")
DATE_PREDICATES = {"premiere", "published"}
ENUMS = {
    "format": {"tv", "film", "ova", "ona", "special", "short"},
    "based_on": {"original", "manga", "light_novel", "novel", "web_novel", "game", "visual_novel", "webtoon"},
    "trailer": {"trailer", "teaser", "pv", "commercial", "key_visual"},
}
# Predicates whose object is a name or title that must be written in the article.
NAMED_PREDICATES = (
    set(ALL_PREDICATES) - DATE_PREDICATES - set(ENUMS) - {"episodes", "genre", "synopsis", "description"}
)


def fold(text: str) -> str:
    """Loose normal form for 'is this name in the text': case, accents, punctuation, long vowels."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"(?<=[a-z])(ou|oo|oh)(?![aeiou])", "o", text)
    text = re.sub(r"(?<=[a-z])uu", "u", text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def as_list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def article_of(gold: dict[str, Any]) -> Path:
    return REPO / gold["source"]


def spellings(gold: dict[str, Any], name: str) -> set[str]:
    """A name and every alias the gold's works/entities groups give it."""
    out = {name}
    for canonical, aliases in {**gold.get("works", {}), **gold.get("entities", {})}.items():
        group = {canonical, *aliases}
        if fold(name) in {fold(n) for n in group}:
            out |= group
    return out


def written_in(text: str, name: str) -> bool:
    folded = fold(text)
    if fold(name) in folded:
        return True
    tokens = fold(name).split()
    return len(tokens) == 2 and f" {tokens[1]} {tokens[0]} " in folded  # Japanese name order


def all_facts(gold: dict[str, Any]) -> list[list[Any]]:
    return [*gold.get("required", []), *gold.get("optional", [])]


@pytest.fixture(scope="module")
def score_module() -> ModuleType:
    score = REPO.parent / "shared" / "eval" / "score.py"
    if not score.is_file():
        pytest.skip(f"../shared not found at {score.parent.parent.parent}; scorer check skipped")
    spec = importlib.util.spec_from_file_location("shared_score", score)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_there_are_enough_fixtures() -> None:
    assert len(GOLD_FILES) >= 25
    assert {p.stem for p in GOLD_FILES} == {p.stem for p in ARTICLE_DIR.glob("*.txt")}


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_article_exists_and_hash_matches(path: Path) -> None:
    gold = load(path)
    assert gold["source"] == f"fixtures/articles/{path.stem}.txt"
    article = article_of(gold)
    assert article.is_file(), f"{article} is missing"
    assert hashlib.sha256(article.read_bytes()).hexdigest() == gold["sha256"], f"sha256 of {article} is stale"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_article_text_format(path: Path) -> None:
    raw = article_of(load(path)).read_bytes()
    text = raw.decode("utf-8")
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    lines = text.split("\n")
    assert lines[0].strip() and lines[1] == "", "first line is the headline, second line is empty"
    words = len(text.split())
    assert 150 <= words <= 450, f"{words} words"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_vocabulary(path: Path) -> None:
    gold = load(path)
    assert gold.get("note"), "every gold explains its judgement calls in 'note'"
    for group in ("works", "entities"):
        for name, aliases in gold.get(group, {}).items():
            assert isinstance(name, str) and isinstance(aliases, list)
            assert all(isinstance(a, str) and a for a in aliases), name
    for fact in all_facts(gold):
        assert 3 <= len(fact) <= 4, fact
        subject, predicate, objects = fact[0], fact[1], as_list(fact[2])
        assert isinstance(subject, str) and subject
        assert predicate in ALL_PREDICATES, f"unknown predicate {predicate!r}"
        qualifiers = fact[3] if len(fact) == 4 else {}
        assert set(qualifiers) <= QUALIFIER_KEYS, f"unknown qualifier in {fact}"
        if predicate == "cast" and fact in gold["required"]:
            assert "character" in qualifiers, f"cast needs a character: {fact}"
        if predicate in DATE_PREDICATES:
            for date in objects:
                assert DATE_RE.match(date), f"bad date {date!r}"
                if len(date) == 10:
                    dt.date.fromisoformat(date)
        if predicate in ENUMS:
            assert set(objects) <= ENUMS[predicate], fact
        if predicate == "episodes":
            assert all(o.isdigit() for o in objects), fact


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_required_facts_are_stated(path: Path) -> None:
    gold = load(path)
    text = article_of(gold).read_text(encoding="utf-8")
    groups = {**gold.get("works", {}), **gold.get("entities", {})}
    known = {fold(n) for name, aliases in groups.items() for n in (name, *aliases)}
    required = gold["required"]
    assert required, "a gold file without required facts tests nothing"
    assert [json.dumps(f, sort_keys=True) for f in required] == list(
        dict.fromkeys(json.dumps(f, sort_keys=True) for f in required)
    ), "duplicate required fact"
    headlines = [f for f in required if f[:2] == ["@article", "headline"]]
    assert len(headlines) == 1 and headlines[0][2] == text.split("\n", 1)[0]
    for fact in required:
        subject, predicate, objects = fact[0], fact[1], as_list(fact[2])
        assert subject == "@article" or fold(subject) in known, f"subject {subject!r} not in works/entities"
        assert objects, f"a required fact needs an object: {fact}"
        if predicate in NAMED_PREDICATES:
            names = {s for o in objects for s in spellings(gold, o)}
            assert any(written_in(text, n) for n in names), f"{fact} is not written in the article"
        for key, wanted in (fact[3] if len(fact) == 4 else {}).items():
            names = {s for o in as_list(wanted) for s in spellings(gold, o)}
            assert any(written_in(text, n) for n in names), f"qualifier {key}={wanted} not in the article"


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_scorer_loads_gold(path: Path, score_module: ModuleType) -> None:
    gold = score_module.Gold(path)
    assert gold.required
    # A prediction made of the gold's own first choices scores every required fact.
    facts = []
    for fact in load(path)["required"]:
        subject = fact[0]
        facts.append(
            {
                "subject": subject,
                "subject_type": "article" if subject == "@article" else "work",
                "predicate": fact[1],
                "object": as_list(fact[2])[0],
                "qualifiers": {k: as_list(v)[0] for k, v in (fact[3] if len(fact) == 4 else {}).items()},
            }
        )
    errors: list[str] = []
    counts = score_module.score_article(gold, facts, None, errors)
    missed = [e for e in errors if "missed" in e]
    assert not missed, missed
    assert sum(c["fp"] for p, c in counts.items() if not p.startswith("_")) == 0


DEMO_DIR = REPO / "src" / "anigraph" / "demo_data"
DEMO_FILES = sorted(DEMO_DIR.glob("*.txt"))


def test_demo_data_has_a_few_articles() -> None:
    assert 4 <= len(DEMO_FILES) <= 6
    assert sum("metallic rouge" in p.read_text(encoding="utf-8").casefold() for p in DEMO_FILES) >= 2


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.stem)
def test_demo_article_format(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert "\r" not in text and text.endswith("\n") and not text.endswith("\n\n")
    lines = text.split("\n")
    assert lines[0].strip() and lines[1] == "", "first line is the headline, second line is empty"
    assert 30 <= len(text.split()) <= 200, "demo articles stay short"
