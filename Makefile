# Thin wrappers: all logic lives in scripts/dms (run `scripts/dms help`).
#   make run                      demo database + server on http://127.0.0.1:8069
#   make test [addons="a b"]      throwaway database, install, tests, "N passed, N failed"
#   make bench topic=<name>       tests/bench_<name>.py against a throwaway database
#   make demo-check               throwaway demo database: every demo login works (what CI runs)
#   make pot                      regenerate addons/<addon>/i18n/<addon>.pot
#   make lint                     ruff + pylint-odoo mandatory checks
#   make stop                     stop the local PostgreSQL cluster
#   make clean-db                 drop the demo database (next `make run` recreates it)

DMS := scripts/dms

.PHONY: help setup run test bench demo-check pot lint stop clean-db

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'

setup:
	@$(DMS) setup

run:
	@$(DMS) run

test:
	@$(DMS) test $(addons)

bench:
	@$(DMS) bench $(topic)

demo-check:
	@$(DMS) demo-check

pot:
	@$(DMS) pot

lint:
	@$(DMS) lint

stop:
	@$(DMS) stop

clean-db:
	@$(DMS) clean-db
