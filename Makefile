# Every target bootstraps .venv from a bare python3 and the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# pip shows its progress (no --quiet): set-up takes a minute or two on a bare machine
PIP := $(PY) -m pip install --disable-pip-version-check
KERNEL := wuchang-innovation
OUTPUT ?= build
ARGS ?=
# Python writes each module's bytecode once (__pycache__/) and reads it after, unless PYTHONDONTWRITEBYTECODE is set,
# as some shells and CI images do: then every kernel, worker and pytest process compiles the library and pytest
# rewrites every test module again (about a second per process). The runs, tests and Lab here undo it for themselves.
RUN := env -u PYTHONDONTWRITEBYTECODE $(PY)

.DEFAULT_GOAL := help

# A .venv knows the checkout it was made for (.venv/.checkout): its editable install and kernel point
# there, so a copied checkout (cp -a) would silently run the original's library, notebooks and data.
# help and clean never touch .venv, so they work in a copied checkout too.
VENV_HOME := $(shell cat $(VENV)/.checkout 2>/dev/null)
ifneq ($(filter-out help clean,$(or $(MAKECMDGOALS),help)),)
ifneq ($(VENV_HOME),)
ifneq ($(VENV_HOME),$(CURDIR))
$(error .venv belongs to $(VENV_HOME), not to this checkout $(CURDIR); make a new one: rm -rf .venv && make venv)
endif
endif
endif

## Show this help
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z-]+:/{if(doc){split($$0,t,":"); n++; name[n]=t[1]; text[n]=doc; \
	  if(length(t[1])>w) w=length(t[1])}; doc=""} END{f="  make %-" w "s  %s\n"; for(i=1;i<=n;i++) printf f, name[i], text[i]}' \
	  $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.lock requirements-lab.lock pyproject.toml
	@echo "==> [1/6] Creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@echo "==> [2/6] Installing the pinned packages of requirements.lock (notebooks, tests) - about a minute"
	$(PIP) -r requirements.lock
	@echo "==> [3/6] Installing JupyterLab and its Chinese language pack (requirements-lab.lock)"
	$(PIP) -r requirements-lab.lock
	@echo "==> [4/6] Installing analysis_utils from src/ (editable)"
	$(PIP) --no-deps --no-build-isolation -e .
	@echo "==> [5/6] Registering the kernel $(KERNEL) inside $(VENV) and the Chinese font for JupyterLab"
	# The kernel lives inside .venv, so notebooks never run in another environment's python3.
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (wuchang-innovation)"
	$(PY) -m analysis_utils.report.lab $(VENV)
	@echo "==> [6/6] Git filter: notebooks are staged and diffed without outputs (nbstripout)"
	# Per repository (.git/config; the attribute line is in the committed .gitattributes). The command is
	# relative: git runs filters from the top of the work tree, so each work tree uses its own .venv.
	# --keep-id: Lab keeps cell ids, and so must the filter, or every cell would show as changed.
	@if [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$$(pwd -P)" ]; then \
	  $(VENV)/bin/nbstripout --install --attributes .gitattributes --python $(VENV)/bin/python && \
	  git config filter.nbstripout.clean '$(VENV)/bin/python -m nbstripout --keep-id' && \
	  git config diff.ipynb.textconv '$(VENV)/bin/python -m nbstripout --keep-id -t' && \
	  echo "    nbstripout: $$(git config filter.nbstripout.clean)"; \
	else echo "    not the top of a git work tree: no filter set up"; fi
	echo "$(CURDIR)" > $(VENV)/.checkout
	touch $@

## Create .venv from the locks (with JupyterLab), register the kernel, set up the git filter
venv: $(VENV)/.installed

## Reproduce every output (notebooks, tables, figures, site) into build/ (or OUTPUT=folder)
reproduce: $(VENV)/.installed
	$(RUN) -m analysis_utils reproduce --output $(OUTPUT) $(ARGS)

## Zip the self-contained site (build/site: pages, figures, tables, workbook) into build/site.zip
site-archive: reproduce
	cd $(OUTPUT) && $(abspath $(PY)) -m zipfile -c site.zip site

## Run every test: tests/unit, tests/project and tests/integration (notebooks, runs, site, Lab); a few minutes
test: $(VENV)/.installed
	# two processes (pytest-xdist), a test file each at a time, handed out in the collection's order, which puts the
	# longest files first (SLOW_FIRST, tests/conftest.py; --no-loadscope-reorder keeps it); the builds several files
	# read are made once per session (tests/integration/conftest.py). The plugin's options are given here, not in pyproject.toml, so a
	# plain `pytest` (or `pytest --nbmake notebooks/`) needs no plugin of ours.
	$(RUN) -m pytest -n 2 --dist loadfile --no-loadscope-reorder $(ARGS)

## Run the unit tests only (tests/unit: no kernel, browser or build; under half a minute on two cores)
test-unit: $(VENV)/.installed
	$(RUN) -m pytest tests/unit -n 2 --dist loadfile --no-loadscope-reorder $(ARGS)

## Mutation testing of data/ audit/ analysis/ composite/ with mutmut (slow; PACKAGE=audit for one sub-package)
mutation: $(VENV)/.installed
	$(VENV)/bin/mutmut run $(if $(PACKAGE),"analysis_utils.$(PACKAGE).*",)
	$(VENV)/bin/mutmut results

## Validate a data directory: make validate DATA=path/to/data
validate: $(VENV)/.installed
	$(PY) -m analysis_utils validate $(DATA)

## Open JupyterLab at the project root (notebooks/, data/, build/), project kernel, Chinese font; ARGS go to Jupyter
lab: $(VENV)/.installed
	# Jupyter's config folder is .venv/etc/jupyter (the CJK font and custom.css it serves, written by make venv:
	# src/analysis_utils/report/lab.py); Lab's own settings (language, theme) stay in ~/.jupyter/lab. Its workspaces
	# (the open tabs) are this checkout's, in .venv: a fresh clone reopened another checkout's tabs and kernels.
	JUPYTERLAB_SETTINGS_DIR="$${JUPYTERLAB_SETTINGS_DIR:-$${JUPYTER_CONFIG_DIR:-$$HOME/.jupyter}/lab/user-settings}" \
	JUPYTERLAB_WORKSPACES_DIR="$${JUPYTERLAB_WORKSPACES_DIR:-$(CURDIR)/$(VENV)/share/jupyter/lab/workspaces}" \
	JUPYTER_CONFIG_DIR="$(CURDIR)/$(VENV)/etc/jupyter" \
	exec env -u PYTHONDONTWRITEBYTECODE $(VENV)/bin/jupyter-lab --ServerApp.root_dir="$(or $(LAB_ROOT),$(CURDIR))" \
	  $$([ "$$(id -u)" = 0 ] && echo --allow-root) $(ARGS)

## Re-pin requirements.lock from pyproject.toml (maintainers only)
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	# a setuptools with bdist_wheel built in, so the editable install needs no separate wheel package
	.lockvenv/bin/pip install --quiet --upgrade setuptools
	.lockvenv/bin/pip install --quiet -c constraints.txt -e '.[test]'
	.lockvenv/bin/pip freeze --all --exclude-editable | grep -v '^pip==' > requirements.lock
	.lockvenv/bin/pip install --quiet -c constraints.txt -e '.[lab]'
	.lockvenv/bin/pip freeze --exclude-editable | grep -vxFf requirements.lock > requirements-lab.lock || true
	rm -rf .lockvenv

## Remove build outputs (keeps .venv)
clean:
	rm -rf $(OUTPUT) .pytest_cache

.PHONY: help venv reproduce site-archive test test-unit mutation validate lab lock clean
