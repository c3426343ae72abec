#!/usr/bin/env bash
# Makes a real Pulumi CLI available without the official installer (which needs the internet).
#
# - A `pulumi` already on PATH is used as it is (with the language host installed beside it).
# - Otherwise the version pinned in scripts/pulumi-cli/go.mod is built from Go modules into a cache
#   outside the repository (${XDG_CACHE_HOME:-~/.cache}/pulumi-bitbucket-cloud/pulumi-cli-<version>/bin),
#   together with the Node.js language host of scripts/language-host/ and the dynamic-provider plugin
#   script of @pulumi/pulumi. Later runs reuse it; the language host is rebuilt when its sources change.
#
# Progress goes to stderr; the last line on stdout is the directory to put on PATH.
# Env: PULUMI_FORCE_BUILD=1 ignores a pulumi on PATH; PULUMI_CLI_CACHE overrides the cache root.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLI_MOD="$REPO_ROOT/scripts/pulumi-cli"
HOST_MOD="$REPO_ROOT/scripts/language-host"
PULUMI_VERSION="$(sed -n 's#^\s*github.com/pulumi/pulumi/pkg/v3 \(v[0-9.]*\).*#\1#p' "$CLI_MOD/go.mod")"
CACHE_ROOT="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-bitbucket-cloud}"
DIR="$CACHE_ROOT/pulumi-cli-$PULUMI_VERSION"
BIN="$DIR/bin"
LOG="$DIR/build.log"

log() { echo "[ensure-pulumi] $*" >&2; }

# Runs a quiet build step, its output in $LOG, with a heartbeat every 30 s.
step() {
  local what="$1"; shift
  local t0=$SECONDS
  log "$what ..."
  "$@" >>"$LOG" 2>&1 &
  local pid=$!
  while ! wait_for "$pid" 30; do log "  ... $what ($((SECONDS - t0))s)"; done
  if ! wait "$pid"; then
    log "error: $what failed; the last lines of $LOG:"
    tail -n 30 "$LOG" >&2
    exit 1
  fi
  log "  done: $what ($((SECONDS - t0))s)"
}
wait_for() { # pid seconds: true once the process has ended, false after the given seconds
  local i
  for ((i = 0; i < $2; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 1; done
  return 1
}

existing="$(command -v pulumi 2>/dev/null || true)"
existing="${existing:+$(dirname "$existing")}"
if [ -z "${PULUMI_FORCE_BUILD:-}" ] && [ -n "$existing" ] \
   && [ "$(cd "$existing" && pwd -P)" != "$(cd "$BIN" 2>/dev/null && pwd -P)" ]; then
  log "using the pulumi already on PATH: $existing/pulumi ($(pulumi version 2>/dev/null || echo '?'))"
  echo "$existing"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "error: Go is needed to build the Pulumi CLI and is not on PATH (or put a pulumi on PATH)"; exit 1; }
mkdir -p "$BIN"
# One build at a time per cache (the e2e suite and the demo may both call this).
exec 9>"$DIR/.lock"
flock 9

host_hash="$(cat "$HOST_MOD/go.mod" "$HOST_MOD/go.sum" "$HOST_MOD"/*.go | sha256sum | cut -c1-16)"
start=$SECONDS
built=""
export GOFLAGS="${GOFLAGS:-} -mod=readonly"
LDF="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION"

if [ ! -x "$BIN/pulumi" ]; then
  : >"$LOG"
  log "building the Pulumi CLI $PULUMI_VERSION from Go modules into $BIN (first run only; several minutes; log: $LOG)"
  step "downloading the Go modules it needs" bash -c "cd '$CLI_MOD' && go list -deps -tags osusergo,grpcnotrace github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >/dev/null"
  step "compiling pulumi $PULUMI_VERSION" bash -c "cd '$CLI_MOD' && go build -trimpath -tags osusergo,grpcnotrace -ldflags '$LDF' -o '$BIN/pulumi.tmp' github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
  mv "$BIN/pulumi.tmp" "$BIN/pulumi"
  built=1
fi

if [ ! -x "$BIN/pulumi-language-nodejs" ] || [ "$(cat "$BIN/.language-host-hash" 2>/dev/null)" != "$host_hash" ]; then
  step "compiling the Node.js language host (scripts/language-host)" bash -c "cd '$HOST_MOD' && go build -trimpath -ldflags '-s -w -X main.version=${PULUMI_VERSION#v}' -o '$BIN/pulumi-language-nodejs.tmp' ."
  mv "$BIN/pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
  echo "$host_hash" >"$BIN/.language-host-hash"
  built=1
fi

# The dynamic-provider plugin: the small script shipped at the root of the @pulumi/pulumi package. It
# resolves @pulumi/pulumi from the directory it is started in (the Pulumi program's directory).
plugin_src="$REPO_ROOT/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
if [ -f "$plugin_src" ]; then
  cmp -s "$plugin_src" "$BIN/pulumi-resource-pulumi-nodejs" 2>/dev/null || cp "$plugin_src" "$BIN/pulumi-resource-pulumi-nodejs"
elif [ ! -f "$BIN/pulumi-resource-pulumi-nodejs" ]; then
  log "error: $plugin_src is missing: run npm install first"
  exit 1
fi
chmod +x "$BIN/pulumi-resource-pulumi-nodejs"

if [ -n "$built" ]; then
  log "ready in $((SECONDS - start))s: $("$BIN/pulumi" version) in $BIN"
else
  log "cached Pulumi CLI $("$BIN/pulumi" version) in $BIN"
fi
echo "$BIN"
