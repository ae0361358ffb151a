# Grid governance QGIS plugin. `make test` and `make demo` install what they need
# themselves (scripts/bootstrap.sh: Debian packages + a venv over Debian's PyQGIS).
SHELL := /bin/bash
PY := .venv/bin/python
BOOT := .venv/.bootstrapped
DB ?= gpkg
SCALE ?= demo
export QT_QPA_PLATFORM ?= offscreen

.PHONY: all bootstrap test test-fast lint format zip demo translations bench deploy clean wheelhouse

all: zip

$(BOOT): scripts/bootstrap.sh requirements.txt requirements-dev.txt constraints.txt
	bash scripts/bootstrap.sh
	touch $(BOOT)

bootstrap: $(BOOT)

translations: $(BOOT)
	$(PY) scripts/i18n.py compile i18n

zip: $(BOOT)
	$(PY) scripts/build_zip.py

lint: $(BOOT)
	.venv/bin/ruff check grid_governance_plugin tests scripts bench
	.venv/bin/ruff format --check grid_governance_plugin tests scripts bench

format: $(BOOT)
	.venv/bin/ruff format grid_governance_plugin tests scripts bench
	.venv/bin/ruff check --fix grid_governance_plugin tests scripts bench

# All tests: headless PyQGIS (pytest-qgis), a PostgreSQL/PostGIS server the tests start
# and stop themselves, and the real qgis binary under Xvfb for the end-to-end tests.
test: $(BOOT) translations
	.venv/bin/ruff check grid_governance_plugin tests scripts bench
	rm -rf .qgis-settings  # pytest-qgis keeps QGIS settings here; start every run clean
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-fast: $(BOOT)
	$(PY) -m pytest -q -m "not e2e" $(PYTEST_ARGS)

# The demo district in real QGIS. DB=postgis also loads it into a throw-away PostGIS.
demo: $(BOOT) zip
	$(PY) scripts/make_demo.py --out dist/demo --scale $(SCALE) --db $(DB)

# Wheels of the plugin's Python packages for QGIS machines without Internet (README: "Offline").
# PYTHON= the Python QGIS runs on the target (default: this machine's /usr/bin/python3).
wheelhouse: $(BOOT)
	$(PY) scripts/wheelhouse.py --out dist/wheelhouse $(if $(PYTHON),--python $(PYTHON))

deploy: $(BOOT) translations
	.venv/bin/pb_tool deploy -y

bench: $(BOOT)
	EXTRA_DEBS="grass-core" bash scripts/bootstrap.sh
	for b in bench/bench_*.py; do $(PY) $$b || exit 1; done

clean:
	rm -rf build dist .pytest_cache tests/artifacts i18n/*.qm
