#!/usr/bin/env bash
# `npm test`: every jest suite (emulator, provider, e2e) on the `node` on PATH with this repository's
# node_modules (@pulumi/pulumi 3.248.x, the last release for Node 20), then the e2e suite again on
# Node 22 with the latest @pulumi/pulumi (scripts/test-node22.sh). Ends with one summary line.
#   npm test                      both legs
#   npm test -- test/provider     jest with these arguments only (the Node 22 leg runs when they name e2e)
set -uo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
RESULTS="$(mktemp -d "${TMPDIR:-/tmp}/bb-test-XXXXXX")"
trap 'rm -rf "$RESULTS"' EXIT

# passed failed pending from a jest --json result file (0 0 0 when jest wrote none)
counts() {
  node -e 'try { const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites, r.numPendingTests) } catch { console.log("0 1 0") }' "$1"
}

# The e2e programs load this package from dist/ (node_modules/pulumi-bitbucket-cloud links here): build it.
echo "== building dist/ (tsc) =="
node node_modules/typescript/bin/tsc -p tsconfig.json || exit 1

status=0
echo "== lint: eslint, prettier --check, type check of every TypeScript file (npm run lint) =="
if npm run --silent lint; then lint_result="lint: clean"; else lint_result="lint: FAILED"; status=1; fi

node_version="$(node --version)"
echo "== jest on node $node_version (this repository's node_modules) =="
node node_modules/jest/bin/jest.js --json --outputFile="$RESULTS/default.json" "$@" || status=1
read -r p1 f1 s1 < <(counts "$RESULTS/default.json")
summary=("node ${node_version}: $p1 passed, $f1 failed, $s1 skipped")
p=$p1 f=$f1 s=$s1
# A failed lint counts as one failed check in the summary line.
[ "$lint_result" = "lint: clean" ] || f=$((f + 1))

if [ $# -eq 0 ] || [[ " $* " == *e2e* ]]; then
  echo
  echo "== e2e suite on Node 22 with the latest @pulumi/pulumi =="
  bash scripts/test-node22.sh --json --outputFile="$RESULTS/node22.json" "$@" || status=1
  read -r p2 f2 s2 < <(counts "$RESULTS/node22.json")
  summary+=("node 22 e2e: $p2 passed, $f2 failed, $s2 skipped")
  p=$((p + p2)) f=$((f + f2)) s=$((s + s2))
fi

echo
echo "  $lint_result"
for line in "${summary[@]}"; do echo "  $line"; done
echo "$p passed, $f failed, $s skipped"
exit $status
