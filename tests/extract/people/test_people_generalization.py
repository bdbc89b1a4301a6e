"""People-centric extraction on unseen house styles: cast notations, credit phrasings, songs, and
characters that need a positive cue. All sentences are written for these tests."""

from __future__ import annotations

import pytest
from people_naive import naive_adoc

from anigraph.extract.people import PeopleExtractor
from anigraph.models import Fact

WORK = "Lantern Sky"


@pytest.fixture(scope="module")
def people() -> PeopleExtractor:
    return PeopleExtractor.load()


def run(people: PeopleExtractor, body: str) -> list[Fact]:
    return people(naive_adoc(f"Headline about {WORK}\n\n{body}\n", [WORK]))


def triples(facts: list[Fact]) -> set[tuple[str, str, str]]:
    return {(f.subject, f.predicate, f.object) for f in facts}


def casts(facts: list[Fact]) -> set[tuple[str, str]]:
    return {(f.object, f.qualifiers["character"]) for f in facts if f.predicate == "cast"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # "Character (Actor)": three-word character names decide the orientation of the whole list
            "The main cast is led by:\n\nTobi Renmark (Yui Ishi)\nMira Sato (Aya Endo)\n"
            "Kaito Langley Renmark (Kenji Oda)",
            {("Yui Ishi", "Tobi Renmark"), ("Aya Endo", "Mira Sato"), ("Kenji Oda", "Kaito Langley Renmark")},
        ),
        (  # one-word characters outside the parentheses
            "Cast\nNova (Aya Endo)\nTobi (Yui Ishi)",
            {("Aya Endo", "Nova"), ("Yui Ishi", "Tobi")},
        ),
        (  # Japanese and English dub actors of one role; a one-word stage name in capitals
            "Voice cast (Japanese / English):\nRYOHEI and Mark Dane as Tobi Ren\nAya Endo and Emi Lo as Mira",
            {("RYOHEI", "Tobi Ren"), ("Mark Dane", "Tobi Ren"), ("Aya Endo", "Mira"), ("Emi Lo", "Mira")},
        ),
        (  # a labelled dual-dub line
            "Main cast: Yui Ishi (Japanese) / Mark Dane (English) as Tobi Ren",
            {("Yui Ishi", "Tobi Ren"), ("Mark Dane", "Tobi Ren")},
        ),
        (  # "Character / Alter ego — Actor (Japanese), Actor (English)"
            "Cast\nMira Sato / Nova — Aya Endo (Japanese), Emi Lo (English)",
            {("Aya Endo", "Mira Sato"), ("Emi Lo", "Mira Sato")},
        ),
        (  # the voice-actor gazetteer decides "Actor — Character" when name shapes cannot
            "Main cast:\nKana Hanazawa — Mira Sato\nYuki Kaji — Tobi Ren",
            {("Kana Hanazawa", "Mira Sato"), ("Yuki Kaji", "Tobi Ren")},
        ),
        (  # ... and "Character ... Actor" lines, whatever their separator
            "Cast\nMira Sato ... Kana Hanazawa\nTobi Ren ... Yuki Kaji",
            {("Kana Hanazawa", "Mira Sato"), ("Yuki Kaji", "Tobi Ren")},
        ),
        (  # a known voice actor followed by "as" needs no other cast cue
            "Back from the first season are Kana Hanazawa as Mira and Yuki Kaji as Tobi.",
            {("Kana Hanazawa", "Mira"), ("Yuki Kaji", "Tobi")},
        ),
        (  # two actors, two roles, in order
            "Aya Endo and Yui Ishi starred as Mira Sato and Tobi Ren.",
            {("Aya Endo", "Mira Sato"), ("Yui Ishi", "Tobi Ren")},
        ),
        (  # a one-word actor the gazetteer knows, in an "Actor as Character" list
            "Cast\nLynn as Mira Sato\nKanata as Tobi Ren\nYui Ishi as Kaito Ren",
            {("Lynn", "Mira Sato"), ("Yui Ishi", "Kaito Ren")},
        ),
        (  # a table row the page's text keeps on one line
            "Cast\n| Mira Sato | Aya Endo |\n| Tobi Ren (Ren) | Yui Ishi |",
            {("Aya Endo", "Mira Sato"), ("Yui Ishi", "Tobi Ren")},
        ),
        (  # "Actor — Character" lines: one-word characters on the right decide the orientation
            "Cast\nKaito Ishikawa — Tobi\nAya Endo — Mira Sato",
            {("Kaito Ishikawa", "Tobi"), ("Aya Endo", "Mira Sato")},
        ),
        (
            "Kaito Ishikawa lends his voice to Tobi Ren, while Aya Endo takes on the role of Mira Sato.",
            {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")},
        ),
        ("Kaito Ishikawa has been cast in the role of Tobi Ren.", {("Kaito Ishikawa", "Tobi Ren")}),
        ("Tobi Ren is played by Kaito Ishikawa in the English dub.", {("Kaito Ishikawa", "Tobi Ren")}),
        (  # family names with an inner capital
            "Cast\nMira / Nova — Aya DiMarco (Japanese), Kyle McNeill (English), Sean O'Hara (Spanish)",
            {("Aya DiMarco", "Mira"), ("Kyle McNeill", "Mira"), ("Sean O'Hara", "Mira")},
        ),
        (
            "Yuki Kaji is the new Japanese voice of Kaito the Wanderer, the drifting swordsman.",
            {("Yuki Kaji", "Kaito the Wanderer")},
        ),
        (  # the band is no actor: its singer is
            "The singer Momo of the rock band Silver Bee voices Tobi, and actor Ken Oda voices Mira.",
            {("Momo", "Tobi"), ("Ken Oda", "Mira")},
        ),
        (  # a one-word role completed from the full name given earlier
            "The story follows the swordsman Tobi Renmark. Yui Ishi voices Tobi in the Japanese version.",
            {("Yui Ishi", "Tobi Renmark")},
        ),
    ],
)
def test_cast_notations(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    facts = run(people, body)
    assert casts(facts) == expected
    chars = {f.object for f in facts if f.predicate == "character"}
    assert {c for _, c in expected} <= chars
    assert not chars & {a for a, _ in expected}


@pytest.mark.parametrize(
    ("body", "absent"),
    [
        ("Kaito the Wanderer, a drifting swordsman, returns.", {"Wanderer"}),
        ("The key visual shows Tobi Ren, a veteran character designer, at work.", {"Tobi Ren"}),
        ("The story follows 42 and B, the heroine, in the city.", {"42", "B"}),
        ("The story follows Crunchyroll, the heroine of the tale.", {"Crunchyroll"}),
    ],
)
def test_not_characters(people: PeopleExtractor, body: str, absent: set[str]) -> None:
    chars = {f.object for f in run(people, body) if f.predicate == "character"}
    assert not chars & absent


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'Orbit performed the first opening theme, "Tide," while Kaho sang the first ending theme, '
            '"Ember." For the second cour, Nami took over the opening with "Lumen."',
            {
                ("opening_theme", "Tide", "Orbit"),
                ("ending_theme", "Ember", "Kaho"),
                ("opening_theme", "Lumen", "Nami"),
            },
        ),
        (
            'Opening Theme — "Tide" by Orbit\nEnding Theme — "Ember" by Kaho',
            {("opening_theme", "Tide", "Orbit"), ("ending_theme", "Ember", "Kaho")},
        ),
        (
            'Orbit\'s new single "Tide" will be used as the opening theme.',
            {("opening_theme", "Tide", "Orbit")},
        ),
        (
            'The rock band The Nightjars performs the opening theme "Tide."',
            {("opening_theme", "Tide", "The Nightjars")},
        ),
        (
            'Orbit returns for a second time to sing the opening theme. Their new song "Tide" features Kaho.',
            {("opening_theme", "Tide", "Orbit")},
        ),
        (  # an appositive between the performer and the verb
            'NOVA, a unit formed by Aya Endo and Kaho Mori, performs the opening theme "Tide".',
            {("opening_theme", "Tide", "NOVA")},
        ),
        (  # a possessive performer; a lower-case stage name after "the singer"; a season before the kind
            'Orbit\'s opening "Tide" topped the charts. '
            'The singer kaho performs the Season 2 opening theme "Ember."',
            {("opening_theme", "Tide", "Orbit"), ("opening_theme", "Ember", "kaho")},
        ),
    ],
)
def test_theme_song_phrasings(
    people: PeopleExtractor, body: str, expected: set[tuple[str, str, str]]
) -> None:
    got = {
        (f.predicate, f.object, f.qualifiers.get("performer", ""))
        for f in run(people, body)
        if f.predicate.endswith("_theme")
    }
    assert got == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Aya Shimizu tackles the series composition.",
            {("series_composition", "Aya Shimizu")},
        ),
        (
            "Hana Kobayashi wrote and directed the film.",
            {("screenplay", "Hana Kobayashi"), ("director", "Hana Kobayashi")},
        ),
        ("Ren Takeda handles the animation at MAPPA.", {("studio", "MAPPA")}),
        (
            "The music is once more a collaboration between Aya Endo and Kenji Oda.",
            {("music", "Aya Endo"), ("music", "Kenji Oda")},
        ),
        (  # a lower-case name ends at a comma only when the artist gazetteer knows it
            "The score is by kevin penkin, who also wrote the theme. "
            "The music is by some new people, who met.",
            {("music", "kevin penkin")},
        ),
        (  # B's own office and job are not A's credit
            "Aya Endo directs the series, with Kenji Oda, co-founder of Studio Lumen, "
            "serving as executive producer.",
            {("director", "Aya Endo")},
        ),
        ("Animation production by MAPPA.", {("studio", "MAPPA")}),
        (
            "Toei Animation produced it together with Bright Animation Studio.",
            {("studio", "Toei Animation"), ("studio", "Bright Animation Studio")},
        ),
        (
            "Staff\nThe film's character design — Ren Takeda, a veteran animator",
            {("character_design", "Ren Takeda")},
        ),
        (  # a sentence cut after the "!" inside a parenthesis is read whole
            "Aya Shimizu (Go! Go! Runners) is back in charge of the series composition.",
            {("series_composition", "Aya Shimizu")},
        ),
        (  # a parenthesised earlier work between the name and the role
            'Kenji Oda ("Paper Comet" series) is responsible for the musical background of the sequel.',
            {("music", "Kenji Oda")},
        ),
        (  # an appositive description between the name and its verb
            "Ren Takeda, a veteran animator, is in charge of the character designs.",
            {("character_design", "Ren Takeda")},
        ),
        (  # an appositive holding a list of earlier works
            "Aya Endo, known for work on Paper Comet, Glass Harbor, and Copper Moon, is in charge of "
            "series composition.",
            {("series_composition", "Aya Endo")},
        ),
        (  # the appositive ends at its own comma when a verb follows: B's credit is not A's
            'Aya Endo, known for her work on "Paper Comet", will serve as the series composer, while '
            'Kenji Oda, renowned for his work on "Glass Harbor", will handle character designs.',
            {("series_composition", "Aya Endo"), ("character_design", "Kenji Oda")},
        ),
    ],
)
def test_more_credit_phrasings(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    skip = ("character", "animation_production", "known_for")  # earlier works: test_prior_works.py
    got = {(p, o) for _, p, o in triples(run(people, body)) if p not in skip}
    assert got == expected


def test_author_bio_gives_no_characters(people: PeopleExtractor) -> None:
    body = (
        "Hana Kobayashi directs the anime.\n\n"
        "About the author: Jo Park writes about anime. She lives in Austin with a cat named Pixel."
    )
    facts = run(people, body)
    assert not [f for f in facts if f.predicate == "character"]
    assert ("director", "Hana Kobayashi") in {(f.predicate, f.object) for f in facts}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Ren Takeda, whose score for the earlier anime won praise, is back as composer.",
            {("music", "Ren Takeda")},
        ),
        ("MAYA composed the music.", {("music", "MAYA")}),
        ("Composer Kenji Kawai is scoring the series.", {("music", "Kenji Kawai")}),
        (
            "The synth band Lumenwave, which scored the game, returns to compose the music.",
            {("music", "Lumenwave")},
        ),
        (
            "The anime is based on Sean O'Hara's graphic novels.",
            {("original_creator", "Sean O'Hara")},
        ),
        ("Kenta's Studio Lumen produced the animation.", {("studio", "Studio Lumen")}),
    ],
)
def test_one_word_and_possessive_credits(
    people: PeopleExtractor, body: str, expected: set[tuple[str, str]]
) -> None:
    got = {(p, o) for _, p, o in triples(run(people, body)) if p != "character"}
    assert got == expected


def test_relation_and_copula_cues_give_characters(people: PeopleExtractor) -> None:
    body = "The story follows Tobi Ren, the youngest son of King Arlo. His only friend is Kage, a shadow."
    chars = {f.object: f for f in run(people, body) if f.predicate == "character"}
    assert {"King Arlo", "Kage"} <= set(chars)
    other = run(people, "The next scene shows Jean Ito, the son of the Harbor creator, in tears.")
    assert "Harbor" not in {f.object for f in other if f.predicate == "character"}
    assert "is" not in (chars["Kage"].qualifiers.get("description") or "").split()


@pytest.mark.parametrize(
    "body",
    [
        "The anime centers on Team Velocity, a racing squad from the coast.",
        "The story follows Class 1-A as they train to become heroes.",
        "The story follows Act 2 of the saga.",
        "The film follows Mamoru Hosoda's favourite theme: family.",
    ],
)
def test_groups_and_possessors_are_not_characters(people: PeopleExtractor, body: str) -> None:
    assert not [f for f in run(people, body) if f.predicate == "character"]


@pytest.mark.parametrize(
    ("body", "characters"),
    [
        ("The trailer introduces main character Tobi Ren.", {"Tobi Ren"}),
        ("The video also reveals new characters Rin Aoba and Drake Holt.", {"Rin Aoba", "Drake Holt"}),
        ("Characters: Tobi Ren, Mira Sato, Kage", {"Tobi Ren", "Mira Sato", "Kage"}),
        ("The main character designer Ren Takeda returns.", set()),
    ],
)
def test_character_lists(people: PeopleExtractor, body: str, characters: set[str]) -> None:
    assert {f.object for f in run(people, body) if f.predicate == "character"} == characters


def test_labelled_cv_line(people: PeopleExtractor) -> None:
    facts = run(people, "New character: Rin Aoba (CV: Saori Hayami), a diver.")
    assert casts(facts) == {("Saori Hayami", "Rin Aoba")}


def test_synopsis_names_need_a_positive_cue(people: PeopleExtractor) -> None:
    body = (
        "Synopsis:\nTobi has always dreamed of flying. When Imperial soldiers raid Harbor Town, he escapes "
        "with Mira and joins Sky Guard recruits headed for Zion. Christmas shoppers meet Santa. Later, one "
        "of the captain's children, Rin Aoba, starts attacking Kage."
    )
    chars = {f.object for f in run(people, body) if f.predicate == "character"}
    assert chars == {"Tobi", "Mira", "Rin Aoba", "Kage"}


@pytest.mark.parametrize(
    "body",
    [
        "The news follows Spy x Family's success last year.",
        "This announcement follows Made in Abyss getting a film.",
        "The reveal follows Anime Expo 2024, where the first trailer debuted.",
        "The anime follows Hero Academia's formula with a new protagonist.",
        "The story follows Isekai, a genre staple.",
    ],
)
def test_follows_in_the_sense_of_comes_after(people: PeopleExtractor, body: str) -> None:
    assert not [f for f in run(people, body) if f.predicate == "character"]


def test_company_job_title_is_not_a_credit(people: PeopleExtractor) -> None:
    body = "Netflix producer Taiki Sakurai said the series would stream worldwide."
    assert not [f for f in run(people, body) if f.predicate == "producer"]


def test_known_for_a_gerund(people: PeopleExtractor) -> None:
    facts = run(people, "Ren Takeda is best known for directing Blue Harbor and Red Dawn.")
    assert {(f.subject, f.object) for f in facts if f.predicate == "known_for"} == {
        ("Ren Takeda", "Blue Harbor"),
        ("Ren Takeda", "Red Dawn"),
    }


def test_returning_actor_in_a_relative_clause(people: PeopleExtractor) -> None:
    body = (
        "Yuki Kaji is the new Japanese voice of Kaito the Wanderer. For the English dub, Mark Dane, who "
        "voiced Kaito in the original anime's dub, returns to the role."
    )
    facts = people(naive_adoc(f"Lantern Sky Zero premieres\n\n{body}\n", ["Lantern Sky Zero", "Lantern Sky"]))
    got = {(f.subject, f.object, f.qualifiers["character"]) for f in facts if f.predicate == "cast"}
    assert got == {
        ("Lantern Sky Zero", "Yuki Kaji", "Kaito the Wanderer"),
        ("Lantern Sky Zero", "Mark Dane", "Kaito the Wanderer"),
        ("Lantern Sky", "Mark Dane", "Kaito the Wanderer"),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Returning to voice Tobi Ren is Kaito Ishikawa.", {("Kaito Ishikawa", "Tobi Ren")}),
        ("Reprising her role as Mira Sato is Aya Endo.", {("Aya Endo", "Mira Sato")}),
        (
            "Voicing Tobi Ren is Kaito Ishikawa, while Aya Endo plays Mira Sato.",
            {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")},
        ),
        (
            "Tobi Ren will be voiced by Kaito Ishikawa in Japanese and by Mark Dane in English.",
            {("Kaito Ishikawa", "Tobi Ren"), ("Mark Dane", "Tobi Ren")},
        ),
        ("The voice of Tobi Ren, Kaito Ishikawa, also sings.", {("Kaito Ishikawa", "Tobi Ren")}),
        ("Kaito Ishikawa, who plays Tobi Ren, said he was thrilled.", {("Kaito Ishikawa", "Tobi Ren")}),
    ],
)
def test_inverted_cast(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    assert casts(run(people, body)) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Directing the series is Hana Kobayashi, with music from Kenji Kawai.",
            {("director", "Hana Kobayashi"), ("music", "Kenji Kawai")},
        ),
        ("Handling the music is Kenji Kawai.", {("music", "Kenji Kawai")}),
        ("The music is once again by Kenji Kawai.", {("music", "Kenji Kawai")}),
        ("The music is by mika aoba.", {("music", "mika aoba")}),
        ("The music is by the way great.", set()),
    ],
)
def test_inverted_credits(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    assert {(p, o) for _, p, o in triples(run(people, body))} == expected


def test_scraped_tables(people: PeopleExtractor) -> None:
    body = (
        "Character | Japanese | English\nTobi Ren | Kaito Ishikawa | Mark Dane\n"
        "Mira Sato | Aya Endo | Emi Lo\n\n"
        "Role\tName\nDirector\tHana Kobayashi\nCharacter Design\tRen Takeda\n\nHome | News | Anime"
    )
    facts = run(people, body)
    assert casts(facts) == {
        ("Kaito Ishikawa", "Tobi Ren"),
        ("Mark Dane", "Tobi Ren"),
        ("Aya Endo", "Mira Sato"),
        ("Emi Lo", "Mira Sato"),
    }
    credits = {(f.predicate, f.object) for f in facts if f.predicate not in ("cast", "character")}
    assert credits == {("director", "Hana Kobayashi"), ("character_design", "Ren Takeda")}
    assert all(body[f.evidence.start : f.evidence.end] in body for f in facts)


@pytest.mark.parametrize(
    ("body", "characters"),
    [
        ("The anime stars Kaito Ishikawa and Aya Endo.", set()),
        ("The film will be based on a spin-off manga that stars Tobi Ren.", {"Tobi Ren"}),
        ("The anime stars Tobi Ren, a young swordsman.", {"Tobi Ren"}),
    ],
)
def test_stars_a_full_name(people: PeopleExtractor, body: str, characters: set[str]) -> None:
    assert {f.object for f in run(people, body) if f.predicate == "character"} == characters


def test_known_for_drops_the_kind_of_work(people: PeopleExtractor) -> None:
    facts = run(people, "Tappei Tanaka, the author of the Blue Harbor light novels, returns.")
    assert {f.object for f in facts if f.predicate == "known_for"} == {"Blue Harbor"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Kenji Kawai, who scored the TV series, returns for the film.", {("music", "Kenji Kawai")}),
        ("Aya Shimizu, who wrote the scripts for the TV series, is back.", {("screenplay", "Aya Shimizu")}),
        (
            "Hana Kobayashi, who directed the first season, returns as chief director.",
            {("chief_director", "Hana Kobayashi")},
        ),
    ],
)
def test_returning_staff_keep_their_job(
    people: PeopleExtractor, body: str, expected: set[tuple[str, str]]
) -> None:
    got = {(p, o) for s, p, o in triples(run(people, body)) if s == WORK}
    assert got == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Cast\nTobi Ren (Japanese: Kaito Ishikawa / English: Mark Dane)",
            {("Kaito Ishikawa", "Tobi Ren"), ("Mark Dane", "Tobi Ren")},
        ),
        ("Tobi Ren [CV: Kaito Ishikawa]", {("Kaito Ishikawa", "Tobi Ren")}),
        ("Tobi Ren (CV. Kaito Ishikawa)", {("Kaito Ishikawa", "Tobi Ren")}),
        ("Tobi Ren – CV: Kaito Ishikawa", {("Kaito Ishikawa", "Tobi Ren")}),
        (
            "Tobi Ren (CV: Kaito Ishikawa), the hero, and Mira Sato (CV: Aya Endo), his partner, appear.",
            {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")},
        ),
        (  # the labelled pair decides how the unlabelled one reads
            "The trailer introduces Tobi Ren (voiced by Kaito Ishikawa) and Mira Sato (Aya Endo).",
            {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")},
        ),
        ("Blue Harbor Kings (Japanese: Aoi Minato) returns this fall.", set()),
    ],
)
def test_voice_labels_in_brackets(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    assert casts(run(people, body)) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Aya Endo joins the cast as Crunchyroll.",
        "Director: Hana Kobayashi\nAya Endo plays Hana Kobayashi in the live stream.",
    ],
)
def test_cast_roles_are_never_companies_or_credited_people(people: PeopleExtractor, body: str) -> None:
    assert not casts(run(people, body))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Director: Hana Kobayashi; Series Composition: Aya Shimizu; Music: Kenji Kawai",
            {("director", "Hana Kobayashi"), ("series_composition", "Aya Shimizu"), ("music", "Kenji Kawai")},
        ),
        (
            "Staff: Director Hana Kobayashi, Series Composition Aya Shimizu, Music Kenji Kawai",
            {("director", "Hana Kobayashi"), ("series_composition", "Aya Shimizu"), ("music", "Kenji Kawai")},
        ),
        (
            "Hana Kobayashi directs from scripts by Aya Shimizu.",
            {("director", "Hana Kobayashi"), ("screenplay", "Aya Shimizu")},
        ),
        (
            "Series composition is handled by Aya Shimizu, and character designs are by Ren Takeda.",
            {("series_composition", "Aya Shimizu"), ("character_design", "Ren Takeda")},
        ),
    ],
)
def test_packed_credit_lines(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    assert {(p, o) for _, p, o in triples(run(people, body))} == expected


def test_cast_label_with_colon_pairs(people: PeopleExtractor) -> None:
    facts = run(people, "Cast: Tobi Ren: Kaito Ishikawa, Mira Sato: Aya Endo")
    assert casts(facts) == {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")}


def test_staff_lines_do_not_flip_a_cast_list(people: PeopleExtractor) -> None:
    body = (
        "Staff\nStory Concept: Kerori (Blue Harbor)\nDirector: Hana Kobayashi\n\n"
        "Cast\nTobi Ren: Kaito Ishikawa\nMira Sato: Aya Endo"
    )
    assert casts(run(people, body)) == {("Kaito Ishikawa", "Tobi Ren"), ("Aya Endo", "Mira Sato")}


@pytest.mark.parametrize(
    ("body", "characters"),
    [
        ("Her concerts are interrupted by a feared figure known as the Dragon.", {"Dragon"}),
        ("She meets a boy called Tobi at the station.", {"Tobi"}),
        ("One day an AI named Matsuo arrives from the future.", {"Matsuo"}),
        ("She needs a drug called Nectar to keep going.", set()),
        ("He runs into the cursed power known as the Evil Eye.", set()),
        ("He joins a club called Blue Harbor.", set()),
    ],
)
def test_called_and_known_as(people: PeopleExtractor, body: str, characters: set[str]) -> None:
    assert {f.object for f in run(people, body) if f.predicate == "character"} == characters


@pytest.mark.parametrize(
    ("body", "present", "absent"),
    [
        (  # a pen name of one word, right before the source kind
            "The anime adapts Kurogane's manga, which began in 2021.",
            {("Lantern Sky", "original_creator", "Kurogane"), ("Lantern Sky", "based_on", "manga")},
            set(),
        ),
        (  # a place or a publisher before "manga market/magazine" is not a creator
            "Japan's manga market is large, and Shueisha's manga magazine ran the story.",
            set(),
            {("Lantern Sky", "original_creator", "Japan"), ("Lantern Sky", "original_creator", "Shueisha")},
        ),
    ],
)
def test_source_creators(
    people: PeopleExtractor,
    body: str,
    present: set[tuple[str, str, str]],
    absent: set[tuple[str, str, str]],
) -> None:
    facts = triples(run(people, body))
    assert present <= facts, sorted(facts)
    assert not absent & facts


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Aya Endo directs. Endo is known for playing Mira in Tide Runner, so this is new ground.",
            {("Aya Endo", "known_for", "Tide Runner")},
        ),
        (
            "Kenji Oda directs. Oda, known for Tide Runner and Ember Road, returns to TV.",
            {("Kenji Oda", "known_for", "Tide Runner"), ("Kenji Oda", "known_for", "Ember Road")},
        ),
        (
            "Kenji Oda directs. Oda previously worked as an episode director on Ember Road.",
            {("Kenji Oda", "known_for", "Ember Road")},
        ),
    ],
)
def test_known_for_phrasings(people: PeopleExtractor, body: str, expected: set[tuple[str, str, str]]) -> None:
    facts = triples(run(people, body))
    assert expected <= facts, sorted(facts)
