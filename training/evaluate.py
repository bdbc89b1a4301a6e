"""Score the installed models end to end: dev2 (read freely) and the sealed blind set (totals only).

Runs ``anigraph extract --json`` over ``../shared/corpus/dev2`` and scores it with the shared
scorer, then calls ``../shared/eval/blind-score``. With ``--ablation`` the same runs are repeated
with the learned parts switched off (``ANIGRAPH_LEARNED=off``: the rule headline finder and no
learned mentions), so the gain of learning is measured, not assumed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def score_set(
    *, shared: Path, program: Path, env: dict[str, str], texts: list[Path], golds: list[Path]
) -> str:
    """The shared scorer's totals line for ``texts`` extracted by ``program``."""
    with tempfile.NamedTemporaryFile("w+", suffix=".jsonl") as out:
        subprocess.run(
            [str(program), "extract", *map(str, texts), "--json"], stdout=out, env=env, check=False
        )
        score = subprocess.run(
            [sys.executable, str(shared / "eval" / "score.py"), out.name, *map(str, golds)],
            capture_output=True,
            text=True,
            check=False,
        )
    return score.stdout.strip().splitlines()[-1]


def run(*, shared: Path, program: Path, learned: bool, extra: list[tuple[Path, Path]]) -> None:
    env = {**os.environ, "ANIGRAPH_LEARNED": "on" if learned else "off"}
    label = "learned on " if learned else "learned off"
    texts = sorted((shared / "corpus" / "dev2").glob("*.txt"))
    golds = sorted((shared / "eval" / "gold").glob("dev2-*.json"))
    print(f"[{label}] dev2 : {score_set(shared=shared, program=program, env=env, texts=texts, golds=golds)}")
    blind = subprocess.run(
        [sys.executable, str(shared / "eval" / "blind-score"), "--program", str(program)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    lines = blind.stdout.strip().splitlines()
    print(f"[{label}] blind: {lines[-1] if lines else blind.stderr.strip()[-200:]}")
    if extra:
        totals = score_set(
            shared=shared,
            program=program,
            env=env,
            texts=[t for t, _g in extra],
            golds=[g for _t, g in extra],
        )
        print(f"[{label}] extra: {totals} ({len(extra)} pages)")


def extra_pages() -> list[tuple[Path, Path]]:
    """The project's own annotated pages (``training/gold``) whose texts are present and unchanged."""
    sys.path.insert(0, str(ROOT / "training"))
    from convert import EXTRA_TEXTS, extra_pairs  # a training script beside this one

    return [(text, gold) for _set, text, gold in extra_pairs(EXTRA_TEXTS)]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--program", type=Path, default=ROOT / ".venv" / "bin" / "anigraph")
    parser.add_argument("--ablation", action="store_true", help="also score with the learned parts off")
    args = parser.parse_args()
    if not (args.shared / "eval" / "score.py").is_file():
        raise SystemExit(f"{args.shared}: ../shared is not there; nothing to score")
    extra = extra_pages()
    run(shared=args.shared, program=args.program, learned=True, extra=extra)
    if args.ablation:
        run(shared=args.shared, program=args.program, learned=False, extra=extra)


if __name__ == "__main__":
    main()
