"""Generate the README's CLI reference and settings table, so the docs cannot drift.

    python -m anigraph.cli.docs            # print the generated sections
    python -m anigraph.cli.docs --write    # rewrite them in README.md between the markers

``tests/cli/test_docs.py`` fails when README.md differs from what this generates.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import typer

from anigraph.settings import SETTINGS

MARKERS = {"cli-reference": "cli_reference", "settings": "settings_table"}


def _commands(group: Any, prefix: str) -> list[tuple[str, Any]]:
    """(full name, command) for every leaf command, depth first, in registration order."""
    out: list[tuple[str, Any]] = []
    for name, cmd in group.commands.items():
        if cmd.hidden:
            continue
        full = f"{prefix} {name}"
        if hasattr(cmd, "commands"):
            out.extend(_commands(cmd, full))
        else:
            out.append((full, cmd))
    return out


def cli_reference() -> str:
    from anigraph.cli import app

    root = typer.main.get_command(app)
    lines: list[str] = []
    for full, cmd in _commands(root, "anigraph"):
        ctx = cmd.context_class(cmd, info_name=full)
        usage = re.sub(r"\{(\w+)\}", lambda m: m.group(1).upper(), " ".join(cmd.collect_usage_pieces(ctx)))
        lines.append(f"### `{full}`\n")
        lines.append((cmd.help or "").strip().split("\n\n")[0] + "\n")
        lines.append(f"    {full} {usage}\n")
        for param in cmd.params:
            if param.param_type_name != "option" or getattr(param, "hidden", False):
                continue
            names = ", ".join(f"`{o}`" for o in param.opts + param.secondary_opts)
            lines.append(f"- {names}: {(param.help or '').strip()}")
        lines.append("")
    return "\n".join(lines).strip() + "\n"


def settings_table() -> str:
    rows = ["| setting | environment | default | what |", "|---|---|---|---|"]
    for s in SETTINGS:
        rows.append(f"| `{s.name}` | `{s.env}` | `{s.default}` | {s.help} |")
    return "\n".join(rows) + "\n"


def render(readme: str) -> str:
    """README text with every generated section replaced by freshly generated content."""
    for marker, func_name in MARKERS.items():
        body = globals()[func_name]()
        pattern = re.compile(
            rf"(<!-- {marker} -->\n)(.*?)(<!-- /{marker} -->\n)|(<!-- {marker} -->\n)", re.DOTALL
        )
        block = f"<!-- {marker} -->\n{body}<!-- /{marker} -->\n"
        readme = pattern.sub(lambda _m: block, readme, count=1)  # noqa: B023 (used at once)
    return readme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="rewrite README.md in place")
    parser.add_argument("--readme", default="README.md")
    args = parser.parse_args(argv)
    path = Path(args.readme)
    new = render(path.read_text(encoding="utf-8"))
    if args.write:
        path.write_text(new, encoding="utf-8")
    else:
        sys.stdout.write(new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
