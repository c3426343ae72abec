#!/usr/bin/env bash
# `npm run demo`: the quickstart through the real Pulumi CLI, end to end.
#   1. installs what it needs (npm install when node_modules or dist/ is missing; the Pulumi CLI)
#   2. starts the Bitbucket Cloud emulator on a free loopback port
#   3. `pulumi up` of the quickstart (root Pulumi.yaml) on a local stack (file backend in a temp dir)
#   4. shows what was created
#   5. changes things behind Pulumi's back and shows `pulumi preview --refresh --expect-no-changes` catching it
#   6. `pulumi up --refresh` puts them back, then `pulumi destroy` and clean-up
#
# Against real Bitbucket Cloud instead of the emulator: set BITBUCKET_WORKSPACE,
# DEMO_MEMBER_ACCOUNT_ID (a workspace member's account_id, not the owner) and credentials,
# BITBUCKET_EMAIL + BITBUCKET_API_TOKEN (an Atlassian API token with repository admin scopes).
# The demo creates and then deletes the repositories `pulumi-demo-<random>` and `…-fork`.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

STEP=0
header() { STEP=$((STEP + 1)); printf '\n\033[1m==> %d. %s\033[0m\n' "$STEP" "$*"; }
note() { printf '    %s\n' "$*"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bb-demo-XXXXXX")"
STACK=demo
STACK_FILE="$REPO_ROOT/Pulumi.$STACK.yaml"
EMULATOR_PID=""
CREATED_STACK_FILE=""
cleanup() {
  local code=$?
  if [ "$code" -ne 0 ] && [ -n "$CREATED_STACK_FILE" ]; then
    echo "demo failed: destroying what it created" >&2
    pulumi destroy --yes --skip-preview --non-interactive >/dev/null 2>&1 || true
  fi
  if [ -n "$EMULATOR_PID" ]; then kill "$EMULATOR_PID" 2>/dev/null || true; wait "$EMULATOR_PID" 2>/dev/null || true; fi
  [ -n "$CREATED_STACK_FILE" ] && rm -f "$STACK_FILE"
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
if [ -e "$STACK_FILE" ]; then
  echo "error: $STACK_FILE exists (a stack config of yours?): move it away or delete it, then run the demo again" >&2
  exit 1
fi

header "Installing what the demo needs"
if [ ! -d node_modules/@pulumi/pulumi ] || [ ! -f dist/provider/index.js ]; then
  npm install --no-audit --no-fund
else
  note "node_modules and dist/ present"
fi
PULUMI_BIN="$(bash scripts/ensure-pulumi.sh)"
export PATH="$PULUMI_BIN:$PATH"
note "pulumi $(pulumi version) from $PULUMI_BIN"

if [ -n "${BITBUCKET_EMAIL:-}${BITBUCKET_API_TOKEN:-}${BITBUCKET_ACCESS_TOKEN:-}" ] && [ -z "${DEMO_EMULATOR:-}" ]; then
  header "Target: Bitbucket Cloud (BITBUCKET_* credentials are set)"
  : "${BITBUCKET_WORKSPACE:?set BITBUCKET_WORKSPACE to the workspace slug}"
  : "${DEMO_MEMBER_ACCOUNT_ID:?set DEMO_MEMBER_ACCOUNT_ID to the account_id of a workspace member}"
  : "${BITBUCKET_EMAIL:?set BITBUCKET_EMAIL (with BITBUCKET_API_TOKEN): the drift step needs permission rights}"
  API_URL="${BITBUCKET_API_URL:-https://api.bitbucket.org/2.0}"
  WS="$BITBUCKET_WORKSPACE"
  MEMBER="$DEMO_MEMBER_ACCOUNT_ID"
  AUTH=(-u "$BITBUCKET_EMAIL:$BITBUCKET_API_TOKEN")
  REPO_NAME="pulumi-demo-$(openssl rand -hex 3)"
  CONFIG_CREDENTIALS=()
else
  header "Starting the Bitbucket Cloud emulator"
  node_modules/.bin/ts-node --transpile-only emulator/cli.ts --port 0 --fork-delay-ms 500 >"$WORK/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  for _ in $(seq 1 100); do
    API_URL="$(sed -n 's/.*(API: \(http[^)]*\)).*/\1/p' "$WORK/emulator.log" | head -1)"
    [ -n "$API_URL" ] && break
    kill -0 "$EMULATOR_PID" 2>/dev/null || { cat "$WORK/emulator.log" >&2; exit 1; }
    sleep 0.2
  done
  [ -n "$API_URL" ] || { echo "error: the emulator did not start" >&2; cat "$WORK/emulator.log" >&2; exit 1; }
  note "emulator API: $API_URL (workspace acme, owner owner@acme.test / acme-api-token)"
  WS=acme
  MEMBER="$(node -e 'console.log(require("./dist/emulator/seed").USERS.alice.account_id)' 2>/dev/null \
    || node_modules/.bin/ts-node --transpile-only -e 'console.log(require("./emulator/seed").USERS.alice.account_id)')"
  AUTH=(-u "owner@acme.test:acme-api-token")
  REPO_NAME="pulumi-demo"
  CONFIG_CREDENTIALS=(bitbucket:apiUrl "$API_URL" bitbucket:email owner@acme.test)
fi

export PULUMI_BACKEND_URL="file://$WORK/backend"
export PULUMI_CONFIG_PASSPHRASE="demo-passphrase"
export PULUMI_HOME="$WORK/pulumi-home"
export PULUMI_SKIP_UPDATE_CHECK=true
mkdir -p "$WORK/backend"
bb() { # method path [json]: a plain API call, as a person would make by hand
  curl -sS -f "${AUTH[@]}" -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$API_URL$2"
}

header "pulumi up of the quickstart (stack '$STACK', local file backend)"
pulumi stack init "$STACK" >/dev/null
CREATED_STACK_FILE=1
pulumi config set workspace "$WS"
pulumi config set repoName "$REPO_NAME"
pulumi config set memberAccountId "$MEMBER"
pulumi config set --secret webhookSecret "$(openssl rand -hex 16)"
if [ ${#CONFIG_CREDENTIALS[@]} -gt 0 ]; then
  pulumi config set "${CONFIG_CREDENTIALS[0]}" "${CONFIG_CREDENTIALS[1]}"
  pulumi config set "${CONFIG_CREDENTIALS[2]}" "${CONFIG_CREDENTIALS[3]}"
  pulumi config set --secret bitbucket:apiToken acme-api-token
fi
pulumi up --yes --non-interactive

header "What was created"
pulumi stack output
REPO_ID="$(pulumi stack output repositoryId)"
REPO_PATH="/repositories/$WS/$(jq -rn --arg s "$REPO_ID" '$s|@uri')"
note "the repository as the API shows it:"
bb GET "$REPO_PATH" | jq -c '{name, slug, uuid, is_private, fork_policy}'
note "its webhooks, permissions and override settings:"
bb GET "$REPO_PATH/hooks" | jq -c '.values[] | {uuid, url, events, secret_set}'
bb GET "$REPO_PATH/permissions-config/groups" | jq -c '.values[] | {group: .group.slug, permission}'
bb GET "$REPO_PATH/permissions-config/users" | jq -c '.values[] | {user: .user.display_name, permission}'
bb GET "$REPO_PATH/override-settings" | jq -c '.override_settings'

header "Changing things behind Pulumi's back (plain API calls)"
bb PUT "$REPO_PATH/permissions-config/users/$MEMBER" '{"permission":"admin"}' | jq -c '{raised: .user.display_name, permission}'
bb PUT "$REPO_PATH" "{\"name\":\"$REPO_NAME-renamed-by-hand\"}" | jq -c '{renamed_to: .name}'

header "Drift detection: pulumi preview --refresh --expect-no-changes"
set +e
pulumi preview --refresh --expect-no-changes --diff --non-interactive
DRIFT=$?
set -e
if [ "$DRIFT" -eq 0 ]; then
  echo "error: the preview did not catch the drift" >&2
  exit 1
fi
note "drift detected: the preview exited $DRIFT (a CI job running it fails here)"

header "pulumi up --refresh puts things back"
pulumi up --refresh --yes --skip-preview --non-interactive
bb GET "$REPO_PATH" | jq -c '{name}'
bb GET "$REPO_PATH/permissions-config/users/$MEMBER" | jq -c '{permission}'
pulumi preview --refresh --expect-no-changes --non-interactive >/dev/null
note "the refreshed preview is clean again"

header "Cleaning up: pulumi destroy"
pulumi destroy --yes --skip-preview --non-interactive
pulumi stack rm --yes "$STACK" >/dev/null
CREATED_STACK_FILE=""
note "stack removed; the emulator stops and $WORK is deleted on exit"
echo
echo "Demo finished."
