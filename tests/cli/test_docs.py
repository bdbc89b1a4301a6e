"""The README's CLI reference and settings table are generated; they must match the code."""

from __future__ import annotations

from pathlib import Path

from anigraph.cli import docs
from anigraph.settings import SETTINGS

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_generated_sections_are_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert docs.render(text) == text, "README is stale: run `.venv/bin/python -m anigraph.cli.docs --write`"


def test_every_command_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    reference = docs.cli_reference()
    for line in reference.splitlines():
        if line.startswith("### "):
            assert line in text


def test_every_setting_is_documented() -> None:
    text = README.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text, f"{setting.env} missing from README"
