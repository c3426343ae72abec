// Privilege scopes. Every credential carries scopes and every operation requires some, as the spec
// declares them: API tokens (Basic email + token) hold Atlassian's granular scopes
// (`read:repository:bitbucket`, the operation's `x-atlassian-oauth2-scopes`); access tokens and OAuth
// consumers hold the classic ones (`repository`, `webhook`, the operation's `oauth2` security entry).
// A request whose credential lacks a required scope answers 403 as Bitbucket does, with `detail` an
// object `{required, granted}`; a token created without any scope is refused with 401.
import { ApiError, unauthorized } from "./errors";
import type { Operation } from "./operation";
import { loadSpec } from "./spec";

export type ScopeScheme = "api-token" | "oauth";

/** What a credential may reach: its scheme and its scopes (null: every scope of its scheme). */
export interface Grant {
  scheme: ScopeScheme;
  scopes: readonly string[] | null;
}

/** The scopes an operation requires, in each scheme (all of them, as the spec lists them). */
export interface RequiredScopes {
  "api-token": readonly string[];
  oauth: readonly string[];
}

/**
 * Classic scopes that include others, from Atlassian's page "Scopes for the Bitbucket Cloud REST API"
 * (repository:admin, notably, does not include repository). Granular scopes include nothing: the spec
 * lists every one an operation needs (a hook's POST needs read:webhook and write:webhook).
 */
const IMPLIED = new Map<string, readonly string[]>([
  ["repository:write", ["repository"]],
  ["pullrequest", ["repository"]],
  ["pullrequest:write", ["pullrequest", "repository:write"]],
  // "Read access (repository) to all the repositories in the projects is also granted."
  ["project", ["repository"]],
  ["project:admin", ["project"]],
  ["account:write", ["account"]],
  ["team:write", ["team"]],
  ["snippet:write", ["snippet"]],
  ["issue:write", ["issue"]],
  ["pipeline:write", ["pipeline"]],
  ["pipeline:variable", ["pipeline"]],
  ["runner:write", ["runner"]],
]);

/** The scopes a grant holds, with those its classic scopes include. */
function held(grant: Grant & { scopes: readonly string[] }): Set<string> {
  const out = new Set<string>();
  const todo = [...grant.scopes];
  for (let scope = todo.pop(); scope !== undefined; scope = todo.pop()) {
    if (out.has(scope)) continue;
    out.add(scope);
    if (grant.scheme === "oauth") todo.push(...(IMPLIED.get(scope) ?? []));
  }
  return out;
}

/** Bitbucket's answer to a token created without any scope. */
export function unscopedToken(): ApiError {
  return unauthorized("Token is invalid, expired, or not supported for this endpoint");
}

/** Throws Bitbucket's 403 when the grant lacks one of the scopes the operation requires. */
export function requireScopes(grant: Grant, required: RequiredScopes): void {
  if (grant.scopes === null) return;
  const wanted = required[grant.scheme];
  const have = held({ ...grant, scopes: grant.scopes });
  if (wanted.every((scope) => have.has(scope))) return;
  throw new ApiError(403, "Your credentials lack one or more required privilege scopes.", { required: [...wanted], granted: [...grant.scopes] });
}

const cache = new Map<string, RequiredScopes>();

/**
 * The scopes the spec declares for a route's operation: `x-atlassian-oauth2-scopes` (state Current) for
 * API tokens, the `oauth2` security entry for the classic scopes. Throws when the spec declares no
 * such operation or leaves either out, so that a route cannot go unchecked.
 */
export function requiredScopes(route: Operation): RequiredScopes {
  const key = `${route.method} ${route.template}`;
  let found = cache.get(key);
  if (!found) {
    const operation = loadSpec().paths[route.template]?.[route.method.toLowerCase()];
    const granular = operation?.["x-atlassian-oauth2-scopes"]?.find((s: { state: string; scheme: string }) => s.state === "Current" && s.scheme === "oauth2");
    const classic = operation?.security?.find((s: Record<string, unknown>) => Array.isArray(s.oauth2))?.oauth2;
    // `oauth2: []` and no granular scopes: the operation needs no scope (the Pipelines OIDC discovery endpoints).
    if (!granular && Array.isArray(classic) && classic.length === 0) {
      found = { "api-token": [], oauth: [] };
      cache.set(key, found);
      return found;
    }
    if (!granular || !classic) throw new Error(`The spec declares no scopes for ${key}: the emulator cannot check them`);
    found = { "api-token": granular.scopes, oauth: classic };
    cache.set(key, found);
  }
  return found;
}

/** Every classic scope the spec defines (what an OAuth consumer with every scope is granted). */
export function classicScopes(): string[] {
  return Object.keys(loadSpec().securityDefinitions.oauth2.scopes);
}
