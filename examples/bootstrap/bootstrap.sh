#!/usr/bin/env bash
# Bring a Bitbucket workspace under management in one go: import it into a new Pulumi project, take
# everything over with `pulumi up`, then prove the program matches Bitbucket with a refreshed preview
# that expects no changes.
#
#   bootstrap.sh --workspace acme --out ./acme [--secrets FILE] [--link-node-modules DIR] [import options...]
#
#   --secrets FILE            KEY=VALUE lines: the webhook secrets the import asks for (see below)
#   --link-node-modules DIR   link DIR as the project's node_modules instead of `npm install`
#                             (offline, or a checkout of pulumi-bitbucket-cloud that is not published)
#   anything else             passed to `pulumi-bitbucket-cloud import` (--project, --match, --protect, --package-spec...)
#
# Credentials: the BITBUCKET_* environment variables, read by the import and by the provider.
# Pulumi: the usual PULUMI_BACKEND_URL / PULUMI_CONFIG_PASSPHRASE (or `pulumi login` beforehand).
# Bitbucket never returns webhook secrets: every hook that has one needs its current secret in the
# --secrets file under the key the generated README.md lists; the script stops before `up` otherwise.
# The command line: PULUMI_BITBUCKET_CLOUD (default: `npx --no-install pulumi-bitbucket-cloud`).
set -euo pipefail

log() { echo "[bootstrap] $*" >&2; }
die() { log "error: $*"; exit 1; }

workspace="" out="" secrets="" node_modules="" import_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --workspace | -w) workspace="$2"; import_args+=("$1" "$2"); shift 2 ;;
    --out | -o) out="$2"; shift 2 ;;
    --secrets) secrets="$2"; shift 2 ;;
    --link-node-modules) node_modules="$(cd "$2" && pwd)"; shift 2 ;;
    *) import_args+=("$1"); shift ;;
  esac
done
[ -n "$workspace" ] && [ -n "$out" ] || die "usage: bootstrap.sh --workspace W --out DIR [--secrets FILE] [--link-node-modules DIR] [import options...]"
[ -z "$secrets" ] || [ -f "$secrets" ] || die "no secrets file $secrets"
read -r -a import_cmd <<<"${PULUMI_BITBUCKET_CLOUD:-npx --no-install pulumi-bitbucket-cloud}"

seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(seconds)" 'BEGIN { printf "%.1f s", b - a }'; }

t=$(seconds)
log "1/4 import $workspace into $out"
"${import_cmd[@]}" import "${import_args[@]}" --out "$out" >/dev/null
log "    done in $(elapsed "$t")"

cd "$out"
t=$(seconds)
if [ -n "$node_modules" ]; then
  ln -sfn "$node_modules" node_modules
else
  log "2/4 npm install"
  npm install --no-audit --no-fund --loglevel=error
fi
pulumi stack select --create "$workspace" --non-interactive >/dev/null

# The webhook secrets the import listed (README.md: `pulumi config set --secret KEY   # repository: url`).
missing=()
while read -r key; do
  value="$( [ -n "$secrets" ] && grep -m1 "^${key}=" "$secrets" | cut -d= -f2- || true)"
  if [ -z "$value" ]; then missing+=("$key"); continue; fi
  printf '%s' "$value" | pulumi config set --secret "$key" --non-interactive
done < <(sed -n 's/^pulumi config set --secret \([^ ]*-webhook-[0-9]*-secret\) .*/\1/p' README.md)
[ ${#missing[@]} -eq 0 ] || die "these webhooks have a secret Bitbucket does not return; put each in the --secrets file as KEY=VALUE (see $out/README.md): ${missing[*]}"
log "2/4 project ready in $(elapsed "$t")"

t=$(seconds)
log "3/4 pulumi up (takes over what exists)"
pulumi up --yes --skip-preview --non-interactive
log "    done in $(elapsed "$t")"

t=$(seconds)
log "4/4 pulumi preview --refresh --expect-no-changes"
pulumi preview --refresh --expect-no-changes --non-interactive
log "    clean in $(elapsed "$t"): the stack $workspace in $out manages workspace $workspace"
