# Työkyky: `make run` to try it, `make test` to prove it. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: install run test lint check messages mfa-code bench load bench-data bench-pdf bench-plan-pdf bench-sweep bench-outbox clean

install: $(VENV)/.installed node_modules/.installed $(MO_FILES)

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

# Development: embedded SQLite and file-system broker unless DATABASE_URL / REDIS_URL are set.
run: export DEBUG = True
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) refresh_statistics --all
	$(MANAGE) oidc_dev_config
	@echo ""
	@echo "  Työkyky is starting at http://127.0.0.1:8000/  (Ctrl-C stops the web server, worker and beat)"
	@echo "  Oma Työkyky, the clients' own service: http://127.0.0.1:8000/oma/ (test identification at :8001)"
	@echo ""
	@trap 'kill 0' INT TERM EXIT; \
	node deploy/dev-oidc-provider.mjs var/oidc/provider.json & \
	$(BIN)/celery -A tyokyky worker --beat --concurrency=1 --loglevel=WARNING \
		--schedule=var/celerybeat-schedule & \
	$(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest -n 2 --dist=worksteal --durations=25

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

check: export SECRET_KEY ?= checks-only-not-a-secret
check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# The demo users' current two-step login code, for logging in to `make run`.
mfa-code: export DEBUG = True
mfa-code: install
	@$(MANAGE) demo_mfa_code

# The pages at national scale against gunicorn on PostgreSQL (builds the data once).
BENCH_CLIENTS ?= 100000
bench: install
	BENCH_CLIENTS=$(BENCH_CLIENTS) $(BIN)/python bench/pages.py

# Where each page's time goes, in-process: total, SQL, queries and Python per page, and the
# slowest statement (bench/breakdown.py; --profile=<page> through BENCH_ARGS for cProfile).
.PHONY: bench-breakdown
bench-breakdown: install
	BENCH_CLIENTS=$(BENCH_CLIENTS) $(BIN)/python bench/breakdown.py $(BENCH_ARGS)

# The same, then 50 concurrent users over the journeys' pages for two minutes (wrk), served by
# (2 × cores) + 1 gunicorn workers, gunicorn's advice (BENCH_WORKERS to change).
load: install
	BENCH_CLIENTS=$(BENCH_CLIENTS) $(BIN)/python bench/pages.py --load

# BENCH_CLIENTS generated clients on the configured database, after `manage.py seed_demo`.
bench-data: export DEBUG = True
bench-data: install
	$(BIN)/python bench/generate_scale_data.py --clients $(BENCH_CLIENTS)

# Rendering time of the doctor's summary PDF (median of 20), on the configured database.
bench-pdf: install
	$(BIN)/python bench/doctor_summary_pdf.py

# Rendering time of a support plan of 500 actions (median of 5), as the background worker does.
bench-plan-pdf: install
	$(BIN)/python bench/large_plan_pdf.py

# The reminder sweep at 100,000 open plans, on PostgreSQL (BENCH_DATABASE_URL, BENCH_PLANS).
bench-sweep: install
	$(BIN)/python bench/reminder_sweep.py

bench-outbox: install
	$(BIN)/python bench/outbox.py

# The data protection officer's flag task and log search at 10 million access-log rows
# (BENCH_DATABASE_URL, default tyokyky_bench_logs; BENCH_LOG_ROWS; the log is made once).
.PHONY: bench-oversight
bench-oversight: install
	$(BIN)/python bench/oversight_flags.py

# Refresh the translation catalogues after changing user-visible strings, then fill them in.
messages: install
	DEBUG=True $(MANAGE) makemessages -l fi -l sv --ignore=.venv --ignore=node_modules --no-obsolete

clean:
	rm -rf $(VENV) node_modules var staticfiles
