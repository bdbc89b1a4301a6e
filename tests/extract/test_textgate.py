"""Word gates in front of patterns: a gate that says no must mean the pattern finds nothing."""

from __future__ import annotations

import re

import pytest

from anigraph.extract.resources import Resources
from anigraph.extract.textgate import LiteralGate, any_search, gate_of, lowered

SAMPLES = [
    "The anime premieres on Tokyo MX in April 2026.",
    "THE ANIME PREMIERES ON TOKYO MX IN APRIL 2026.",
    "Studio Kafka is animating the series, directed by Jane Doe.",
    "Nothing relevant here at all",
    "ſeason two (long s) and the Kelvin sign in K-pop",
    "İstanbul premıere ıs here",
    "",
]


def test_required_literals_read_from_the_parse_tree() -> None:
    assert LiteralGate(re.compile(r"\b(?:premier(?:e|es)|debuts?)\b", re.I)).required == ("debut", "premiere")
    # a zero-width assertion keeps literals around it adjacent; an optional part ends them
    assert LiteralGate(re.compile(r"known\bfor")).required == ("knownfor",)
    assert LiteralGate(re.compile(r"(?:the\s+)?Movie")).required == ("Movie",)
    # nothing every match must hold
    assert LiteralGate(re.compile(r"[A-Z]\w+|\d+")).required is None
    assert LiteralGate(re.compile(r"a|")).required is None


def test_case_insensitive_gates_trust_no_text_with_fold_risky_characters() -> None:
    pattern = re.compile(r"season", re.I)
    assert pattern.search("ſeason")  # the long s matches "s" under IGNORECASE
    assert lowered("ſeason") is None
    assert LiteralGate(pattern).may_match("ſeason")


@pytest.mark.parametrize("name", sorted(Resources.load().regex))
def test_a_closed_gate_means_no_match(name: str) -> None:
    pattern = Resources.load().regex[name]
    gate = gate_of(pattern)
    for text in SAMPLES:
        if not gate.may_match(text):
            assert pattern.search(text) is None
        assert gate.admits(text, lowered(text)) == gate.may_match(text)


def test_any_search_is_any_of_the_searches() -> None:
    patterns = Resources.load().boilerplate
    start, anywhere = any_search(patterns)
    lines = [*SAMPLES, "Source: Crunchyroll", "Image credit: © Studio", "Read more: the next story", "via: X"]
    for line in lines:
        expected = any(p.search(line) for p in patterns)
        got = bool((start and start.match(line)) or (anywhere and anywhere.search(line)))
        assert got == expected, line
