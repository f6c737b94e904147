#!/usr/bin/env bash
# Runs every test: unit tests under ASan/UBSan, then end-to-end tests against the
# sanitized binary over its real ports, then browser tests (Chromium + axe-core).
set -euo pipefail
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

echo "== layer rule (scripts/check-layers.sh)"
scripts/check-layers.sh

echo "== unit tests (ASan/UBSan)"
ctest --test-dir build-debug --output-on-failure -j "$(nproc)"

echo "== free-text evaluation (kaiku text eval on tests/data/text, floors below the measured scores)"
eval_files=(tests/data/text/eval_fi.tsv tests/data/text/eval_sv_en.tsv)
build/kaiku text eval --model models/demo "${eval_files[@]}" \
  --min-pii-recall 0.98 --min-name-recall 0.92 --min-sentiment-f1 0.85 --min-theme-f1 0.75 \
  --min-language-accuracy 0.95 --min-suggestion-f1 0.90 | tail -n 1
echo "   held-out half (never trained or tuned on):"
build/kaiku text eval --model models/demo --half held-out "${eval_files[@]}" \
  --min-pii-recall 0.98 --min-name-recall 0.90 --min-sentiment-f1 0.84 | tail -n 1
echo "   blind set written after the model (tests/data/text/blind_2026_11.tsv, never trained or tuned on):"
build/kaiku text eval --model models/demo tests/data/text/blind_2026_11.tsv \
  --min-pii-recall 0.98 --min-sentiment-f1 0.84 --min-suggestion-f1 0.85 | tail -n 1
echo "== the shipped sentiment model is what its corpus trains (kaiku text train-sentiment --check)"
build/kaiku text train-sentiment --model models/demo --check lexicons/sentiment_model.tsv \
  lexicons/train/*.tsv "${eval_files[@]}" | tail -n 1

echo "== end-to-end tests (build-debug/kaiku, ASan/UBSan)"
KAIKU_BIN="$PWD/build-debug/kaiku" node --test --test-concurrency=1 tests/e2e/

echo "== browser tests (build/kaiku, Chromium, axe-core)"
KAIKU_BIN="$PWD/build/kaiku" node --test --test-concurrency=1 tests/browser/
