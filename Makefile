# Flywheel: every target first makes sure the system libraries it links are installed.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev libhdf5-dev hdf5-tools libpng-dev libjpeg62-turbo-dev libtiff-dev pkg-config python3-venv chromium
SWIFT_RELEASE := swift build -c release
BENCH_DIR := bench-results
NEU ?= ../shared/data/neu-det

.PHONY: deps build test test-slurm same-results reproduce reproduce-full reproduce-real reproduce-real-v1 claims claims-quick real-defects audit-neu audit-check audit-check-large kernel-spread bench bench-peers bench-label-issues bench-import clean

## deps: install the Debian packages Flywheel links against, when any is missing.
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	fi

## build: the flywheel command, optimised.
build: deps
	scripts/refresh-build-info.sh
	$(SWIFT_RELEASE) --product flywheel

## test: the import rules of docs/ARCHITECTURE.md, the whole test suite, optimised (numeric tests run several
## times faster than in debug), then the engine's tests again under every OpenBLAS kernel family this CPU can
## run (Haswell and generic at least).
test: deps
	scripts/check-architecture.sh
	scripts/refresh-build-info.sh
	swift test -c release -Xswiftc -enable-testing
	scripts/test-blas-kernels.sh

## test-slurm: a tiny experiment through a real single-node Slurm (installs slurm-wlm and munge).
test-slurm: build
	scripts/test-slurm.sh

## same-results: a structural change changed no result: BASE's and this tree's trials and reports compared
## (scripts/same-results.sh; same machine, one thread per trial).
same-results: deps
	scripts/same-results.sh $(BASE)

## reproduce: Ng's model-centric vs data-centric table on built-in data (results/ng-table.md).
reproduce: build
	.build/release/flywheel reproduce

## reproduce-full: the same table plus the data-then-model arm and the review curve (same seeds; reuses
## the table's trials when `make reproduce` ran first).
reproduce-full: build
	.build/release/flywheel reproduce --full

## reproduce-real: the same three arms on public real image sets (results/real-table.md; experiments/real/, the
## table's version 2): NEU from ../shared/data, X-SDD, DeepPCB and BCCD fetched at pinned commits by
## scripts/fetch-real.sh (FLYWHEEL_SOURCES=folder of mirrors when offline), each imported once at 64 px into data/;
## then, for each set, a resnet-8 pretrained on the other three (scripts/real/pretrain.sh), the model arm's
## transfer lever. Version 1 (32 px, no transfer), kept as it ran: make reproduce-real-v1 (results/real-table-v1/).
REAL_SPLIT := --split train=0.4,val=0.15,test=0.25,pool=0.2 --seed 1 --labels-are-gold
REAL_SETS := neu-det:$(NEU):--grayscale xsdd:data/real/xsdd:--grayscale deeppcb:data/real/deeppcb:--grayscale bccd:data/real/bccd:
reproduce-real: build
	scripts/fetch-real.sh
	@for set in $(REAL_SETS); do \
		IFS=: read name source colour <<< "$$set"; \
		[ -f data/real-$$name-64.h5 ] || .build/release/flywheel data import $$source --out data/real-$$name-64.h5 --size 64 $$colour $(REAL_SPLIT) || exit 2; \
	done
	NEU=$(NEU) scripts/real/pretrain.sh neu-det xsdd deeppcb bccd
	.build/release/flywheel reproduce --suite real

reproduce-real-v1: build
	scripts/fetch-real.sh
	@for set in $(REAL_SETS); do \
		IFS=: read name source colour <<< "$$set"; \
		[ -f data/real-$$name-32.h5 ] || .build/release/flywheel data import $$source --out data/real-$$name-32.h5 --size 32 $$colour $(REAL_SPLIT) || exit 2; \
	done
	.build/release/flywheel reproduce --suite real --experiments experiments/real-table-v1 --results results/real-table-v1 --notebooks notebooks-export/real-table-v1

## claims: the article's claims, one pre-registered experiment each (experiments/claims/, version 3), resumable:
## the calibration seeds of each claim first (its power), then its report seeds: results/claims.md and claims.csv,
## results/claims/NAME/, notebooks-export/claims.ipynb. CLAIM=NAME runs one. Claims 1, 3, 4 and 6 also run on the NEU
## images, imported once at the claims' sizes (60 training images per class, as the scenario's) into data/, with an
## ambiguity score per image measured by flywheel data ambiguity (4 folds of cnn-small, one thread, so the scores
## are the same on every run of this machine). Versions 1 and 2, kept as they ran: flywheel claims --version v1|v2
## (results/claims-v1/, results/claims-v2/; version 2 reads $(NEU_CLAIMS)).
NEU_CLAIMS := data/claims-neu-det-32.h5
NEU_CLAIMS_SCORED := data/claims-neu-det-32-scored.h5
claims: build
	@$(MAKE) --no-print-directory $(NEU_CLAIMS_SCORED)
	.build/release/flywheel claims $(if $(CLAIM),--only $(CLAIM))

## claims-quick: the same with each file's quick: settings (2 seeds, 3 epochs), into results/claims-quick: a first
## look, no calibration seeds and so no power (flywheel claims --power measures the design's).
claims-quick: build
	@$(MAKE) --no-print-directory $(NEU_CLAIMS_SCORED)
	.build/release/flywheel claims --quick $(if $(CLAIM),--only $(CLAIM))

$(NEU_CLAIMS):
	@mkdir -p data
	.build/release/flywheel data import $(NEU) --out $@ --size 32 --grayscale --split train=0.2,val=0.1,test=0.33,pool=0.37 --seed 1 --labels-are-gold

$(NEU_CLAIMS_SCORED): $(NEU_CLAIMS)
	.build/release/flywheel data ambiguity $(NEU_CLAIMS) --out $@ --folds 4 --model cnn-small --epochs 20 --seed 1 --threads 1

## real-defects: the steel ablation on the real NEU images in ../shared/data (imported once into data/).
real-defects: build
	@mkdir -p data
	@[ -f data/neu-det-32.h5 ] || .build/release/flywheel data import $(NEU) --out data/neu-det-32.h5 --size 32 --grayscale \
		--split train=0.4,val=0.1,test=0.2,pool=0.3 --seed 1 --labels-are-gold
	.build/release/flywheel run experiments/real-defects.yaml --jobs 2

## audit-neu: `flywheel audit` on the real NEU images as published (labels taken as verified; half of each
## class for training, a fifth for validation, the rest for the test split): results/audit-neu/.
audit-neu: build
	@mkdir -p data
	@[ -f data/neu-det-32-audit.h5 ] || .build/release/flywheel data import $(NEU) --out data/neu-det-32-audit.h5 --size 32 --grayscale \
		--split train=0.5,val=0.2,test=0.3 --seed 1 --labels-are-gold
	.build/release/flywheel audit data/neu-det-32-audit.h5 --out results/audit-neu

## audit-check: the audit's estimates against the levers applied, on the three scenarios and on the NEU
## images with a quarter held back as the pool to collect from: results/audit-check.md.
audit-check: build
	@mkdir -p data
	@[ -f data/neu-det-32-pool.h5 ] || .build/release/flywheel data import $(NEU) --out data/neu-det-32-pool.h5 --size 32 --grayscale \
		--split train=0.25,val=0.15,test=0.35,pool=0.25 --seed 1 --labels-are-gold
	.build/release/flywheel audit-check --datasets data/neu-det-32-pool.h5 --out results/audit-check.md

## audit-check-large: the same check on the three scenarios at 1,100 training images a class (steel's 6,600 the
## size of docs/audit.md's file), where learning curves flatten, five seeds, with clean labels and with 20% flipped:
## results/audit-check-large/ (about 20 minutes on 2 cores).
audit-check-large: build
	@mkdir -p results/audit-check-large
	for noise in 0 0.2; do .build/release/flywheel audit-check --scenarios steel-defects,solar-cells,surface-inspection \
		--per-class train=1100,val=200,test=200,pool=1100 --seeds 1,2,3,4,5 --noise $$noise \
		--out results/audit-check-large/noise-$$noise.md || exit $$?; done

## kernel-spread: the steel experiment under the Haswell and SkylakeX OpenBLAS kernels, compared
## (results/kernel-spread/steel-defects.md; needs an AVX-512 CPU for SkylakeX).
kernel-spread: build
	scripts/kernel-spread.sh experiments/protocol-v1/steel-defects.yaml Haswell SkylakeX

## bench: engine throughput on the reference CNN at 1 and 2 threads, with the machine's sgemm rate.
bench: build
	.build/release/flywheel bench

## bench-peers: Flywheel beside TensorFlow and PyTorch in one sitting; see bench/README.md. BENCH_ARGS passes
## options to bench/compare.py, e.g. BENCH_ARGS="--variants cnn-deep-128 resnet-8-128-rgb --reps 3".
bench-peers: build
	bench/compare.sh $(BENCH_DIR) $(BENCH_ARGS)

## bench-import: import speed, 300×300 JPEG and PNG to 32 and 64 px, on one thread and on every core.
bench-import: build
	.build/release/flywheel data bench-import

## bench-label-issues: flywheel label-issues beside pandas/numpy + cleanlab 2.7.1 on the same files (200,000 and
## 1,000,000 samples × 10 classes, CSV and .npy); the peer installs into .venv-bench once.
bench-label-issues: build
	@[ -x .venv-bench/bin/python ] || (python3 -m venv .venv-bench && .venv-bench/bin/pip install -q numpy pandas "cleanlab==2.7.1" scikit-learn)
	.venv-bench/bin/python bench/label_issues.py --flywheel .build/release/flywheel --sizes 200000,1000000 --reps 3

clean:
	rm -rf .build $(BENCH_DIR)
