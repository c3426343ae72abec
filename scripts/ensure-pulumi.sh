#!/usr/bin/env bash
# Makes a real Pulumi CLI available without the official installer (which needs the internet).
# Uses a `pulumi` already on PATH; otherwise builds a pinned version from Go modules into a cache
# outside the repository, reused by later runs. Prints the directory to put on PATH as its last line.
set -euo pipefail

PULUMI_VERSION="${PULUMI_CLI_VERSION:-v3.274.1}"
CACHE_ROOT="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-bitbucket-cloud}"
DIR="$CACHE_ROOT/pulumi-cli-$PULUMI_VERSION"
BIN="$DIR/bin"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { echo "[ensure-pulumi] $*" >&2; }

install_dynamic_plugin() {
  # The dynamic-provider plugin is a small script at the root of the @pulumi/pulumi npm package.
  local target="$1" src="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ -f "$src" ] && [ ! -e "$target/pulumi-resource-pulumi-nodejs" ]; then
    cp "$src" "$target/pulumi-resource-pulumi-nodejs"
    chmod +x "$target/pulumi-resource-pulumi-nodejs"
  fi
}

if [ -z "${PULUMI_FORCE_BUILD:-}" ] && command -v pulumi >/dev/null 2>&1 && [ "$(command -v pulumi)" != "$BIN/pulumi" ]; then
  existing="$(dirname "$(command -v pulumi)")"
  log "using the pulumi already on PATH: $existing ($(pulumi version))"
  command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 || log "warning: pulumi-resource-pulumi-nodejs is not on PATH"
  echo "$existing"
  exit 0
fi

if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ]; then
  log "cached Pulumi CLI $PULUMI_VERSION in $BIN"
  mkdir -p "$BIN"; install_dynamic_plugin "$BIN"
  echo "$BIN"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "error: Go is needed to build the Pulumi CLI and is not on PATH"; exit 1; }
start=$(date +%s)
log "building Pulumi CLI $PULUMI_VERSION from Go modules into $DIR (first run only; several minutes)"
WORK="$DIR.partial"
rm -rf "$WORK"; mkdir -p "$WORK/bin"; cd "$WORK"
cat > go.mod <<GOMOD
module local/pulumi-cli
go 1.25
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
log "step 1/4: resolving the CLI module"
go get -tool "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$PULUMI_VERSION" >&2
go get "github.com/pulumi/pulumi/sdk/v3@$PULUMI_VERSION" >&2
log "step 2/4: resolving the Node.js language host"
SHA=$(go mod download -json "github.com/pulumi/pulumi/pkg/v3@$PULUMI_VERSION" | sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' | head -1)
go get -tool "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@$SHA" >&2
go mod tidy >&2
LDF="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"
log "step 3/4: compiling pulumi"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDF" -o bin/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
log "step 4/4: compiling pulumi-language-nodejs"
go build -trimpath -tags osusergo,grpcnotrace -ldflags "$LDF" -o bin/pulumi-language-nodejs github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >&2
rm -rf "$DIR"; mv "$WORK" "$DIR"
install_dynamic_plugin "$BIN"
log "built in $(( $(date +%s) - start ))s: $("$BIN/pulumi" version)"
echo "$BIN"
