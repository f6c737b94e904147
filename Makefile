# Kaiku: the two set-up commands are `make run` and `make test` (see README.md).
.PHONY: run test deps deps-test build build-debug app unit bench fuzz format tidy clean

JOBS ?= $(shell nproc)
DATA ?= ./data
LISTEN ?= 127.0.0.1:8080
MODEL ?= models/demo
# Synthetic demo answers generated into a new data directory, so that the reports have
# something to show (0 = none). Never added to a directory that already has a database.
DEMO_RESPONSES ?= 50000

run: deps build app
	@if [ "$(DEMO_RESPONSES)" != 0 ] && [ ! -e $(DATA)/kaiku.db ]; then \
	  ./build/kaiku gen --data $(DATA) --model $(MODEL) --responses $(DEMO_RESPONSES) --seed 1; fi
	./build/kaiku serve --data $(DATA) --listen $(LISTEN) --model $(MODEL)

test: deps-test build build-debug app
	scripts/run-tests.sh

deps:
	scripts/install-deps.sh

deps-test:
	scripts/install-deps.sh --test

build:
	cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build build -j $(JOBS)

build-debug:
	cmake -S . -B build-debug -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAIKU_SANITIZE=ON >/dev/null
	cmake --build build-debug -j $(JOBS)

# The staff web application (app/, TypeScript + Vite) into app/dist, served at /app/.
# npm ci only when node_modules is missing or older than the lock file.
app:
	@if [ ! -f app/node_modules/.package-lock.json ] || [ app/package-lock.json -nt app/node_modules/.package-lock.json ]; then \
	  cd app && npm ci --no-audit --no-fund --loglevel=error; fi
	cd app && npx --no-install tsc --noEmit && npx --no-install vite build --logLevel warn

unit: build-debug
	ctest --test-dir build-debug --output-on-failure -j $(JOBS)

bench: build
	bench/ingest
	bench/report.sh
	build/bench_events
	build/bench_text

# libFuzzer targets for the parsers (clang); each runs FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz:
	CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKAIKU_SANITIZE=ON -DKAIKU_FUZZ=ON -DKAIKU_TESTS=OFF >/dev/null
	cmake --build build-fuzz -j $(JOBS) --target fuzz_form fuzz_json_body fuzz_loader fuzz_hl7 fuzz_mllp fuzz_fhir fuzz_csv
	for f in form json_body loader hl7 mllp fhir csv; do mkdir -p build-fuzz/corpus/$$f; \
	  build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 build-fuzz/corpus/$$f tests/fuzz/$$f || exit 1; done

format:
	find src bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

tidy: build
	find src -name '*.cpp' ! -name '*_test.cpp' | xargs clang-tidy -p build --quiet

clean:
	rm -rf build build-debug app/dist
