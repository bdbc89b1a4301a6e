"""Which works an article names (invented shows): titles glued to a cast line are not works."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from anigraph.extract import Extractor, works
from anigraph.models import Article, Source, sha256_text
from conftest import Tagger

CAST_LIST = (
    "Velvet Orbit Anime Reveals Cast\n\n"
    "The television anime of Velvet Orbit premieres in April 2027. The cast includes:\n\n"
    "Velvet Orbit: Haruka Tomita\nKestrel: Mira Okada\n"
)


def article(text: str) -> Article:
    return Article(text=text, source=Source(sha256=sha256_text(text), path="t.txt"))


def test_a_character_and_its_actor_on_one_line_are_not_a_subtitled_title(
    extractor: Extractor, tagged: Tagger
) -> None:
    """ "Velvet Orbit: Haruka Tomita" in a cast list names the title character and its actor."""
    doc = tagged(CAST_LIST, [("Haruka Tomita", "PERSON"), ("Mira Okada", "PERSON")])
    at = CAST_LIST.index("Velvet Orbit: Haruka")  # the model reads the character as the title there
    title = doc.char_span(at, at + len("Velvet Orbit"), label="WORK")
    assert title is not None
    doc.ents = sorted([*doc.ents, title], key=lambda span: span.start)
    adoc, facts = extractor.read(article(CAST_LIST), doc)
    assert [w.name for w in adoc.works] == ["Velvet Orbit"]
    assert ("Velvet Orbit", "cast", "Haruka Tomita") in {(f.subject, f.predicate, f.object) for f in facts}


def test_a_subtitle_the_model_does_not_read_as_a_person_stays_a_title(
    extractor: Extractor, tagged: Tagger
) -> None:
    text = (
        "Velvet Orbit: Night Run Anime Sets Date\n\n"
        "The television anime Velvet Orbit: Night Run premieres in April 2027 on Tokyo MX.\n"
    )
    adoc, _facts = extractor.read(article(text), tagged(text, []))
    assert "Velvet Orbit: Night Run" in [w.name for w in adoc.works]


def test_a_learned_short_form_of_a_subtitled_title_is_the_same_work(
    extractor: Extractor, tagged: Tagger
) -> None:
    """ "Code: Night" beside "Kestrel Hollow Code: Night": the film's short form, one work."""
    text = (
        "Kestrel Hollow Code: Night Film Opens in May\n\n"
        "The feature film Kestrel Hollow Code: Night opens in Japanese theaters on May 5, 2027. "
        "Code: Night is directed by Mira Okada.\n"
    )
    at = text.index("Code: Night is")
    doc = tagged(text, [("Mira Okada", "PERSON")])
    short = doc.char_span(at, at + len("Code: Night"), label="WORK")
    assert short is not None
    doc.ents = sorted([*doc.ents, short], key=lambda span: span.start)
    adoc, _facts = extractor.read(article(text), doc)
    film = next(w for w in adoc.works if w.name == "Kestrel Hollow Code: Night")
    assert "Code: Night" in film.aliases
    assert "Code: Night" not in [w.name for w in adoc.works]


def test_a_title_alone_on_its_line_heads_its_section_whatever_its_topic_score(
    extractor: Extractor, tagged: Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A roundup: each show's section opens with its title on a line of its own; the section's
    credits belong to that show even when only the mention model found the title."""
    monkeypatch.setattr(works, "LEARNED_WORK_MIN", 1.01)  # no TOPIC score admits a learned title
    text = (
        "Spring Anime Roundup\n\n"
        "The television anime Velvet Orbit premieres in April 2027. "
        "Velvet Orbit is directed by Mira Okada.\n\n"
        "Lantern Hollow\n\n"
        "The series is directed by Daiki Sano at Studio Lumen.\n"
    )
    tags = [
        ("Velvet Orbit", "WORK"),
        ("Mira Okada", "PERSON"),
        ("Lantern Hollow", "WORK"),
        ("Daiki Sano", "PERSON"),
    ]
    doc = tagged(text, tags)
    adoc, facts = extractor.read(article(text), doc)
    assert "Lantern Hollow" in [w.name for w in adoc.works]
    assert ("Lantern Hollow", "director", "Daiki Sano") in {(f.subject, f.predicate, f.object) for f in facts}


def test_a_latin_title_after_the_native_one_in_parentheses_is_an_alias(extractor: Extractor) -> None:
    """ "Koukai no Hoshi (コウカイ, Velvet Orbit)": the English title follows the Japanese one."""
    text = (
        "Koukai no Hoshi Anime Gets Date\n\n"
        "Fans of the manga, Koukai no Hoshi (コウカイ, Velvet Orbit), will be delighted: "
        "the anime premieres in April 2027.\n"
    )
    _adoc, facts = extractor.read(article(text), extractor.doc(text))
    assert ("Koukai no Hoshi", "alias", "Velvet Orbit") in {(f.subject, f.predicate, f.object) for f in facts}


def _tag_all(doc: Doc, text: str, phrase: str, label: str) -> None:
    """Tag every occurrence of ``phrase`` (the fixture tags the first one only)."""
    spans = list(doc.ents)
    at = text.find(phrase)
    while at >= 0:
        span = doc.char_span(at, at + len(phrase), label=label)
        assert span is not None
        if not any(s.start < span.end and span.start < s.end for s in spans):
            spans.append(span)
        at = text.find(phrase, at + 1)
    doc.ents = sorted(spans, key=lambda s: s.start)


def test_a_name_the_model_reads_as_a_person_takes_no_work_facts(extractor: Extractor, tagged: Tagger) -> None:
    """ "Studio Lumen's Mira Okada (Lantern Hollow)" shapes a title for the rules; the model reads the
    name as a person everywhere, so it is not a work and the sentence's credit is not about it."""
    text = (
        "Velvet Orbit Anime Reveals Staff\n\n"
        "The television anime Velvet Orbit premieres in April 2027 on Tokyo MX.\n\n"
        "Art direction is by Studio Lumen's Mira Okada (Lantern Hollow), "
        "and Daiki Sano composes the music.\n\n"
        "Mira Okada said the backgrounds took a year.\n"
    )
    doc = tagged(text, [("Velvet Orbit", "WORK"), ("Daiki Sano", "PERSON")])
    _tag_all(doc, text, "Mira Okada", "PERSON")
    adoc, facts = extractor.read(article(text), doc)
    assert "Mira Okada" not in [w.name for w in adoc.works]
    assert all(f.subject != "Mira Okada" or f.subject_type != "work" for f in facts)
    assert ("Velvet Orbit", "music", "Daiki Sano") in {(f.subject, f.predicate, f.object) for f in facts}


def test_a_title_glued_to_a_credit_after_a_colon_is_not_a_subtitled_title(
    extractor: Extractor, tagged: Tagger
) -> None:
    """ "Velvet Orbit: Director Mira Okada, known for …": a title, a colon and a credit, not one title."""
    text = (
        "Velvet Orbit: new anime from the director of Lantern Hollow\n\n"
        "Velvet Orbit: Director Mira Okada, known for Lantern Hollow, returns with a new anime. "
        "The series, titled Velvet Orbit, premieres in April 2027.\n"
    )
    adoc, _facts = extractor.read(article(text), tagged(text, [("Mira Okada", "PERSON")]))
    names = [w.name for w in adoc.works]
    assert "Velvet Orbit" in names
    assert not any(n.startswith("Velvet Orbit: Director") for n in names)


def test_a_count_opening_the_headline_is_not_a_title(extractor: Extractor, tagged: Tagger) -> None:
    text = (
        "Two More Cast Members Announced for the Velvet Orbit Anime\n\n"
        "Two more cast members have been announced for the Velvet Orbit anime. "
        "Velvet Orbit premieres in April 2027.\n"
    )
    adoc, _facts = extractor.read(article(text), tagged(text, []))
    names = [w.name for w in adoc.works]
    assert "Two" not in names
    assert adoc.main_work is not None and adoc.main_work.name == "Velvet Orbit"


def test_a_name_titled_in_parentheses_after_a_title_is_its_alias(extractor: Extractor) -> None:
    text = (
        "Velvet Orbit Gets New Video\n\n"
        "Studio Lumen unveiled a new video for Velvet Orbit (titled Veruvetto in Japanese), "
        "the original anime from director Mira Okada. Velvet Orbit premieres in 2027.\n"
    )
    adoc, facts = extractor.read(article(text), extractor.doc(text))
    got = {(f.subject, f.predicate, f.object) for f in facts}
    assert ("Velvet Orbit", "alias", "Veruvetto") in got
    assert ("Velvet Orbit", "director", "Mira Okada") in got
    assert "Veruvetto" not in [w.name for w in adoc.works]


@pytest.mark.parametrize(("owner_label", "apostrophe"), [("WORK", "’"), ("PERSON", "’"), ("WORK", "‘")])
def test_a_creator_named_by_her_earlier_work_is_the_creator(
    extractor: Extractor, tagged: Tagger, owner_label: str, apostrophe: str
) -> None:
    """ "the manga drawn by Lantern Hollow’s Mira Okada": she is the creator; the work she is known by
    is no creator, whatever the mention model calls it (rules, learned relations)."""
    text = (
        "Velvet Orbit Anime Announced\n\n"
        "The anime Velvet Orbit is based on the manga written and drawn by "
        f"Lantern Hollow{apostrophe}s Mira Okada. "
        "Velvet Orbit premieres in April 2027.\n"
    )
    doc = tagged(text, [("Velvet Orbit", "WORK"), ("Lantern Hollow", owner_label), ("Mira Okada", "PERSON")])
    _adoc, facts = extractor.read(article(text), doc)
    got = {(f.subject, f.predicate, f.object) for f in facts}
    assert ("Velvet Orbit", "original_creator", "Mira Okada") in got
    assert not any(o.startswith("Lantern Hollow") for _s, p, o in got if p == "original_creator")
    if owner_label == "WORK":
        assert ("Mira Okada", "known_for", "Lantern Hollow") in got


def test_a_film_titled_in_one_word_is_the_subject_not_the_directors_earlier_films(
    extractor: Extractor, tagged: Tagger
) -> None:
    """ "the director behind A, B and C … her new film is titled Kestrel": A, B, C are earlier works
    (never the subject), and one word after "titled" is a title."""
    text = (
        "Mira Okada, the acclaimed director behind Lantern Hollow, Night Run and Glass Moon, "
        "revealed on Friday that her new film is titled Kestrel. It opens in 2027.\n"
    )
    tags = [
        ("Mira Okada", "PERSON"),
        ("Lantern Hollow", "WORK"),
        ("Night Run", "WORK"),
        ("Glass Moon", "WORK"),
    ]
    adoc, _facts = extractor.read(article(text), tagged(text, tags))
    assert adoc.main_work is not None and adoc.main_work.name == "Kestrel"
    vetoed = {c.work.name for c in adoc.subject_candidates if c.vetoed}
    assert {"Lantern Hollow", "Night Run", "Glass Moon"} <= vetoed


@pytest.mark.parametrize("aka", ["also known as Veruvetto Orbit", "titled Veruvetto Orbit in Japan"])
def test_an_other_name_in_parentheses_joins_a_title_found_after_it(
    extractor: Extractor, tagged: Tagger, aka: str
) -> None:
    """The title before the parentheses is found by a later cue or by the mention model; the other
    name still joins it as an alias, and the title keeps its name."""
    text = f"Autumn Preview\n\nThe anime Velvet Orbit ({aka}) premieres in 2027.\n"
    adoc, facts = extractor.read(article(text), tagged(text, [("Velvet Orbit", "WORK")]))
    assert [(w.name, w.aliases) for w in adoc.works] == [("Velvet Orbit", ["Veruvetto Orbit"])]
    assert ("Velvet Orbit", "alias", "Veruvetto Orbit") in {(f.subject, f.predicate, f.object) for f in facts}


def test_a_roundups_section_titles_head_their_sections(extractor: Extractor, tagged: Tagger) -> None:
    """News briefs: each show's section opens with its title on a line of its own (an exclamation mark,
    a subtitle the model reads as a name), then a line about "the series"; credits below are its own."""
    text = (
        "Anime News Briefs\n\n"
        "Velvet Orbit premieres in April 2027 and is directed by Mira Okada.\n\n"
        "Lantern Hollow: Kei Sato\n"
        "A few staff members for the series have been announced:\n\n"
        "Director: Daiki Sano\n"
        "Studio: Diomedea\n\n"
        "Source: Official Site\n\n"
        "Glass Moon!\n"
        "Some cast members have been announced for the series.\n\n"
        "Director: Aya Endo\n"
    )
    tags = [("Velvet Orbit", "WORK"), ("Mira Okada", "PERSON"), ("Kei Sato", "PERSON")]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    got = {(f.subject, f.predicate, f.object) for f in facts}
    assert ("Lantern Hollow: Kei Sato", "director", "Daiki Sano") in got
    assert ("Lantern Hollow: Kei Sato", "studio", "Diomedea") in got
    assert ("Glass Moon!", "director", "Aya Endo") in got
    assert ("Velvet Orbit", "director", "Mira Okada") in got


def test_a_list_of_works_in_parentheses_after_a_person_is_read_whole(
    extractor: Extractor, tagged: Tagger
) -> None:
    """ "director Mira Okada (Glass Moon, Night Run, Velvet Orbit)": the model reads one item as a work
    and one as a name; the list is one kind, so all three are her earlier works."""
    text = (
        "Lantern Hollow Video\n\n"
        "A new video for the original anime Lantern Hollow from director Mira Okada "
        "(Glass Moon, Night Run, Velvet Orbit) and the studio MAPPA was unveiled.\n"
    )
    tags = [
        ("Lantern Hollow", "WORK"),
        ("Mira Okada", "PERSON"),
        ("Night Run", "PERSON"),
        ("Velvet Orbit", "WORK"),
    ]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    known = {f.object for f in facts if f.subject == "Mira Okada" and f.predicate == "known_for"}
    assert known == {"Glass Moon", "Night Run", "Velvet Orbit"}


@pytest.mark.parametrize(
    ("inner", "alias"),
    [
        ("Kestrel Night", True),
        ("Mira Okada", False),
        ("13 x 30-minute episodes", False),
        ("June 24, 2010", False),
    ],
)
def test_a_name_in_parentheses_after_a_learned_title_is_its_alias(
    extractor: Extractor, tagged: Tagger, inner: str, alias: bool
) -> None:
    """ "Yoru no Kestrel (Kestrel Night)" where only the model knows the title: the other name is its
    alias; a person, a running time or a date in the parentheses is not."""
    text = f"Anime Roundup\n\nThe studio produced Yoru no Kestrel ({inner}) for Fuji TV in 2027.\n"
    tags = [("Yoru no Kestrel", "WORK")] + ([("Mira Okada", "PERSON")] if inner == "Mira Okada" else [])
    adoc, _facts = extractor.read(article(text), tagged(text, tags))
    aliases = {a for w in adoc.works for a in w.aliases} | {
        a for c in adoc.subject_candidates for a in c.work.aliases
    }
    assert (inner in aliases) is alias


def test_a_person_named_by_a_role_on_another_work_is_known_for_it(
    extractor: Extractor, tagged: Tagger
) -> None:
    text = "Autumn News\n\n‘Lantern Hollow’ is the new show from ‘Velvet Orbit’ director Mira Okada.\n"
    tags = [("Lantern Hollow", "WORK"), ("Velvet Orbit", "WORK"), ("Mira Okada", "PERSON")]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    assert ("Mira Okada", "known_for", "Velvet Orbit") in {(f.subject, f.predicate, f.object) for f in facts}


@pytest.mark.parametrize(
    "sentence",
    [
        "the latest feature film “Velvet Orbit” opens in 2027.",
        "the upcoming film, Velvet Orbit, opens in 2027.",
    ],
)
def test_a_film_noun_before_a_quoted_or_comma_set_title_gives_its_format(
    extractor: Extractor, tagged: Tagger, sentence: str
) -> None:
    text = f"Autumn News\n\nAs announced, {sentence}\n"
    _adoc, facts = extractor.read(article(text), tagged(text, [("Velvet Orbit", "WORK")]))
    assert ("Velvet Orbit", "format", "film") in {(f.subject, f.predicate, f.object) for f in facts}


def test_previous_roles_after_a_person_are_works_they_are_known_for(
    extractor: Extractor, tagged: Tagger
) -> None:
    text = (
        "Spring Casting News\n\n"
        "The anime Lantern Hollow casts Mira Okada, "
        "whose previous voice roles include Velvet Orbit.\n"
    )
    tags = [("Lantern Hollow", "WORK"), ("Mira Okada", "PERSON"), ("Velvet Orbit", "WORK")]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    assert ("Mira Okada", "known_for", "Velvet Orbit") in {(f.subject, f.predicate, f.object) for f in facts}


@pytest.mark.parametrize(
    "sentence",
    [
        "Lantern Hollow is the sequel series to “Velvet Orbit” and follows the daughters of its heroes.",
        "Lantern Hollow is a sequel to last year's “Velvet Orbit” and follows the daughters of its heroes.",
    ],
)
def test_a_sequel_to_a_named_work(extractor: Extractor, tagged: Tagger, sentence: str) -> None:
    text = f"Autumn News\n\n{sentence} Velvet Orbit aired in 2001.\n"
    tags = [("Lantern Hollow", "WORK"), ("Velvet Orbit", "WORK")]
    _adoc, facts = extractor.read(article(text), tagged(text, tags))
    assert ("Lantern Hollow", "sequel_of", "Velvet Orbit") in {
        (f.subject, f.predicate, f.object) for f in facts
    }


def test_a_pair_whose_names_were_two_works_joins_them_whatever_their_order(
    extractor: Extractor, tagged: Tagger
) -> None:
    """The name in parentheses was seen first (a work of its own); the pair joins the two works."""
    text = (
        "Autumn News\n\nKestrel Night is the talk of the season. "
        "The studio produced Yoru no Kestrel (Kestrel Night) for Fuji TV in 2027.\n"
    )
    tags = [("Kestrel Night", "WORK"), ("Yoru no Kestrel", "WORK")]
    adoc, _facts = extractor.read(article(text), tagged(text, tags))
    names = {c.work.name: c.work.aliases for c in adoc.subject_candidates}
    assert "Yoru no Kestrel" not in names or "Kestrel Night" not in names
