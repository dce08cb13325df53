# The two commands of the README: `make run` and `make test`. Each creates .venv and installs
# everything the product uses (the French spaCy model included) on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11 ou plus est requis")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,gen]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/quizbot run

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	BIN=$(BIN) .ci/lint

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	@for script in bench/[a-z]*.py; do \
		case $$script in bench/echo_bot.py) continue;; esac; \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) data/*.sqlite3*
