# Two commands for a newcomer: `make run` and `make test`. Only Python 3.11 is needed; everything else goes into .venv/.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export TEST_ARTIFACTS ?= $(CURDIR)/test-artifacts

.PHONY: run test fuzz lint format clean serve worker bench bench-quick bench-admin fault-restart bench-token-flood \
	bench-hostile-imports

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

# Served beyond this machine (HOST=0.0.0.0), the development server answers to any host name unless told which.
OPEN_HOSTS = $(if $(DJANGO_ALLOWED_HOSTS),,$(if $(filter 127.0.0.1 localhost ::1,$(HOST)),,DJANGO_ALLOWED_HOSTS='*'))

## run: migrate, load the small demo data set, make sure a local admin exists, serve on $(HOST):$(PORT), with a task
## worker beside the server (it delivers webhooks) that stops with it
run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --students 60 --courses 15 --per-student 3 --schools 3 --teachers 12 --seed 1
	$(BIN)/python manage.py ensure_local_admin
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(OPEN_HOSTS) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: the suite with coverage (on PostgreSQL when DATABASE_URL points there), on every core (pytest-xdist;
## TEST_WORKERS=1 for one process; --dist loadfile keeps a module on one worker: the README's examples share a
## server). The schemathesis fuzzing is `make fuzz` (CI runs both); TEST_MARKERS selects other tests.
TEST_WORKERS ?= auto
TEST_MARKERS ?= not fuzz
COVERAGE ?= --cov --cov-report=term --cov-fail-under=90
# and no app under 85 % (an aggregate hides one); skipped with COVERAGE=--no-cov
COVERAGE_BY_APP = $(if $(filter --no-cov,$(COVERAGE)),,$(BIN)/python -m config.tests.coverage_by_app --fail-under=85)
test: $(VENV)/.dev-installed
	@mkdir -p $(TEST_ARTIFACTS)
	@echo "Screenshots and other test artifacts: $(TEST_ARTIFACTS)"
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile -m "$(TEST_MARKERS)" $(COVERAGE)
	$(COVERAGE_BY_APP)

## fuzz: schemathesis against the API's own schema and the OneRoster service against 1EdTech's (minutes)
fuzz: $(VENV)/.dev-installed
	$(BIN)/pytest -n $(TEST_WORKERS) -m fuzz --no-cov

## serve: production server (granian, serve.py); needs DJANGO_DEBUG=false and the production variables.
## Production also runs at least one task worker, `make worker` (Procfile, deploy/enrollments-worker.service).
serve: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python serve.py

## worker: a task worker (webhook deliveries, import jobs); run as many as needed, on any machine sharing the
## database. It waits until the database's migrations are applied (`make serve` applies them) before it starts.
worker: $(VENV)/.runtime-installed
	@until $(BIN)/python manage.py migrate --check >/dev/null 2>&1; do \
		echo "worker: waiting for the database and its migrations (make serve applies them)"; sleep 2; done
	$(BIN)/python manage.py db_worker --no-reload

## bench: the benchmark at district scale on PostgreSQL (BENCH_DATABASE_URL); bench-quick: a small run (< 1 min)
bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py --scale district

bench-quick: $(VENV)/.dev-installed
	$(BIN)/python bench/run.py --scale quick

## bench-admin: every admin page at district scale (after `make bench` has seeded it): time, HTML size, queries
bench-admin: $(VENV)/.dev-installed
	$(BIN)/python bench/admin_pages.py

## fault-restart: PostgreSQL restarted under load (root, local cluster): no 500, 503s with Retry-After, recovery
fault-restart: $(VENV)/.dev-installed
	$(BIN)/python bench/restart_postgres.py

## bench-token-flood: wrong secrets flooding /oauth/token behind nginx and without it; the API's p99 before and during
bench-token-flood: $(VENV)/.dev-installed
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python bench/token_flood.py

## bench-hostile-imports: the imports issue's hostile files as jobs (outcome, report size, peak memory), and the API
## while three 100 MB uploads arrive (p99 beside idle, the server's peak memory)
bench-hostile-imports: $(VENV)/.dev-installed
	$(BIN)/python bench/hostile_imports.py

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* .coverage htmlcov .pytest_cache .ruff_cache $(TEST_ARTIFACTS)
