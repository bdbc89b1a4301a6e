"""Gazetteer names written with initials match with or without a space after the last period."""

from __future__ import annotations

import pytest

from anigraph.extract.resources import Gazetteer, dotted_spacings


@pytest.mark.parametrize(
    ("form", "variants"),
    [("K.T.Motion", ["K.T. Motion"]), ("R.V. Frames", ["R.V.Frames"]), ("Studio Lumen", [])],
)
def test_dotted_spacings(form: str, variants: list[str]) -> None:
    assert dotted_spacings(form) == variants


def test_a_studio_written_with_a_space_after_its_initials_is_found() -> None:
    gaz = Gazetteer.build([("K.T.Motion", [])], ignore_case=True)
    text = "The anime is produced at K.T. Motion, with music by Rin Aoba."
    hits = gaz.find(text)
    assert [(text[s:e], form) for s, e, form in hits] == [("K.T. Motion", "K.T. Motion")]
    assert gaz.canonical["k.t. motion"] == "K.T.Motion"
