"""Learned relations on invented shows: evidence documents, which mentions are scored, cast pairing."""

from __future__ import annotations

from anigraph.extract import Extractor
from anigraph.extract.document import Segment
from anigraph.extract.mentions import Mention
from anigraph.extract.relations import _character_for, candidates, featurize, taken_keys
from anigraph.models import Article, Evidence, Fact, Source, sha256_text
from conftest import Tagger


def article(text: str) -> Article:
    return Article(text=text, source=Source(sha256=sha256_text(text), path="t.txt"))


def test_features_name_the_label_the_neighbours_and_the_line_label() -> None:
    text = "Staff\n- Original Character Design: Rin Aoba (Copper Hollow)\n"
    seg = Segment(6, len(text) - 1, text[6:-1], "line", section="staff")
    actor = Mention(text.index("Rin"), text.index("Rin") + 8, "PERSON", "Rin Aoba")
    feats = featurize(text, seg, actor, [actor]).split()
    assert feats[:3] == ["_lab_PERSON", "_kind_line", "_sec_staff"]
    assert {"_inline", "_ll_character", "_ll_design", "_l1_colon", "_r1_lparen", "_paren_after"} <= set(feats)


def test_a_cast_pairs_with_the_nearest_character_in_its_clause() -> None:
    text = "The cast includes Sora Mei as Hana and Jun Ito as Koji."
    seg = Segment(0, len(text), text, "sentence")

    def m(name: str, label: str) -> Mention:
        return Mention(text.index(name), text.index(name) + len(name), label, name)

    tags = [m("Sora Mei", "PERSON"), m("Hana", "CHARACTER"), m("Jun Ito", "PERSON"), m("Koji", "CHARACTER")]
    assert _character_for(text, seg, tags[0], tags) == tags[1]
    assert _character_for(text, seg, tags[2], tags) == tags[3]


def test_mentions_a_rule_already_read_are_not_scored_again(extractor: Extractor, tagged: Tagger) -> None:
    text = "Velvet Orbit Cast\n\nVelvet Orbit is new. Rin Aoba stars; Crunchyroll streams it with Mei Sora."
    tags = [("Rin Aoba", "PERSON"), ("Crunchyroll", "ORG"), ("Mei Sora", "PERSON")]
    adoc, _facts = extractor.read(article(text), tagged(text, tags))
    rule_fact = Fact(
        "Velvet Orbit", "work", "cast", "Rin Aoba", Evidence(0, 1, "V"), qualifiers={"character": "X"}
    )
    scored = [m.text for _s, m, _f in candidates(adoc, taken=taken_keys([rule_fact]))]
    assert scored == ["Mei Sora"]  # Rin Aoba is taken; Crunchyroll is a gazetteer service the rules read


def test_prose_credits_the_rules_do_not_know(extractor: Extractor, tagged: Tagger) -> None:
    text = (
        "Velvet Orbit Anime Announced\n\n"
        "Studio Lumen is producing the Velvet Orbit anime, with Rin Aoba serving as director and "
        "Kaito Senba overseeing series composition.\n"
    )
    tags = [("Velvet Orbit", "WORK"), ("Rin Aoba", "PERSON"), ("Kaito Senba", "PERSON")]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    got = {(f.subject, f.predicate, f.object) for f in facts}
    assert ("Velvet Orbit", "director", "Rin Aoba") in got
    assert ("Velvet Orbit", "series_composition", "Kaito Senba") in got
