# detector: every target installs what it needs first (into .venv).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= ../shared/data
INPUT  ?= $(wildcard seeds/*.txt)
OUT    ?= reports/seeds
SEED   := seeds/000_e8dde5b5ffebba82.txt

.PHONY: install test test-all demo corpus train bench lint format report clean-venv

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,datatrove,bench]'
	@touch $(STAMP)

## test: the fast suite (what CI runs)
test: install
	$(BIN)/python -m pytest -q

## test-all: also the slow tests and those that read $(DATA)
test-all: install
	$(BIN)/python -m pytest -q -m ''

## demo: clean the seed articles with the shipped model
demo: install
	@echo "== detector clean $(SEED) --annotate"
	@$(BIN)/detector clean $(SEED) --annotate
	@echo
	@echo "== detector clean $(SEED)"
	@$(BIN)/detector clean $(SEED)

## corpus: rebuild the derived training corpora from $(DATA)
corpus: install
	$(BIN)/python -m detector_dev.corpus.cleaner --data $(DATA) --out corpus/cleaner.jsonl.gz
	$(BIN)/python -m detector_dev.corpus.filler --data $(DATA) --out corpus/filler.jsonl.gz
	$(BIN)/python -m detector_dev.corpus.html --data $(DATA) --out corpus/html.jsonl.gz

## train: cross-validate and retrain the shipped models from the corpora
train: install
	$(BIN)/python -m detector_dev.train.text
	$(BIN)/python -m detector_dev.train.filler
	$(BIN)/python -m detector_dev.train.html

## bench: quality and speed measurements (see README); ONLY="hostile speed" runs only those parts
bench: install
	$(BIN)/python -m detector_dev.bench $(foreach part,$(ONLY),--only $(part))

## report: clean and score every document of $(INPUT) into $(OUT)/ (results.jsonl, stats.json, report.html)
report: install
	$(BIN)/detector report $(INPUT) --out $(OUT)

lint: install
	$(BIN)/ruff check detector tests
	$(BIN)/ruff format --check detector tests

format: install
	$(BIN)/ruff format detector tests
	$(BIN)/ruff check --fix detector tests

clean-venv:
	rm -rf $(VENV)
