# 安薪 Anxin: see README.md. Every target sets up what it needs.
SHELL := /bin/bash
STACK := deploy/local/stack.sh
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run up down test unit lint bench setup migrate clean-state

run: ## the whole stack in the foreground; Ctrl-C stops everything
	@$(STACK) run

up: ## the stack in the background; returns when every /readyz answers 200
	@$(STACK) up

down: ## stop the services, Kafka and PostgreSQL
	@$(STACK) down

setup:
	@$(STACK) setup

test: ## lint, unit tests, then integration and e2e tests against a real stack on a fresh database
	@tests/run.sh

unit: setup
	@$(VENV)/bin/pytest -q -m unit

lint: setup
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy .
	@$(VENV)/bin/lint-imports --no-logo

bench: ## benchmarks against a real stack; results go to bench/RESULTS.md
	@bench/run.sh

clean-state: down
	rm -rf .local
