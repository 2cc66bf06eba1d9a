# detector: every target installs what it needs first (into .venv), and no more:
# the demo and reports need the runtime alone; tests add the dev and train extras
# (scikit-learn checks the exported models); corpus, train and bench add train
# and bench. Each install leaves a stamp in the venv named after its extras.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DATA   ?= ../shared/data
INPUT  ?= $(wildcard seeds/*.txt)
OUT    ?= reports/seeds
JOBS   ?= 0
SEED   := seeds/000_e8dde5b5ffebba82.txt

# extras per kind of target (comma-separated, as pip writes them)
TEST_EXTRAS ?= dev,train
ALL_EXTRAS  := dev,train,datatrove,bench
DEV_EXTRAS  := train,bench

RUNTIME := $(VENV)/.installed-runtime
TESTING := $(VENV)/.installed-$(TEST_EXTRAS)
ALL     := $(VENV)/.installed-$(ALL_EXTRAS)
DEV     := $(VENV)/.installed-$(DEV_EXTRAS)
LINTING := $(VENV)/.installed-dev

.PHONY: install test test-all test-browser demo corpus train bench lint format report wheel clean-venv

## install: the runtime with the test extras (what `make test` uses)
install: $(TESTING)

$(VENV)/.installed-%: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.$(if $(filter runtime,$*),,[$*])'
	@touch $@

## test: the fast suite (what CI runs)
test: $(TESTING)
	$(BIN)/python -m pytest -q

## test-all: also the slow tests and those that read $(DATA), with every extra
test-all: $(ALL)
	$(BIN)/python -m pytest -q -m ''

## test-browser: report.html in headless Chromium: a report of 2,000 mixed documents (tests/mixed_batch.py) opens every document, loads in under 2 s; skipped, with the reason, without chromium and chromium-driver
test-browser: $(TESTING)
	$(BIN)/python -m pytest -q -m browser -rs

## demo: clean the seed articles with the shipped model
demo: $(RUNTIME)
	@echo "== detector clean $(SEED) --annotate"
	@$(BIN)/detector clean $(SEED) --annotate
	@echo
	@echo "== detector clean $(SEED)"
	@$(BIN)/detector clean $(SEED)

## corpus: rebuild the derived training corpora from $(DATA)
corpus: $(DEV)
	$(BIN)/python -m detector_dev.corpus.cleaner --data $(DATA) --out corpus/cleaner.jsonl.gz
	$(BIN)/python -m detector_dev.corpus.filler --data $(DATA) --out corpus/filler.jsonl.gz
	$(BIN)/python -m detector_dev.corpus.html --data $(DATA) --out corpus/html.jsonl.gz

## train: cross-validate and retrain the shipped models from the corpora
train: $(DEV)
	$(BIN)/python -m detector_dev.train.text
	$(BIN)/python -m detector_dev.train.filler
	$(BIN)/python -m detector_dev.train.html

## bench: quality and speed measurements (see README); ONLY="hostile speed" runs only those parts
bench: $(DEV)
	$(BIN)/python -m detector_dev.bench $(foreach part,$(ONLY),--only $(part))

## report: clean and score every document of $(INPUT) into $(OUT)/ (results.jsonl, stats.json, report.html and report-details/), on $(JOBS) workers (0: all cores)
report: $(RUNTIME)
	$(BIN)/detector report $(INPUT) --out $(OUT) -j $(JOBS)

lint: $(LINTING)
	$(BIN)/ruff check detector detector_dev tests
	$(BIN)/ruff format --check detector detector_dev tests

format: $(LINTING)
	$(BIN)/ruff format detector detector_dev tests
	$(BIN)/ruff check --fix detector detector_dev tests

## wheel: build the wheel and check it installs and runs alone in a fresh venv (what CI runs)
wheel: $(LINTING)
	bash .ci/wheel-check $(BIN)/python

clean-venv:
	rm -rf $(VENV)
