# The two commands of the README:
#   make demo   creates .venv, installs everything, generates the demo data, builds it on DuckDB,
#               and writes the HTML report of its charts (target/report/index.html)
#   make test   runs every quality gate and test (what CI runs through .ci/run)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)
DEMO_DB ?= data/cohortwise.duckdb
DEMO_USERS ?= 2000
# the computation time of the demo: the end of the generated data, so relative cohort windows see it
DEMO_AS_OF ?= 2024-03-31 23:00:00

export COHORTWISE_DUCKDB_PATH ?= $(DEMO_DB)
export DBT_PROFILES_DIR := $(CURDIR)

.PHONY: demo test install clean

install: $(STAMP) profiles.yml

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

profiles.yml: profiles.yml.example
	cp profiles.yml.example profiles.yml

demo: install
	mkdir -p $(dir $(DEMO_DB))
	$(BIN)/python scripts/generate_events.py --users $(DEMO_USERS) --days 90 --duckdb $(DEMO_DB)
	$(BIN)/dbt build --target duckdb --vars '{cohortwise__as_of: "$(DEMO_AS_OF)"}'
	$(BIN)/cohortwise summary --target duckdb
	$(BIN)/cohortwise report --target duckdb

test: install
	bash scripts/ensure_system_packages.sh
	$(BIN)/python scripts/run_tests.py

clean:
	rm -rf target logs dbt_packages data $(VENV)
