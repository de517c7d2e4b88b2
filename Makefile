# niangjia — two commands: `make demo` and `make test`. Every target is idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NJ := $(BIN)/niangjia
STAMP_PY := $(VENV)/.installed
STAMP_JS := niangjia/static_build/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint worker bench setup assets migrate clean serve

setup: $(STAMP_PY) $(STAMP_JS)

$(STAMP_PY): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# Front-end packages come from npm (package-lock.json); only their built files are served.
$(STAMP_JS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf niangjia/static_build/vendor && mkdir -p niangjia/static_build/vendor/{bootstrap,htmx,echarts,leaflet,dexie}
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map niangjia/static_build/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map niangjia/static_build/vendor/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js niangjia/static_build/vendor/htmx/
	cp node_modules/echarts/dist/echarts.min.js niangjia/static_build/vendor/echarts/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images niangjia/static_build/vendor/leaflet/
	cp node_modules/dexie/dist/dexie.min.js node_modules/dexie/dist/dexie.min.js.map niangjia/static_build/vendor/dexie/
	@touch $@

assets: $(STAMP_JS)

migrate: setup
	@mkdir -p var
	$(NJ) migrate --no-input -v 0

# Sets everything up, loads the demo data once, starts a task worker and the web server.
demo: migrate
	$(NJ) seed --preset xian --if-empty
	@echo "后台任务进程和变更筛查已启动（日志 var/worker.log、var/follow.log）；网页：http://$(HOST):$(PORT)/"
	@$(NJ) db_worker --queue-name '*' >var/worker.log 2>&1 & echo $$! >var/worker.pid; \
	$(NJ) screen --follow >var/follow.log 2>&1 & echo $$! >var/follow.pid; \
	trap 'kill $$(cat var/worker.pid var/follow.pid) 2>/dev/null; rm -f var/worker.pid var/follow.pid' EXIT INT TERM; \
	DEBUG=1 $(NJ) runserver --noreload $(HOST):$(PORT)

# DEBUG is off unless asked for; the demo and the development server ask (never in production).
serve: migrate
	DEBUG=1 $(NJ) runserver $(HOST):$(PORT)

# The suite runs on every core (pytest-xdist: each worker has its own test database; a module's tests stay
# together, so a module's fixture is built once). PYTEST_ARGS=-n0 runs it in one process.
PYTEST_ARGS ?= --numprocesses auto --dist loadscope
test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(NJ) makemigrations --check --dry-run

# A task worker, and beside it the loop that re-screens households whose facts changed.
worker: migrate
	@$(NJ) screen --follow & echo $$! >var/follow.pid; \
	trap 'kill $$(cat var/follow.pid) 2>/dev/null; rm -f var/follow.pid' EXIT INT TERM; \
	$(NJ) db_worker --queue-name '*'

bench: setup
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules niangjia/static_build var
