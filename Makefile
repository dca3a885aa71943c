# Two commands for a newcomer: `make run` and `make test`.

.PHONY: run test build release lint

# Starts xuke on ./xuke-data at http://127.0.0.1:8080 (override with XUKE_DATA_DIR, XUKE_LISTEN).
run:
	cargo run --bin xuke -- serve

# Runs every test: unit tests and the integration tests.
test:
	cargo test --all-targets

build:
	cargo build

release:
	cargo build --release

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
