"""Linker snapshots: read back, a linker links exactly as the one saved; plain data only."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from anigraph.errors import ResolveError
from anigraph.resolve import Candidate, Linker, snapshot


def work(eid: int, name: str, *aliases: str, **kw: object) -> Candidate:
    return Candidate(eid, "work", name, aliases=[(a, "anilist") for a in aliases], slug=f"w{eid}", **kw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def linker() -> Linker:
    lk = Linker(
        [
            work(1, "Kitsune Bakery", "Fox Bakery", context={"studio amber"}, prior=2.0),
            work(2, "Kitsune Bakery Season 2", "Fox Bakery Season 2"),
            work(3, "Kitsune Bakery: The Movie", fmt="movie"),
            work(4, "Harbor Lanterns: San no Shou", "Harbor Lanterns Season 3"),
            work(5, "Hunter Moon", context={"studio amber"}),
            work(6, "Hunter Moon", context={"studio birch"}),
            Candidate(101, "person", "Aoi Tanabe", slug="aoi-tanabe"),
            Candidate(201, "organization", "Studio Amber", slug="amber"),
            Candidate(301, "character", "Mika Sora", slug="mika", context={"kitsune bakery"}),
        ]
    )
    lk.build()
    lk.add(work(7, "Velvet Orbit"))  # added after the build: the snapshot indexes it too
    return lk


QUERIES = [
    ("Kitsune Bakery", "work", ()),
    ("Kitsune Bakry", "work", ()),
    ("Fox Bakery Seaso 2", "work", ()),
    ("Kitsune Bakery Season 5", "work", ()),
    ("Kitsune Bakery Mvoie", "work", ()),
    ("Harbor Lanterns: Sanno Shou", "work", ()),
    ("Hunter Moon", "work", ("Studio Birch",)),
    ("Velvet Orbit", "work", ()),
    ("Tanabe Aoi", "person", ()),
    ("Amber", "studio", ()),
    ("Mika Sora", "character", ("Kitsune Bakery",)),
    ("Nobody Known", "work", ()),
]


def test_a_snapshot_links_as_the_linker_saved(linker: Linker) -> None:
    copy = snapshot.loads(snapshot.dumps(linker))
    assert len(copy) == len(linker) and copy.alias_count() == linker.alias_count()
    for query, kind, context in QUERIES:
        assert copy.link(query, kind=kind, context=context) == linker.link(query, kind=kind, context=context)
    assert copy.owners("Hunter Moon") == {5, 6}


def test_a_snapshot_is_read_only(linker: Linker) -> None:
    copy = snapshot.loads(snapshot.dumps(linker))
    with pytest.raises(ResolveError, match="read from a snapshot"):
        copy.add(work(8, "Paper Comet"))


class _Sneaky:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (self.target,))  # would create a file when unpickled

    def __init__(self, target: str) -> None:
        self.target = target


@pytest.mark.parametrize("payload", ["global", "garbage", "format"])
def test_anything_but_a_snapshot_is_refused(payload: str, tmp_path: Path) -> None:
    target = tmp_path / "ran"
    data = {
        "global": pickle.dumps({"format": snapshot.FORMAT, "indexes": [_Sneaky(str(target))]}),
        "garbage": b"\x80\x05not a pickle",
        "format": pickle.dumps({"format": snapshot.FORMAT + 1, "indexes": []}),
    }[payload]
    with pytest.raises(ResolveError):
        snapshot.loads(data)
    assert not target.exists()  # nothing in the bytes ran


def test_a_name_with_nul_cannot_be_saved() -> None:
    lk = Linker([work(1, "Broken\x00Title")])
    with pytest.raises(ResolveError, match="NUL"):
        snapshot.dumps(lk)


def test_code_digest_is_stable() -> None:
    digest = snapshot.code_digest()
    assert len(digest) == 64 and digest == snapshot.code_digest()
