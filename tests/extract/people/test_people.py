"""People-centric extraction on short sentences written for these tests."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from people_naive import naive_adoc

from anigraph.extract.people import PeopleExtractor, extract_people
from anigraph.models import Fact

WORK = "Lantern Sky"


@pytest.fixture(scope="module")
def people() -> PeopleExtractor:
    return PeopleExtractor.load()


def run(people: PeopleExtractor, body: str, works: list[str | list[str]] | None = None) -> list[Fact]:
    return people(naive_adoc(f"Headline about {WORK}\n\n{body}\n", works or [WORK]))


def triples(facts: list[Fact]) -> set[tuple[str, str, str]]:
    return {(f.subject, f.predicate, f.object) for f in facts}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Hana Kobayashi directs Lantern Sky, while Ren Takeda composes the music.",
            {("director", "Hana Kobayashi"), ("music", "Ren Takeda")},
        ),
        (
            "Kenji Morita (Blue Harbor) is helming the anime at LIDENFILMS.",
            {("director", "Kenji Morita"), ("studio", "LIDENFILMS")},
        ),
        (
            "Aya Shimizu is handling the series composition, and Ren Takeda is designing the characters.",
            {("series_composition", "Aya Shimizu"), ("character_design", "Ren Takeda")},
        ),
        (
            "Yuki Ono is handling the series composition and is penning the script with Mei Arai, Sota Ito, "
            "and Rui Kimura.",
            {
                ("series_composition", "Yuki Ono"),
                ("screenplay", "Yuki Ono"),
                ("screenplay", "Mei Arai"),
                ("screenplay", "Sota Ito"),
                ("screenplay", "Rui Kimura"),
            },
        ),
        (
            "The returning staff included director Haruto Endo, series script supervisor and writer "
            "Koji Baba, character designer and chief animation director Nana Sato, and the animation "
            "studio Lantern Works.",
            {
                ("director", "Haruto Endo"),
                ("series_composition", "Koji Baba"),
                ("screenplay", "Koji Baba"),
                ("character_design", "Nana Sato"),
                ("chief_animation_director", "Nana Sato"),
                ("studio", "Lantern Works"),
            },
        ),
        (
            "Masaki Hara (Glass Moon) directed the film alongside Rin Oda (River Town) at Production I.G.",
            {("director", "Masaki Hara"), ("director", "Rin Oda"), ("studio", "Production I.G")},
        ),
        (
            "Tetsu Abe is directing the anime at 8-Bit with Mio Kato as assistant director.",
            {("director", "Tetsu Abe"), ("studio", "8-Bit"), ("assistant_director", "Mio Kato")},
        ),
        (
            "Kaito Ueda directed the film. Ueda also drew the character designs, and was the chief animation "
            "director.",
            {
                ("director", "Kaito Ueda"),
                ("character_design", "Kaito Ueda"),
                ("chief_animation_director", "Kaito Ueda"),
            },
        ),
        (
            "Goro Tanabe is the art director, Emi Noda is the animation director, and Jae Min Park is the CG "
            "director.",
            {
                ("art_director", "Goro Tanabe"),
                ("animation_director", "Emi Noda"),
                ("cg_director", "Jae Min Park"),
            },
        ),
        (
            "The film is written and directed by Sora Nishida, and the score is by Taro Iwai.",
            {("screenplay", "Sora Nishida"), ("director", "Sora Nishida"), ("music", "Taro Iwai")},
        ),
        ("Ami Kudo produced the film.", {("producer", "Ami Kudo")}),
        (
            "The staff includes Kenji Naga (director), Yuki Ono (series composition), "
            "and Mei Arai (Glass Moon).",
            {("director", "Kenji Naga"), ("series_composition", "Yuki Ono")},
        ),
        ("Shin'ichirō Ōtsu drew the storyboards.", {("storyboard", "Shin'ichirō Ōtsu")}),
        (
            "Rin Oda directs, and Kerorin designs the characters.",
            {("director", "Rin Oda"), ("character_design", "Kerorin")},
        ),
    ],
)
def test_prose_credits(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    got = {(p, o) for s, p, o in triples(run(people, body)) if s == WORK}
    assert expected <= got
    assert {p for p, _ in got} <= {p for p, _ in expected}, got - expected


@pytest.mark.parametrize(
    ("body", "expected", "absent"),
    [
        (
            "Staff\nDirector: Sora Nishida (Moon Garden)\nOriginal Character Design: Ai Fujii (Star Road)\n"
            "Art Director: Goro Tanabe (Kusanagi) (Snowfield)\nEffects Design: Ken Ito (Glass Moon)",
            {("director", "Sora Nishida"), ("art_director", "Goro Tanabe")},
            {"character_design", "known_for"},
        ),
        (
            "Director – Kenji Nagasa\nDirector(s): Yui Ono, Ken Abe",
            {("director", "Kenji Nagasa"), ("director", "Yui Ono"), ("director", "Ken Abe")},
            set(),
        ),
        (
            "Original Creator, Script: Rika Mori",
            {("original_creator", "Rika Mori"), ("screenplay", "Rika Mori")},
            set(),
        ),
        (
            "Chief Animation Director: Issa Kondo, Rui Hama (Sky Arc)",
            {("chief_animation_director", "Issa Kondo"), ("chief_animation_director", "Rui Hama")},
            set(),
        ),
        ("• Animation Production: Lantern Works", {("animation_production", "Lantern Works")}, set()),
        ("Music: ORBITA (Glass Moon)\nStudio: MAPPA", {("music", "ORBITA"), ("studio", "MAPPA")}, set()),
    ],
)
def test_credit_lists(
    people: PeopleExtractor, body: str, expected: set[tuple[str, str]], absent: set[str]
) -> None:
    got = {(p, o) for _, p, o in triples(run(people, body))}
    assert expected <= got
    assert not {p for p, _ in got} & absent
    assert not any("(" in o for _, o in got)


def casts(facts: list[Fact]) -> set[tuple[str, str]]:
    return {(f.object, f.qualifiers["character"]) for f in facts if f.predicate == "cast"}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Cast\nMina Aoki: Haruka Tomita (Sky Arc)\nRyo Kudo: Daiki Yamashita (River Town)",
            {("Haruka Tomita", "Mina Aoki"), ("Daiki Yamashita", "Ryo Kudo")},
        ),
        (
            "The guest cast includes:\n\nNozomi Sasaki as Hina Tachibana\nKoji Wada as Dr. Ren",
            {("Nozomi Sasaki", "Hina Tachibana"), ("Koji Wada", "Dr. Ren")},
        ),
        (
            "Hiro Shimono joins the cast as Daichi Mori, Kei's older brother.",
            {("Hiro Shimono", "Daichi Mori")},
        ),
        (
            "Ami Koshimizu (Glass Moon) and Taku Yashiro (River Town) are joining the cast as Rin Hayase and "
            "Tomo Izumi, respectively.",
            {("Ami Koshimizu", "Rin Hayase"), ("Taku Yashiro", "Tomo Izumi")},
        ),
        ("Kana Hanazawa will play the idol Luna.", {("Kana Hanazawa", "Luna")}),
        (
            "Cast\nYuki Kaji (Eren Vale)\nYui Ishi (Mika Acker)",
            {("Yuki Kaji", "Eren Vale"), ("Yui Ishi", "Mika Acker")},
        ),
        ("Tomo Seki returns as the voice of Hiro Tanaka.", {("Tomo Seki", "Hiro Tanaka")}),
        (
            "The cast includes:\nHiro Kami as Levi Stone, captain of the guard\n"
            "Yui Ishi as Mika Acker (pictured)",
            {("Hiro Kami", "Levi Stone"), ("Yui Ishi", "Mika Acker")},
        ),
        (
            "Cast: Aya Endo (Mei Kanda), Yuma Uchida (Sho Kanda)",
            {("Aya Endo", "Mei Kanda"), ("Yuma Uchida", "Sho Kanda")},
        ),
        (
            "Kaito Ishida and Ayane Sakuma will voice Shun and Mio.",
            {("Kaito Ishida", "Shun"), ("Ayane Sakuma", "Mio")},
        ),
        (
            "The anime stars Inori Mina as the title character and Yoshi Matsu as Kazuto Kiri.",
            {("Yoshi Matsu", "Kazuto Kiri")},
        ),
        ("Yuki Kaji has been cast as the protagonist Eren Vale.", {("Yuki Kaji", "Eren Vale")}),
        (
            "The dub cast stars Aya Endo as Mei Kanda, Yuma Uchida as Sho Kanda, and Saori Oki as Nami.",
            {("Aya Endo", "Mei Kanda"), ("Yuma Uchida", "Sho Kanda"), ("Saori Oki", "Nami")},
        ),
        (
            "The returning cast members Aoi Yuki (Mira Sato) and Jun Fukuyama (Kou Arima) also return.",
            {("Aoi Yuki", "Mira Sato"), ("Jun Fukuyama", "Kou Arima")},
        ),
        (
            "Megumi Ogata voiced the main character Sora Hino, and Rie Kugimiya voiced the character Nene.",
            {("Megumi Ogata", "Sora Hino"), ("Rie Kugimiya", "Nene")},
        ),
        (
            "Voice cast\n- Eren Vale — Kaji Yuuto\n- Levi Stone — Kamiya Hiro",
            {("Kaji Yuuto", "Eren Vale"), ("Kamiya Hiro", "Levi Stone")},
        ),
        (
            "Two more cast members have been announced:\n\n"
            "  • Hiro Kami is Levi\n  • Yui Ishi is Mika Acker\n\nHiro Kami is Japanese.",
            {("Hiro Kami", "Levi"), ("Yui Ishi", "Mika Acker")},
        ),
    ],
)
def test_cast(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    facts = run(people, body)
    assert casts(facts) == expected
    chars = {f.object for f in facts if f.predicate == "character"}
    assert {c for _, c in expected} <= chars


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            'The band Starlit performs the opening theme song "Daybreak," while Miku Sato performs the '
            'ending theme song "Moonrise."',
            {("opening_theme", "Daybreak", "Starlit"), ("ending_theme", "Moonrise", "Miku Sato")},
        ),
        (
            "A chase begins while the ending theme, Nightfall, by Kiyo plays in the background.",
            {("ending_theme", "Nightfall", "Kiyo")},
        ),
        ("Ranka sings the opening theme, Lumen.", {("opening_theme", "Lumen", "Ranka")}),
        (
            'The opening theme song is "Tide" by Orbit, and the ending theme is "Ember" by Kaho.',
            {("opening_theme", "Tide", "Orbit"), ("ending_theme", "Ember", "Kaho")},
        ),
        ("Rock band Stonefield is performing the opening theme.", set()),
        (
            'The opening theme is Orbit\'s "Tide," and Kaho will perform the ending theme "Ember."',
            {("opening_theme", "Tide", "Orbit"), ("ending_theme", "Ember", "Kaho")},
        ),
        ('Opening Theme: Orbit "Tide"', {("opening_theme", "Tide", "Orbit")}),
        (
            'Orbit\'s new song "Tide" will be the opening theme, and "Ember" by Kaho is the ending theme.',
            {("opening_theme", "Tide", "Orbit"), ("ending_theme", "Ember", "Kaho")},
        ),
        (
            'Orbit will perform the opening theme song "Tide" and Kaho the ending theme "Ember."',
            {("opening_theme", "Tide", "Orbit"), ("ending_theme", "Ember", "Kaho")},
        ),
    ],
)
def test_theme_songs(people: PeopleExtractor, body: str, expected: set[tuple[str, str, str]]) -> None:
    facts = run(people, body)
    got = {
        (f.predicate, f.object, f.qualifiers.get("performer", "")) for f in facts if "theme" in f.predicate
    }
    assert got == expected


def test_song_of_the_previous_season(people: PeopleExtractor) -> None:
    body = 'Miku Sato also performed the previous season\'s ending song "Old Moon."'
    facts = run(people, body, works=[f"{WORK} II", WORK])
    assert ("ending_theme", WORK) in {(f.predicate, f.subject) for f in facts}


@pytest.mark.parametrize(
    ("body", "characters"),
    [
        ("The trailer introduces a robot girl named Pia and her partner, Dex.", {"Pia", "Dex"}),
        ("Later the video shows Lena Vogt, the daughter of the mayor, in the rain.", {"Lena Vogt"}),
        ("The staff revealed new character designs for Mako, Tobi, and Rhea.", {"Mako", "Tobi", "Rhea"}),
        ("Koda and Mira will also appear in the film.", {"Koda", "Mira"}),
        (
            "The novels center on Ivo, the leader of a band of thieves. Ivo is caught and sold as a servant.",
            {"Ivo"},
        ),
        ("Kenji Morita directs the film. Rin Oda composed the music.", set()),
        ("Taro Yamada, the head of the studio, thanked the fans.", set()),
        ("The live-action film stars Kento Yama and opens in May.", set()),
    ],
)
def test_characters(people: PeopleExtractor, body: str, characters: set[str]) -> None:
    facts = run(people, body)
    assert {f.object for f in facts if f.predicate == "character"} == characters


def test_affiliation_from_appositive(people: PeopleExtractor) -> None:
    facts = run(people, "Then Unit 9, the Crimson Bureau investigator, warns them.")
    assert ("Unit 9", "affiliation", "Crimson Bureau") in triples(facts)
    assert (WORK, "character", "Unit 9") in triples(facts)


def test_spelling_variants_give_one_character(people: PeopleExtractor) -> None:
    body = (
        "The trailer introduces the android girl named Mirra. Later Mira fights. "
        "An android girl, Mira, is on a mission. The story of the android girl Mira begins."
    )
    chars = [f.object for f in run(people, body) if f.predicate == "character"]
    assert chars == ["Mira"]


def test_known_for(people: PeopleExtractor) -> None:
    body = (
        "The series reunites Bones and the screenwriter Sayo Ikeda, known for her works Glass Moon "
        "and River Town."
    )
    facts = run(people, body)
    known = {(f.subject, f.subject_type, f.object) for f in facts if f.predicate == "known_for"}
    assert known == {("Sayo Ikeda", "person", "Glass Moon"), ("Sayo Ikeda", "person", "River Town")}


@pytest.mark.parametrize(
    "body",
    [
        "About the author\nJane Roe is a book lover who discovers Netflix and watches Star Wars all day.",
        "Ayu Mori personally wrote the lyrics and composed the music for the new ending song.",
        "Yen Press publishes the manga in English, and Square Enix published the final volume.",
        "Netflix will stream the anime worldwide.",
        "Crunchyroll produced the film, and Kadokawa is handling the music.",
    ],
)
def test_no_people_facts(people: PeopleExtractor, body: str) -> None:
    assert [f for f in run(people, body) if f.predicate != "original_creator"] == []


@pytest.mark.parametrize(
    ("body", "subject", "creators"),
    [
        ("The anime adapts Rika Mori and Ken Sato's Lantern Sky manga.", WORK, {"Rika Mori", "Ken Sato"}),
        ("The film is based on Aya Hoshi's fantasy novel series.", WORK, {"Aya Hoshi"}),
        (
            "The anime is based on the manga written by Jun Tachi and illustrated by Mei Kaga.",
            WORK,
            {"Jun Tachi", "Mei Kaga"},
        ),
        ("It began as a web novel by Rifu na Magote on a story site.", WORK, {"Rifu na Magote"}),
        ("Adapted from the web novel by Chugon, the anime follows a hunter.", WORK, {"Chugon"}),
        ("Naoki Ura drew the manga, co-written with Taka Naga.", WORK, {"Taka Naga"}),
        ("The manga by Shueisha sold well.", WORK, set()),
        ("The manga by Aka Saka and Mengo Yoko ended its run in 2024.", WORK, {"Aka Saka", "Mengo Yoko"}),
    ],
)
def test_original_creator(people: PeopleExtractor, body: str, subject: str, creators: set[str]) -> None:
    got = {f.object for f in run(people, body) if f.predicate == "original_creator" and f.subject == subject}
    assert got == creators


def test_copyright_line_alias_and_entities() -> None:
    text = (
        f"Headline\n\nYutaka Kanda works on the series composition of {WORK}.\n\n"
        "© Lantern・Hiroshi Kanda/Project\n"
    )
    adoc = naive_adoc(text, [WORK])
    facts = extract_people(adoc)
    assert all("Hiroshi" not in f.object for f in facts)
    person = next(e for e in adoc.entities if e.name == "Yutaka Kanda")
    assert person.kind == "person" and person.aliases == ["Hiroshi Kanda"]


def test_evidence_is_grounded(people: PeopleExtractor) -> None:
    text = f"Headline\n\nStaff\nDirector: Sora Nishida\n\nKana Hanazawa will play the idol Luna in {WORK}.\n"
    facts = people(naive_adoc(text, [WORK]))
    assert facts
    for f in facts:
        assert text[f.evidence.start : f.evidence.end] == f.evidence.text


@pytest.mark.parametrize(
    ("body", "studios"),
    [
        ("Madhouse is once again animating.", {"Madhouse"}),
        ("Science Works returns to animate the new season.", {"Science Works"}),
        ("TOHO animation STUDIO and OLM co-produce the animation again.", {"TOHO animation STUDIO", "OLM"}),
        (
            "The series is animated in full 3DCG by Production I.G and SOLA DIGITAL ARTS.",
            {"Production I.G", "SOLA DIGITAL ARTS"},
        ),
        ("Kadokawa revealed the staff on Friday, and the film is distributed by Toho.", set()),
        ("Studios: E&H Production, OLM", {"E&H Production", "OLM"}),
    ],
)
def test_studio_cues(people: PeopleExtractor, body: str, studios: set[str]) -> None:
    got = {f.object for f in run(people, body) if f.predicate == "studio"}
    assert got == studios


def test_credits_of_an_earlier_season(people: PeopleExtractor) -> None:
    body = (
        "Kaito Ueda takes over as director from Ren Hoshi, who directed the first season. "
        "Yuri Sato, who also directed Glass Moon, is the concept adviser. "
        "The first season, animated by Wit Studio, aired in 2019."
    )
    got = triples(run(people, body, works=[f"{WORK} Season 2", WORK]))
    assert (f"{WORK} Season 2", "director", "Kaito Ueda") in got
    assert (WORK, "director", "Ren Hoshi") in got
    assert (WORK, "studio", "Wit Studio") in got
    assert not any(o in ("Yuri Sato", "Ren Hoshi") and s != WORK for s, _, o in got)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The anime adapts the manga by Rin Kaga, the creator of Moon Harbor, which ran online.",
            {("Rin Kaga", "Moon Harbor")},
        ),
        (
            "Tatsu Mori, who also created Iron Garden, published the one-shot in 2021.",
            {("Tatsu Mori", "Iron Garden")},
        ),
        (
            "The film is by Makoto Hino. Hino's earlier films include Your Star. and Weather Girl.",
            {("Makoto Hino", "Your Star"), ("Makoto Hino", "Weather Girl")},
        ),
        (
            "She reunites with screenwriter Reiko Yoda and composer Ken Ushi, who also worked with her on "
            "A Quiet Voice and Liz and the Red Bird.",
            {
                ("Reiko Yoda", "A Quiet Voice"),
                ("Reiko Yoda", "Liz and the Red Bird"),
                ("Ken Ushi", "A Quiet Voice"),
                ("Ken Ushi", "Liz and the Red Bird"),
            },
        ),
    ],
)
def test_known_for_cues(people: PeopleExtractor, body: str, expected: set[tuple[str, str]]) -> None:
    got = {(f.subject, f.object) for f in run(people, body) if f.predicate == "known_for"}
    assert got == expected


def test_character_named_like_the_show(people: PeopleExtractor) -> None:
    body = (
        "Voice cast:\nMira: Aoi Yuki\nTobi: Jun Fukuyama\n\n"
        "Aoi Yuki again voices Mira, and Jun Fukuyama plays Tobi."
    )
    facts = run(people, body, works=[[WORK, "Mira"]])
    assert casts(facts) == {("Aoi Yuki", "Mira"), ("Jun Fukuyama", "Tobi")}
    assert all(f.subject == WORK for f in facts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "Director:",
                "Cast",
                "as",
                "voices",
                "Mika Sato",
                "Ren Oda",
                "(Glass Moon)",
                ",",
                "and",
                ".",
                "\n",
                '"Tide"',
                "opening theme",
                "performs",
                "the",
                "named",
                "Studio",
                "Lantern",
                "who",
                "directed",
                "by",
                "manga",
                "'s",
                "©",
                "—",
                ":",
                "first season",
                "Kei",
            ]
        ),
        max_size=40,
    )
)
def test_any_text_gives_grounded_facts(people: PeopleExtractor, words: list[str]) -> None:
    text = "Headline\n\n" + " ".join(words) + "\n"
    for f in people(naive_adoc(text, [WORK])):
        assert text[f.evidence.start : f.evidence.end] == f.evidence.text
        assert f.object.strip() and f.subject.strip()


def test_huge_unsegmented_text_is_fast(people: PeopleExtractor) -> None:
    text = "Headline\n\n" + "Alpha Beta Gamma Delta and Kenji Morita, " * 8000 + "\n"
    started = time.perf_counter()
    assert people(naive_adoc(text, [WORK])) == []
    assert time.perf_counter() - started < 5


def test_character_descriptions(people: PeopleExtractor) -> None:
    body = (
        "The trailer introduces a robot girl named Pia. Later it shows Lena Vogt, the daughter of the mayor."
    )
    described = {
        f.object: f.qualifiers.get("description") for f in run(people, body) if f.predicate == "character"
    }
    assert described == {"Pia": "robot girl", "Lena Vogt": "the daughter of the mayor"}
