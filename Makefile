# 就业助手 — every task goes through these targets. `make run` and `make test` set up a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_VERSION := $(shell cat .python-version)
PYENV_ROOT ?= $(shell command -v pyenv >/dev/null 2>&1 && pyenv root)
BASE_PYTHON ?= $(firstword $(wildcard $(PYENV_ROOT)/versions/$(PYTHON_VERSION)/bin/python) python3.10)

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export RASA_TELEMETRY_ENABLED := false

# One set of flags for training, validation and tests.
RASA_DATA := --config bot/config.yml --domain bot/domain --data bot/data nlu_data
# The model is named by the hash of what it is trained from, and cached outside the tree.
MODEL_INPUTS := bot/config.yml bot/chinese_script.py bot/simplified.py bot/jieba/userdict.txt requirements.txt \
	$(shell find bot/domain bot/data nlu_data -name '*.yml' 2>/dev/null | sort)
MODEL_HASH := $(shell cat $(MODEL_INPUTS) 2>/dev/null | sha256sum | cut -c1-16)
MODEL := models/$(MODEL_HASH).tar.gz
MODEL_CACHE ?= $(HOME)/.cache/jobassist/models
# The passages policy answers quote, rebuilt when the notices or the ingest code change (their
# hash names the stamp) or when the passages file is gone.
KNOWLEDGE_INPUTS := $(sort $(wildcard knowledge/notices/*)) bot/simplified.py \
	$(addprefix knowledge/,markers.py manifest.py cleaning.py sections.py ingest.py)
KNOWLEDGE_HASH := $(shell cat $(KNOWLEDGE_INPUTS) 2>/dev/null | sha256sum | cut -c1-16)
KNOWLEDGE := instance/knowledge/passages.json
KNOWLEDGE_STAMP := instance/knowledge/inputs-$(KNOWLEDGE_HASH).stamp

.PHONY: help venv model knowledge run chat test test-unit test-integration validate test-stories nlu-report lint bench bench-jobs services clean

help:
	@echo "make run    start the whole system (Rasa, actions, web, worker, embedded Redis, fake WeChat API)"
	@echo "make chat   talk to the running system through the real webhook (OPENID=... to pick a user)"
	@echo "make test   lint, data validation, test stories, NLU report, unit and integration tests"
	@echo "make eval   policy and campaign questions through the webhook: share answered right"
	@echo "make bench  webhook vs. Rasa latency benchmark"
	@echo "make bench-jobs  job search over 10,000 postings, one posting's fan-out to 100,000 subscribers"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt constraints.txt .python-version
	@test -x $(PY) || $(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	@touch $@

model: $(MODEL)

$(MODEL): | $(VENV)/.installed
	@mkdir -p models $(MODEL_CACHE)
	@if [ -f $(MODEL_CACHE)/$(MODEL_HASH).tar.gz ]; then \
		echo "model $(MODEL_HASH): cached"; cp $(MODEL_CACHE)/$(MODEL_HASH).tar.gz $@; \
	else \
		echo "model $(MODEL_HASH): training"; \
		$(RASA) train $(RASA_DATA) --out models --fixed-model-name $(MODEL_HASH) && \
		cp $@ $(MODEL_CACHE)/; \
	fi

knowledge: $(KNOWLEDGE_STAMP) $(KNOWLEDGE)

$(KNOWLEDGE_STAMP) $(KNOWLEDGE) &: | $(VENV)/.installed
	@rm -f instance/knowledge/inputs-*.stamp
	$(PY) -m knowledge.ingest --out $(KNOWLEDGE)
	@touch $(KNOWLEDGE_STAMP)

run: $(MODEL) knowledge
	$(PY) -m devstack $(MODEL)

chat: venv
	$(PY) -m chat $(if $(OPENID),--openid $(OPENID))

services:
	@scripts/ensure_services.sh

validate: venv
	$(RASA) data validate $(RASA_DATA)

test-stories: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories bot/tests --fail-on-prediction-errors --out results/stories

nlu-report: $(MODEL)
	$(RASA) test nlu --model $(MODEL) --nlu tests/nlu/heldout.yml --out results/nlu >/dev/null
	$(PY) -m evaluation.nlu_report results/nlu/intent_report.json

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test-unit: venv knowledge
	$(VENV)/bin/pytest tests/unit

test-integration: $(MODEL) services knowledge
	RASA_MODEL=$(MODEL) $(VENV)/bin/pytest tests/integration

test: $(MODEL) services knowledge lint validate test-stories nlu-report
	RASA_MODEL=$(MODEL) $(VENV)/bin/pytest tests

eval: $(MODEL) knowledge services
	RASA_MODEL=$(MODEL) $(PY) -m evaluation.answers

bench: $(MODEL) services
	RASA_MODEL=$(MODEL) $(PY) -m bench.webhook_vs_rasa $(BENCH_ARGS)

bench-jobs: venv services
	$(PY) -m bench.jobs_search_and_push $(BENCH_ARGS)

clean:
	rm -rf results .pytest_cache .ruff_cache .mypy_cache
