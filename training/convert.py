"""Gold facts → spaCy DocBins for the mention model (``make train`` runs this first).

The shared corpus gives gold facts as strings, not spans. Each gold name is located in its text
(every occurrence, compared token by token after the scorer's folding: case, diacritics, punctuation,
long vowels) and labelled by the role the gold gives it:

    WORK       works, their aliases, titles named by alias/sequel_of/related/known_for/based_on
    PERSON     staff, cast, creators, authors, performers
    CHARACTER  characters (and the cast's ``character`` qualifier)
    ORG        studios, broadcasters, streaming services, affiliations
    SONG       theme and insert songs

A name that cannot be found is left out (never guessed). Overlaps keep the longer span. Texts are read
from ``../shared``; nothing of them is written into the repository, only the DocBins under
``training/corpus/`` (ignored by git).

Usage: python training/convert.py --shared ../shared --out training/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.tokens import Doc, DocBin, Span

from anigraph.extract.pagelines import featurize, opening_lines
from anigraph.extract.resources import make_nlp

log = logging.getLogger("convert")

PERSON_PREDICATES = {
    "director", "chief_director", "assistant_director", "series_composition", "screenplay",
    "storyboard", "character_design", "chief_animation_director", "animation_director",
    "art_director", "color_design", "director_of_photography", "editing", "sound_director",
    "music", "original_creator", "chief_supervisor", "supervisor", "mechanical_design",
    "creature_design", "prop_design", "cg_director", "action_director", "producer", "planning",
    "cast", "author",
}  # fmt: skip
ORG_PREDICATES = {"studio", "animation_production", "broadcaster", "streaming", "affiliation"}
SONG_PREDICATES = {"opening_theme", "ending_theme", "insert_song"}
WORK_OBJECT_PREDICATES = {"alias", "sequel_of", "related", "known_for"}
# When two labels claim the same span, the more specific reading wins.
PRIORITY = {"SONG": 5, "CHARACTER": 4, "WORK": 3, "ORG": 2, "PERSON": 1}


def fold(text: str) -> str:
    """The shared scorer's folding (``eval/score.py``), so that gold names meet the text as it does."""
    text = unicodedata.normalize("NFKC", str(text)).casefold()
    text = text.replace("ō", "o").replace("ū", "u").replace("ô", "o").replace("û", "u")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"[\"'`’‘“”«»「」『』()\[\]{}]", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"(?<=[a-z])(ou|oo|oh)(?![aeiou])", "o", text)
    return re.sub(r"(?<=[a-z])uu", "u", text)


def _values(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if str(v).strip()]
    return [str(value)] if str(value).strip() else []


def gold_names(gold: dict[str, object]) -> dict[str, str]:
    """Every name the gold file gives, folded, with its label."""
    names: dict[str, str] = {}

    def put(name: str, label: str) -> None:
        key = fold(name)
        if not key or len(key) < 2:
            return
        if key not in names or PRIORITY[label] > PRIORITY[names[key]]:
            names[key] = label

    works = gold.get("works") or {}
    assert isinstance(works, dict)
    for title, aliases in works.items():
        for n in [title, *aliases]:
            put(n, "WORK")
    facts = [*(gold.get("required") or []), *(gold.get("optional") or [])]  # type: ignore[misc]
    for fact in facts:
        subject, predicate, obj = fact[0], fact[1], fact[2]
        quals = fact[3] if len(fact) > 3 else {}
        if subject in works:
            put(subject, "WORK")
        elif predicate in {"affiliation", "description", "alias"}:
            put(subject, "CHARACTER")
        elif predicate == "known_for":
            put(subject, "PERSON")
        elif subject != "@article":
            put(subject, "WORK")
        for o in _values(obj):
            if predicate in PERSON_PREDICATES:
                put(o, "PERSON")
            elif predicate in ORG_PREDICATES:
                put(o, "ORG")
            elif predicate in SONG_PREDICATES:
                put(o, "SONG")
            elif predicate == "character":
                put(o, "CHARACTER")
            elif predicate in WORK_OBJECT_PREDICATES and subject in works:
                put(o, "WORK")
        for key, val in (quals or {}).items():
            for v in _values(val):
                if key == "character":
                    put(v, "CHARACTER")
                elif key == "performer":
                    put(v, "PERSON")
                elif key == "title":
                    put(v, "WORK")
                elif key == "where":
                    put(v, "ORG")
    entities = gold.get("entities") or {}
    assert isinstance(entities, dict)
    for name, aliases in entities.items():
        label = names.get(fold(name))
        if label:
            for a in aliases:
                put(a, label)
    return names


def _word_index(doc: Doc) -> tuple[list[str], list[int]]:
    """The folded words of a Doc and the token each word comes from."""
    words: list[str] = []
    owner: list[int] = []
    for tok in doc:
        for w in fold(tok.text).split():
            words.append(w)
            owner.append(tok.i)
    return words, owner


def locate(doc: Doc, names: dict[str, str]) -> list[Span]:
    """Every occurrence of every gold name as a token span; overlaps keep the longer, then the more
    specific label."""
    words, owner = _word_index(doc)
    first: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        first.setdefault(w, []).append(i)
    found: list[tuple[int, int, str]] = []
    for key, label in names.items():
        target = key.split()
        for i in first.get(target[0], ()):
            if words[i : i + len(target)] == target:
                start, end = owner[i], owner[i + len(target) - 1] + 1
                # a name must cover whole tokens: "Rin" inside "Rin-chan" is not a mention
                if fold(doc[start:end].text).split() != target:
                    continue
                found.append((start, end, label))
    found.sort(key=lambda x: (-(x[1] - x[0]), -PRIORITY[x[2]], x[0]))
    taken = [False] * len(doc)
    spans: list[Span] = []
    for start, end, label in found:
        if any(taken[start:end]):
            continue
        for k in range(start, end):
            taken[k] = True
        spans.append(Span(doc, start, end, label=label))
    return sorted(spans, key=lambda s: s.start)


EXTRA_GOLD = Path(__file__).resolve().parent / "gold"
EXTRA_TEXTS = Path(__file__).resolve().parent.parent.parent / "extra" / "train" / "texts"


def extra_pairs(texts: Path) -> Iterator[tuple[str, Path, Path]]:
    """The project's own annotations of further public pages (``training/gold/extra-*.json``, with
    ``url``, ``query`` and ``sha256``). Their texts stay outside the repository, in ``texts``; a page
    whose text is absent or differs from the annotated bytes is skipped with a message."""
    golds = sorted(EXTRA_GOLD.glob("extra-*.json"))
    missing = 0
    for gold in golds:
        data = json.loads(gold.read_text(encoding="utf-8"))
        text = texts / Path(str(data["source"])).name
        if not text.is_file() or hashlib.sha256(text.read_bytes()).hexdigest() != data.get("sha256"):
            missing += 1
            continue
        yield "extra", text, gold
    if missing:
        print(
            f"extra: {missing} of {len(golds)} annotated pages have no matching text under {texts}; skipped"
        )


def pairs(
    shared: Path, sets: Iterable[str], *, extra: Path | None = None
) -> Iterator[tuple[str, Path, Path]]:
    """(set, text, gold) for the named sets: ``train``, ``dev`` from ../shared, ``fixtures`` of the repo,
    ``extra`` (the project's annotations of further pages, texts outside the repository)."""
    for name in sets:
        if name == "extra":
            yield from extra_pairs(extra or EXTRA_TEXTS)
            continue
        if name == "fixtures":
            root = Path(__file__).resolve().parent.parent / "fixtures"
            for gold in sorted((root / "gold").glob("*.json")):
                data = json.loads(gold.read_text(encoding="utf-8"))
                text = root / "articles" / Path(str(data.get("source", gold.stem + ".txt"))).name
                if text.is_file():
                    yield name, text, gold
            continue
        for gold in sorted((shared / "eval" / "gold").glob(f"{name}-*.json")):
            data = json.loads(gold.read_text(encoding="utf-8"))
            text = shared / str(data["source"]).removeprefix("shared/")
            if text.is_file():
                yield name, text, gold


def split(items: list[tuple[str, Path, Path]], *, holdout: int, seed: int) -> tuple[set[int], dict[int, str]]:
    """The pages held out to choose checkpoints, and each other page's cross-fitting fold ("a"/"b")."""
    rng = random.Random(seed)
    train_pages = [i for i, it in enumerate(items) if it[0] == "train"]
    held = set(rng.sample(train_pages, min(holdout, len(train_pages))))
    rest = [i for i in range(len(items)) if i not in held]
    return held, {i: "ab"[k % 2] for k, i in enumerate(rest)}


def convert(*, shared: Path, out: Path, sets: list[str], holdout: int, seed: int) -> dict[str, int]:
    """Write ``train.spacy`` and ``dev.spacy`` (``holdout`` train pages, for choosing the model), and the
    two halves of the training pages (``fold-a.spacy``, ``fold-b.spacy``) for cross-fitted mention
    models: the subject model must learn from mention tags as good as on unseen pages, not from a model
    that has memorised the page."""
    nlp = make_nlp()
    items = list(pairs(shared, sets))
    if not items:
        raise SystemExit(f"no gold pages found under {shared} for {sets}: is ../shared beside the repo?")
    held, fold_of = split(items, holdout=holdout, seed=seed)
    bins = {name: DocBin(store_user_data=False) for name in ("train", "dev", "fold-a", "fold-b")}
    counts: dict[str, int] = {}
    for i, (_set, text_path, gold_path) in enumerate(items):
        text = text_path.read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = nlp(text)
        doc.ents = locate(doc, gold_names(gold))
        for ent in doc.ents:
            counts[ent.label_] = counts.get(ent.label_, 0) + 1
        bins["dev" if i in held else "train"].add(doc)
        if i in fold_of:
            bins[f"fold-{fold_of[i]}"].add(doc)
    out.mkdir(parents=True, exist_ok=True)
    for name, db in bins.items():
        db.to_disk(out / f"{name}.spacy")
    counts["pages_train"] = len(items) - len(held)
    counts["pages_dev"] = len(held)
    return counts


def headline_index(text: str, gold: dict[str, object]) -> int | None:
    """Which opening line the gold names as the headline (None: the page has none)."""
    facts = [*(gold.get("required") or []), *(gold.get("optional") or [])]  # type: ignore[misc]
    wanted = [fold(v) for f in facts if f[1] == "headline" for v in _values(f[2])]
    for i, line in enumerate(opening_lines(text)):
        got = fold(line.text)
        if any(w and (w == got or (w in got and len(w) >= 0.5 * len(got))) for w in wanted):
            return i
    return None


def convert_headlines(*, shared: Path, out: Path, sets: list[str], holdout: int, seed: int) -> dict[str, int]:
    """``headline-train.spacy`` / ``headline-dev.spacy``: one doc per opening line, HEADLINE or OTHER."""
    nlp = make_nlp()
    items = list(pairs(shared, sets))
    held, _folds = split(items, holdout=holdout, seed=seed)
    bins = {"train": DocBin(), "dev": DocBin()}
    counts = {"lines": 0, "headlines": 0}
    for i, (_set, text_path, gold_path) in enumerate(items):
        text = text_path.read_text(encoding="utf-8")
        at = headline_index(text, json.loads(gold_path.read_text(encoding="utf-8")))
        lines = opening_lines(text)
        for k in range(len(lines)):
            doc = nlp.make_doc(featurize(lines, k, text))
            doc.cats = {"HEADLINE": float(k == at), "OTHER": float(k != at)}
            bins["dev" if i in held else "train"].add(doc)
            counts["lines"] += 1
            counts["headlines"] += int(k == at)
    out.mkdir(parents=True, exist_ok=True)
    for name, db in bins.items():
        db.to_disk(out / f"headline-{name}.spacy")
    return counts


def main_work_names(gold: dict[str, object]) -> set[str]:
    """Folded names of the work with the most required facts (the page's subject)."""
    works = gold.get("works") or {}
    assert isinstance(works, dict)
    counts: dict[str, int] = {}
    for fact in gold.get("required") or []:  # type: ignore[attr-defined]
        if fact[0] in works:
            counts[fact[0]] = counts.get(fact[0], 0) + 1
    if not counts:
        return set()
    main = max(counts, key=lambda k: counts[k])
    return {fold(main), *(fold(a) for a in works[main])}


def topic_work_names(gold: dict[str, object]) -> set[str]:
    """Folded names of every work the page states a required fact about (headlines aside)."""
    works = gold.get("works") or {}
    assert isinstance(works, dict)
    named = {fact[0] for fact in gold.get("required") or [] if fact[0] in works and fact[1] != "headline"}  # type: ignore[attr-defined]
    return {fold(n) for w in named for n in (w, *works[w])}


def convert_subjects(
    *, shared: Path, out: Path, sets: list[str], holdout: int, seed: int, folds: Path | None = None
) -> dict[str, int]:
    """``subject-train.spacy`` / ``subject-dev.spacy``: one doc per candidate work, labelled SUBJECT
    (the page's main work) and TOPIC (any work the page states a fact about: roundups, a season and
    its film), independently.

    Candidates and their evidence come from the extractor itself (rules, the headline model and a
    mention model), so the model learns from what it will see at run time. With ``folds`` (a folder
    holding ``mentions-a`` and ``mentions-b``, trained on the two halves) each page is tagged by the
    mention model that never saw it (cross-fitting); held-out pages by ``mentions-a``."""
    from anigraph.extract.mentions import load_mention_nlp
    from anigraph.extract.pagelines import HeadlineModel
    from anigraph.extract.pipeline import Extractor
    from anigraph.extract.resources import Resources
    from anigraph.ingest.readers import read_text

    def extractor_for(model: Path | None) -> Extractor:
        mention_nlp = load_mention_nlp(model) if model is not None else load_mention_nlp()
        return Extractor(nlp=mention_nlp, res=Resources.load(), people=None, headlines=HeadlineModel.load())

    if folds is not None:
        unseen = {"a": extractor_for(folds / "mentions-b" / "model-best")}
        unseen["b"] = extractor_for(folds / "mentions-a" / "model-best")
    nlp = make_nlp()
    items = list(pairs(shared, sets))
    held, fold_of = split(items, holdout=holdout, seed=seed)
    plain = extractor_for(None) if folds is None else unseen["b"]
    bins = {"train": DocBin(), "dev": DocBin()}
    counts = {"pages": 0, "candidates": 0, "no_subject_candidate": 0}
    for i, (_set, text_path, gold_path) in enumerate(items):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        wanted = main_work_names(gold)
        topics = topic_work_names(gold)
        if not wanted:
            continue
        data = text_path.read_bytes()
        article = read_text(data, name=str(text_path), path=str(text_path))
        extractor = unseen[fold_of[i]] if folds is not None and i in fold_of else plain
        adoc, _facts = extractor.document(article, extractor.nlp(article.text))
        live = [c for c in adoc.subject_candidates if not c.vetoed]
        labels = [bool({fold(n) for n in c.work.names()} & wanted) for c in live]
        if not any(labels):
            counts["no_subject_candidate"] += 1
            continue
        counts["pages"] += 1
        for c, is_subject in zip(live, labels, strict=True):
            doc = nlp.make_doc(c.features)
            is_topic = bool({fold(n) for n in c.work.names()} & topics)
            doc.cats = {"SUBJECT": float(is_subject), "TOPIC": float(is_topic or is_subject)}
            counts["topics"] = counts.get("topics", 0) + int(is_topic or is_subject)
            bins["dev" if i in held else "train"].add(doc)
            counts["candidates"] += 1
    out.mkdir(parents=True, exist_ok=True)
    for name, db in bins.items():
        db.to_disk(out / f"subject-{name}.spacy")
    return counts


def _score_key(predicate: str, value: str) -> str:
    """The shared scorer's comparison key (``eval/score.py`` ``key_for``)."""
    if predicate in PERSON_PREDICATES:
        return " ".join(sorted(fold(value).split()))
    if predicate in {"studio", "animation_production"}:
        key = re.sub(r"(co\.?,? ?ltd\.?|inc\.?|corporation|corp\.?|llc|k\.k\.)$", "", fold(value)).strip()
        return re.sub(r" studios?$", "", re.sub(r"^studio ", "", key)).strip()
    return fold(value)


def relation_keys(gold: dict[str, object]) -> dict[str, set[str]]:
    """Per predicate, the comparison keys of every object the gold gives it (aliases included)."""
    from anigraph.extract.relations import PREDICATES

    entities = gold.get("entities") or {}
    assert isinstance(entities, dict)
    aliases = {fold(k): [k, *v] for k, v in entities.items()}
    keys: dict[str, set[str]] = {p: set() for p in PREDICATES}

    def put(predicate: str, value: str) -> None:
        for v in aliases.get(fold(value), [value]):
            keys[predicate].add(_score_key(predicate, v))

    for fact in [*(gold.get("required") or []), *(gold.get("optional") or [])]:  # type: ignore[misc]
        predicate = "studio" if fact[1] == "animation_production" else fact[1]
        quals = fact[3] if len(fact) > 3 else {}
        if predicate in keys and fact[0] != "@article":
            for v in _values(fact[2]):
                put(predicate, v)
        for v in _values((quals or {}).get("character", [])):
            put("character", v)
    return keys


def convert_relations(
    *, shared: Path, out: Path, sets: list[str], holdout: int, seed: int, folds: Path | None = None
) -> dict[str, int]:
    """``relations-train.spacy`` / ``relations-dev.spacy``: one doc per learned mention in content,
    labelled with every predicate the gold gives its name (multi-label; none: an unrelated mention).
    Mentions come from the mention model that never saw the page (see ``convert_subjects``)."""
    from anigraph.extract.mentions import load_mention_nlp
    from anigraph.extract.pagelines import HeadlineModel
    from anigraph.extract.people import extract_people
    from anigraph.extract.pipeline import Extractor
    from anigraph.extract.relations import PREDICATES, candidates
    from anigraph.extract.resources import Resources
    from anigraph.extract.subject_choice import SubjectModel
    from anigraph.ingest.readers import read_text

    def extractor_for(model: Path | None) -> Extractor:
        mention_nlp = load_mention_nlp(model) if model is not None else load_mention_nlp()
        return Extractor(
            nlp=mention_nlp,
            res=Resources.load(),
            people=extract_people,
            headlines=HeadlineModel.load(),
            subjects=SubjectModel.load(),
        )

    plain = extractor_for(None)
    unseen = {}
    if folds is not None:
        unseen = {"a": extractor_for(folds / "mentions-b" / "model-best")}
        unseen["b"] = extractor_for(folds / "mentions-a" / "model-best")
        plain = unseen["b"]
    nlp = make_nlp()
    items = list(pairs(shared, sets))
    held, fold_of = split(items, holdout=holdout, seed=seed)
    bins = {"train": DocBin(), "dev": DocBin()}
    counts: dict[str, int] = {"mentions": 0, "related": 0}
    for i, (_set, text_path, gold_path) in enumerate(items):
        keys = relation_keys(json.loads(gold_path.read_text(encoding="utf-8")))
        article = read_text(text_path.read_bytes(), name=str(text_path), path=str(text_path))
        extractor = unseen.get(fold_of.get(i, ""), plain)
        adoc, _facts = extractor.read(article, extractor.nlp(article.text))
        for _seg, mention, features in candidates(adoc, taken=set()):
            labels = {p for p in PREDICATES if _score_key(p, mention.text) in keys[p]}
            doc = nlp.make_doc(features)
            doc.cats = {p: float(p in labels) for p in PREDICATES}
            bins["dev" if i in held else "train"].add(doc)
            counts["mentions"] += 1
            counts["related"] += int(bool(labels))
            for p in labels:
                counts[p] = counts.get(p, 0) + 1
    out.mkdir(parents=True, exist_ok=True)
    for name, db in bins.items():
        db.to_disk(out / f"relations-{name}.spacy")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("training/corpus"))
    parser.add_argument(
        "--sets",
        default="train,dev,fixtures",
        help="never dev2 and never the blind set; add 'extra' to train on the project's own pages too "
        "(it made unseen pages worse when measured, so they are an evaluation set by default)",
    )
    parser.add_argument("--holdout", type=int, default=40, help="train pages kept apart to choose the model")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--folds", type=Path, default=None, help="with --stage subjects: the cross-fitted mention models"
    )
    parser.add_argument(
        "--stage",
        choices=["spans", "subjects", "relations"],
        default="spans",
        help="spans: mentions and headlines (before their training); subjects: needs those models installed",
    )
    parser.add_argument(
        "--extra-texts",
        type=Path,
        default=None,
        help="texts of training/gold/extra-*.json",
    )
    args = parser.parse_args()
    if args.extra_texts is not None:
        global EXTRA_TEXTS
        EXTRA_TEXTS = args.extra_texts
    sets = [s for s in args.sets.split(",") if s]
    if {"dev2", "blind"} & set(sets):
        raise SystemExit("dev2 and the blind set are for measuring only; they are never trained on")
    options = {
        "shared": args.shared,
        "out": args.out,
        "sets": sets,
        "holdout": args.holdout,
        "seed": args.seed,
    }
    if args.stage == "relations":
        print("relations:", json.dumps(convert_relations(**options, folds=args.folds), sort_keys=True))
        return
    if args.stage == "subjects":
        print("subjects:", json.dumps(convert_subjects(**options, folds=args.folds), sort_keys=True))
        return
    print("mentions:", json.dumps(convert(**options), sort_keys=True))
    print("headlines:", json.dumps(convert_headlines(**options), sort_keys=True))


if __name__ == "__main__":
    main()
