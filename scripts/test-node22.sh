#!/usr/bin/env bash
# The Node 22 leg of `npm test`: runs the e2e suite (test/e2e) with Node 22 first on PATH and the
# latest @pulumi/pulumi (>= 3.249 needs Node >= 22). The program's node_modules is a fresh install in a
# temporary directory of this package as packed by `npm pack` (what a user installs), the latest
# @pulumi/pulumi, typescript and ts-node, and yaml (examples/gitops-access reads its access file with it). Pass jest arguments through: scripts/test-node22.sh -t rename (only test/e2e is searched)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
log() { echo "[test-node22] $*" >&2; }

NODE22_BIN="$(bash scripts/ensure-node22.sh)"
SDK_VERSION="${E2E_NODE22_PULUMI_VERSION:-$(npm view @pulumi/pulumi@latest version 2>/dev/null)}"
[ -n "$SDK_VERSION" ] || { log "error: could not resolve the latest @pulumi/pulumi from the npm registry"; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bb-node22-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log "packing this package and installing it with @pulumi/pulumi@$SDK_VERSION into $WORK"
[ -f dist/provider/index.js ] || npm run --silent build
npm pack --ignore-scripts --silent --pack-destination "$WORK" >/dev/null
mv "$WORK"/pulumi-bitbucket-cloud-*.tgz "$WORK/pulumi-bitbucket-cloud.tgz"
cat >"$WORK/package.json" <<JSON
{
  "name": "e2e-node22-runtime",
  "private": true,
  "dependencies": {
    "@pulumi/pulumi": "$SDK_VERSION",
    "@types/node": "^22",
    "pulumi-bitbucket-cloud": "file:./pulumi-bitbucket-cloud.tgz",
    "ts-node": "^10.9.2",
    "typescript": "~5.9.3",
    "yaml": "$(node -p '(p => p.dependencies.yaml ?? p.devDependencies.yaml)(require("./package.json"))')"
  }
}
JSON
(cd "$WORK" && PATH="$NODE22_BIN:$PATH" npm install --no-audit --no-fund --loglevel=error >&2)

log "running the e2e suite on $("$NODE22_BIN/node" --version) with @pulumi/pulumi $SDK_VERSION"
PATH="$NODE22_BIN:$PATH" E2E_RUNTIME=node22 E2E_NODE_MODULES="$WORK/node_modules" E2E_PULUMI_SDK="$SDK_VERSION" \
  "$NODE22_BIN/node" node_modules/jest/bin/jest.js --roots "$REPO_ROOT/test/e2e" "$@"
