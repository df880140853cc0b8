#!/usr/bin/env bash
# Runs every test: installs the real peers the integration tests start (slapd, ...), builds the
# charter grammar, type-checks, lints and checks the formatting (Biome), then runs each test/**/*.test.ts with node's test runner.
# Runs AUTOLIST_TEST_CONCURRENCY test files at once (2: most files wait on the servers they start).
# Fails when no test ran (node --test does not find .ts files by itself).
set -euo pipefail
cd "$(dirname "$0")/.."

bash test/install-peers.sh
npm run --silent typecheck
npm run --silent lint

mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no test files found under test/" >&2
  exit 1
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx tsx --test --test-concurrency="${AUTOLIST_TEST_CONCURRENCY:-2}" --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$report" "${files[@]}" || status=$?
passed=$(grep -E '^# pass ' "$report" | awk '{print $3}')
failed=$(grep -E '^# fail ' "$report" | awk '{print $3}')
echo "${passed:-0} passed, ${failed:-0} failed"
if [ "${passed:-0}" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
