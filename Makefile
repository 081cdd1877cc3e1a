# Every target bootstraps .venv from a bare python3 and the pinned requirements.lock.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := wuchang-innovation
OUTPUT ?= build
ARGS ?=

.DEFAULT_GOAL := help

# A .venv knows the checkout it was made for (.venv/.checkout): its editable install and kernel point
# there, so a copied checkout (cp -a) would silently run the original's library, notebooks and data.
VENV_HOME := $(shell cat $(VENV)/.checkout 2>/dev/null)
ifneq ($(VENV_HOME),)
ifneq ($(VENV_HOME),$(CURDIR))
$(error .venv belongs to $(VENV_HOME), not to this checkout $(CURDIR); make a new one: rm -rf .venv && make venv)
endif
endif

## Show this help
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z-]+:/{if(doc){split($$0,t,":"); printf "  make %-10s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	# The kernel lives inside .venv, so notebooks never run in another environment's python3.
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (wuchang-innovation)"
	echo "$(CURDIR)" > $(VENV)/.checkout
	touch $@

## Create .venv from requirements.lock and register the project kernel
venv: $(VENV)/.installed

## Reproduce every output (notebooks, tables, figures, site) into $(OUTPUT)/
reproduce: $(VENV)/.installed
	$(PY) -m analysis_utils reproduce --output $(OUTPUT) $(ARGS)

## Run the test suite
test: $(VENV)/.installed
	$(PY) -m pytest $(ARGS)

## Mutation testing of data/ audit/ analysis/ composite/ with mutmut (slow; PACKAGE=audit for one sub-package)
mutation: $(VENV)/.installed
	$(VENV)/bin/mutmut run $(if $(PACKAGE),"analysis_utils.$(PACKAGE).*",)
	$(VENV)/bin/mutmut results

## Validate a data directory: make validate DATA=path/to/data
validate: $(VENV)/.installed
	$(PY) -m analysis_utils validate $(DATA)

## Open JupyterLab on notebooks/ with the project kernel
lab: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-lab.lock
	# root (containers, CI) must say so explicitly to JupyterLab
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

## Re-pin requirements.lock from pyproject.toml (maintainers only)
lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	# wheel: make venv installs the package editable without build isolation, which needs it
	.lockvenv/bin/pip install --quiet wheel -e '.[test]'
	.lockvenv/bin/pip freeze --all --exclude-editable | grep -v '^pip==' > requirements.lock
	.lockvenv/bin/pip install --quiet -e '.[lab]'
	.lockvenv/bin/pip freeze --exclude-editable | grep -vxFf requirements.lock > requirements-lab.lock || true
	rm -rf .lockvenv

## Remove build outputs (keeps .venv)
clean:
	rm -rf $(OUTPUT) .pytest_cache

.PHONY: help venv reproduce test mutation validate lab lock clean
