"""One subject per article: candidates scored, people and companies never chosen (invented shows)."""

from __future__ import annotations

from anigraph.extract.document import ArticleDoc, Segment, WorkRef
from anigraph.extract.resources import make_nlp
from anigraph.extract.subject_choice import Candidate, SubjectModel, choose_subject
from anigraph.models import Article, Source, sha256_text


def adoc_with(text: str, tags: list[tuple[str, str]]) -> ArticleDoc:
    """An ArticleDoc whose Doc carries the given learned tags (first occurrence of each phrase)."""
    doc = make_nlp()(text)
    ents = []
    for phrase, label in tags:
        start = text.index(phrase)
        span = doc.char_span(start, start + len(phrase), label=label)
        assert span is not None
        ents.append(span)
    doc.ents = ents
    article = Article(text=text, source=Source(sha256=sha256_text(text), path="t.txt"))
    return ArticleDoc(article=article, doc=doc, segments=[Segment(0, len(text), text, "sentence")])


def ref(text: str, name: str) -> WorkRef:
    spans, at = [], text.find(name)
    while at >= 0:
        spans.append((at, at + len(name)))
        at = text.find(name, at + 1)
    return WorkRef(name=name, mentions=spans)


def test_the_work_named_often_and_early_wins() -> None:
    text = (
        "Kestrel Hollow, the new anime, premieres in April. The director of Old Lanterns returns. "
        "Kestrel Hollow has twelve episodes."
    )
    adoc = adoc_with(text, [("Kestrel Hollow", "WORK"), ("Old Lanterns", "WORK")])
    works = [Candidate(ref(text, "Old Lanterns")), Candidate(ref(text, "Kestrel Hollow"))]
    assert choose_subject(adoc, works, headline=None) is works[1].work
    works = [Candidate(ref(text, "Old Lanterns")), Candidate(ref(text, "Kestrel Hollow"))]
    assert choose_subject(adoc, works, headline=None, model=SubjectModel.load()) is works[1].work


def test_a_person_the_model_recognises_is_never_the_subject() -> None:
    text = "Mira Okada returns. Mira Okada directs Velvet Orbit, an anime about couriers."
    adoc = adoc_with(text, [("Mira Okada", "PERSON"), ("Velvet Orbit", "WORK")])
    person = ref(text, "Mira Okada")
    show = ref(text, "Velvet Orbit")
    candidates = [Candidate(person), Candidate(show)]
    assert choose_subject(adoc, candidates, headline=None) is show
    assert candidates[0].vetoed and not candidates[1].vetoed


def test_season_words_and_dates_are_never_the_subject() -> None:
    text = "Summer 2027 brings Velvet Orbit to television."
    adoc = adoc_with(text, [])
    season = ref(text, "Summer 2027")
    show = ref(text, "Velvet Orbit")
    candidates = [Candidate(season, from_headline=True), Candidate(show)]
    assert choose_subject(adoc, candidates, headline=None) is show


def test_the_headline_title_outweighs_a_title_named_twice_in_passing() -> None:
    text = "Velvet Orbit Anime Sets Date\nLike Old Lanterns and Old Lanterns II, it airs in spring."
    adoc = adoc_with(text, [])
    show = ref(text, "Velvet Orbit")
    other = ref(text, "Old Lanterns")
    assert (
        choose_subject(adoc, [Candidate(other), Candidate(show, from_headline=True)], headline=(0, 28))
        is show
    )


def test_every_candidate_gets_an_evidence_document() -> None:
    text = (
        "Velvet Orbit Anime Sets Date\nDirector Mira Okada, known for Old Lanterns, says the anime is done."
    )
    adoc = adoc_with(text, [("Mira Okada", "PERSON"), ("Old Lanterns", "WORK")])
    show, other = ref(text, "Velvet Orbit"), ref(text, "Old Lanterns")
    candidates = [Candidate(show, from_headline=True, cue_format="tv"), Candidate(other, learned_only=True)]
    choose_subject(adoc, candidates, headline=(0, 28))
    first, second = (c.features.split() for c in candidates)
    assert {"_hlrule", "_inheadline", "_cue_tv", "_post_anime"} <= set(first)
    assert {"_learnedonly", "_work1", "_pre_for", "_pre2_known_for"} <= set(second)
    assert adoc.subject_candidates == candidates


def test_a_rule_cue_outweighs_the_model_reading_the_title_as_a_name() -> None:
    """ "a series called Hoshizora Tadaima": the mention model may read a romanized title as a person;
    the rules' cue keeps it a candidate, while an uncued name the model reads as a person is vetoed."""
    text = "The studio is making a series called Hoshizora Tadaima. Hoshizora Tadaima stars Rin Abe."
    adoc = adoc_with(text, [("Hoshizora Tadaima", "PERSON"), ("Rin Abe", "PERSON")])
    cued = Candidate(ref(text, "Hoshizora Tadaima"), cue_format="tv")
    uncued = Candidate(ref(text, "Rin Abe"), learned_only=True)
    assert choose_subject(adoc, [cued, uncued], headline=None, model=SubjectModel.load()) is cued.work
    assert not cued.vetoed and uncued.vetoed


def test_layout_features_mark_a_title_alone_on_its_line() -> None:
    """Roundups head each section with the title on a line of its own."""
    text = "Spring roundup\n\nVelvet Orbit\nStudio: Kite Works\n\nOld Lanterns (2027): twelve episodes."
    adoc = adoc_with(text, [])
    section, opener = ref(text, "Velvet Orbit"), ref(text, "Old Lanterns")
    candidates = [Candidate(section), Candidate(opener)]
    choose_subject(adoc, candidates, headline=None)
    assert "_ownline" in candidates[0].features.split()
    assert "_linestart" in candidates[1].features.split()
    assert "_ownline" not in candidates[1].features.split()


def test_the_model_scores_each_candidate_as_subject_and_as_topic() -> None:
    text = (
        "Velvet Orbit, the new anime, premieres in April. Velvet Orbit has twelve episodes.\n\n"
        "Old Lanterns\nOld Lanterns gets a film in May, directed by Mira Okada."
    )
    adoc = adoc_with(text, [("Velvet Orbit", "WORK"), ("Old Lanterns", "WORK"), ("Mira Okada", "PERSON")])
    candidates = [Candidate(ref(text, "Velvet Orbit")), Candidate(ref(text, "Old Lanterns"))]
    choose_subject(adoc, candidates, headline=None, model=SubjectModel.load())
    for c in candidates:
        assert 0.0 <= c.score <= c.topic <= 1.0


def test_a_headline_name_the_model_reads_as_a_person_twice_is_not_the_subject() -> None:
    """ "Mira Okada returns with Velvet Orbit": the headline's leading name is the director's."""
    text = (
        "Mira Okada returns with Velvet Orbit. "
        "Mira Okada directs the anime Velvet Orbit, a story of couriers."
    )
    doc = make_nlp()(text)
    spans = []
    for phrase, label in (("Mira Okada", "PERSON"), ("Velvet Orbit", "WORK")):
        at = text.find(phrase)
        while at >= 0:
            span = doc.char_span(at, at + len(phrase), label=label)
            assert span is not None
            spans.append(span)
            at = text.find(phrase, at + 1)
    doc.ents = sorted(spans, key=lambda s: s.start)
    article = Article(text=text, source=Source(sha256=sha256_text(text), path="t.txt"))
    adoc = ArticleDoc(article=article, doc=doc, segments=[Segment(0, len(text), text, "sentence")])
    person, show = ref(text, "Mira Okada"), ref(text, "Velvet Orbit")
    candidates = [Candidate(person, from_headline=True), Candidate(show)]
    assert choose_subject(adoc, candidates, headline=(0, 36), model=SubjectModel.load()) is show
    assert candidates[0].vetoed and candidates[0].person
