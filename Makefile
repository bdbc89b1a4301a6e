# anigraph: `make demo` and `make test` set up a fresh machine by themselves.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test lint typecheck unit install clean bench train

install: $(STAMP)

# Create the virtualenv and install the pinned dependencies, then the package itself.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

DEMO_DB := .demo/anigraph.db
SEED := $(wildcard $(SHARED)/seeds/metallic-rouge-trailer.txt)

# Ingest the sample articles the project ships (plus the seed when ../shared is there)
# into a fresh database and print what anigraph knows about Metallic Rouge.
demo: $(STAMP)
	@mkdir -p .demo && rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/anigraph ingest --db $(DEMO_DB) src/anigraph/demo_data $(SEED)
	$(BIN)/anigraph show "Metallic Rouge" --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/ruff format --check src tests benchmarks training

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist loadgroup

test: lint typecheck unit

# Rebuild the learned models from ../shared (about 15 minutes on 2 cores), install them into the
# package and print dev2 and blind scores, with and without the learned parts. `make test` never trains.
# The relation model learns from mention tags made by models that never saw the page (two halves).
TRAIN_OUT := training/output
train: $(STAMP)
	$(BIN)/python training/convert.py --shared $(SHARED) --out training/corpus
	$(BIN)/python -m spacy train training/mentions.cfg --code training/code.py --output $(TRAIN_OUT)/mentions
	for half in a b; do \
	  $(BIN)/python -m spacy train training/mentions.cfg --code training/code.py --output $(TRAIN_OUT)/mentions-$$half \
	    --paths.train training/corpus/fold-$$half.spacy --training.max_steps 2000 || exit 1; \
	done
	$(BIN)/python -m spacy train training/headline.cfg --output $(TRAIN_OUT)/headline
	$(BIN)/python training/install_models.py mentions headline
	$(BIN)/python training/convert.py --shared $(SHARED) --out training/corpus --stage subjects
	$(BIN)/python -m spacy train training/subject.cfg --output $(TRAIN_OUT)/subject
	$(BIN)/python training/install_models.py subject
	$(BIN)/python training/convert.py --shared $(SHARED) --out training/corpus --stage relations --folds $(TRAIN_OUT)
	$(BIN)/python -m spacy train training/relations.cfg --output $(TRAIN_OUT)/relations
	$(BIN)/python training/install_models.py relations
	$(BIN)/python training/evaluate.py --shared $(SHARED) --ablation

bench: $(STAMP)
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/linking.py
	$(BIN)/python benchmarks/serve.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
