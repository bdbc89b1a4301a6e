"""Copy the best trained pipelines into the package (``src/anigraph/extract/model/``), versioned.

``spacy train`` writes ``model-best`` under ``training/output/NAME``; this names and versions it
(``meta.json``: name, version, the corpus it was trained on, its held-out scores) and replaces the
shipped copy, so the package always loads offline what ``make train`` last built.
"""

from __future__ import annotations

import argparse
import json
import shutil
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "anigraph" / "extract" / "model"
VERSION = "1.0.0"


def install(name: str, *, output: Path) -> Path:
    best = output / name / "model-best"
    if not (best / "meta.json").is_file():
        raise SystemExit(f"{best}: no trained pipeline; run 'make train' (spacy train) first")
    dest = TARGET / name
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(best, dest)
    meta_path = dest / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(
        {
            "name": f"anigraph_{name}",
            "version": VERSION,
            "description": f"anigraph {name} model, built by 'make train' on {date.today().isoformat()} "
            "from ../shared corpus/train, corpus/dev and the fixtures (never dev2 or the blind set)",
            "license": "MIT",
        }
    )
    meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "names", nargs="*", default=["mentions", "headline", "subject", "relations"], help="models to install"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "training" / "output")
    args = parser.parse_args()
    for name in args.names:
        print(f"installed {install(name, output=args.output)}")


if __name__ == "__main__":
    main()
