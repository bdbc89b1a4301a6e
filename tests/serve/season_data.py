"""Invented shows of one season (spring 2022) and around it, for the season chart and the person
timeline: each is an article in our own words with every fact's evidence clause."""

from __future__ import annotations

from dataclasses import dataclass

from serve_data import _article, _span

from anigraph.models import Extraction, Fact

YEAR, SEASON = 2022, "spring"
DIRECTOR = "Haruto Kanzaki"  # directs in 2022 and 2020, storyboards in 2022


@dataclass(frozen=True, slots=True)
class Show:
    title: str
    text: str
    facts: tuple[tuple[str, str, str, dict[str, str]], ...]  # predicate, object, evidence, qualifiers


SHOWS = (
    Show(
        "Lantern Tide",
        "Lantern Tide Sets April Premiere\n\n"
        "Studio Kumo animates Lantern Tide, a TV anime about a lighthouse keeper.\n"
        "Haruto Kanzaki directs Lantern Tide.\n"
        "Lantern Tide premieres on April 3, 2022 on Tokai TV.\n"
        "Wavelet streams the series in North America.\n"
        'The opening theme is "Low Tide" by Mirei Sato.\n',
        (
            ("studio", "Studio Kumo", "Studio Kumo animates Lantern Tide", {}),
            ("format", "tv", "Lantern Tide, a TV anime", {}),
            ("director", DIRECTOR, "Haruto Kanzaki directs Lantern Tide", {}),
            (
                "premiere",
                "2022-04-03",
                "Lantern Tide premieres on April 3, 2022 on Tokai TV",
                {"where": "Tokai TV"},
            ),
            ("broadcaster", "Tokai TV", "Lantern Tide premieres on April 3, 2022 on Tokai TV", {}),
            (
                "streaming",
                "Wavelet",
                "Wavelet streams the series in North America",
                {"region": "North America"},
            ),
            (
                "opening_theme",
                "Low Tide",
                'The opening theme is "Low Tide" by Mirei Sato',
                {"performer": "Mirei Sato"},
            ),
        ),
    ),
    Show(
        "Copper Sparrow",
        "Copper Sparrow Streams in April\n\n"
        "Orchid Frame produces Copper Sparrow, an original net anime.\n"
        "Haruto Kanzaki storyboards the first episode of Copper Sparrow.\n"
        "Copper Sparrow premieres on April 10, 2022.\n"
        "Wavelet streams it in Europe, and Brightbox streams it in Japan.\n"
        'The ending theme is "Rust and Feathers" by Kaito Mori.\n',
        (
            ("studio", "Orchid Frame", "Orchid Frame produces Copper Sparrow", {}),
            ("format", "ona", "Copper Sparrow, an original net anime", {}),
            ("storyboard", DIRECTOR, "Haruto Kanzaki storyboards the first episode of Copper Sparrow", {}),
            ("premiere", "2022-04-10", "Copper Sparrow premieres on April 10, 2022", {}),
            ("streaming", "Wavelet", "Wavelet streams it in Europe", {"region": "Europe"}),
            ("streaming", "Brightbox", "Brightbox streams it in Japan", {"region": "Japan"}),
            (
                "ending_theme",
                "Rust and Feathers",
                'The ending theme is "Rust and Feathers" by Kaito Mori',
                {"performer": "Kaito Mori"},
            ),
        ),
    ),
    Show(
        "Glass Harbor",
        "Glass Harbor Film Dated for May\n\nStudio Kumo's film Glass Harbor opens in May 2022.\n",
        (
            ("studio", "Studio Kumo", "Studio Kumo's film Glass Harbor", {}),
            ("format", "movie", "Studio Kumo's film Glass Harbor", {}),
            ("premiere", "2022-05", "Glass Harbor opens in May 2022", {}),
        ),
    ),
    Show(
        "Tin Parade",
        "Tin Parade Announced\n\nTin Parade is slated for 2022.\n",
        (("premiere", "2022", "Tin Parade is slated for 2022", {}),),
    ),
    Show(
        "Paper Comet",
        "Paper Comet Reaches Wavelet\n\n"
        "Paper Comet premieres on January 9, 2022 on Tokai TV.\n"
        "Wavelet adds it on April 17, 2022.\n",
        (
            (
                "premiere",
                "2022-01-09",
                "Paper Comet premieres on January 9, 2022 on Tokai TV",
                {"where": "Tokai TV"},
            ),
            ("premiere", "2022-04-17", "Wavelet adds it on April 17, 2022", {"where": "Wavelet"}),
            ("streaming", "Wavelet", "Wavelet adds it on April 17, 2022", {}),
        ),
    ),
    Show(
        "Iron Meadow",
        "Iron Meadow Dated\n\nHaruto Kanzaki directs Iron Meadow, which premieres on October 5, 2020.\n",
        (
            ("director", DIRECTOR, "Haruto Kanzaki directs Iron Meadow", {}),
            ("premiere", "2020-10-05", "Iron Meadow, which premieres on October 5, 2020", {}),
        ),
    ),
)


def season_extractions() -> list[Extraction]:
    out: list[Extraction] = []
    for i, show in enumerate(SHOWS):
        facts = [
            Fact(show.title, "work", p, o, _span(show.text, evidence), 0.9, dict(q))
            for p, o, evidence, q in show.facts
        ]
        headline = show.text.split("\n", 1)[0]
        facts.append(Fact(headline, "article", "headline", headline, _span(show.text, headline), 0.99))
        article = _article(show.text, path=f"tests/season-{i}.txt", published="2021-12-01")
        out.append(Extraction(article=article, facts=facts))
    return out
