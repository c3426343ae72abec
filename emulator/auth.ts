// Authentication: Basic email + API token, Bearer workspace access token, Bearer OAuth token
// from the client-credentials grant. Each credential carries its scopes (scopes.ts).
import { randomBytes } from "crypto";
import { unauthorized } from "./errors";
import { classicScopes, Grant, unscopedToken } from "./scopes";
import type { User } from "./families/workspaces/model";
import type { State } from "./store";

/** Who calls, and the scopes of the credential used; `anonymous` sends no credential and reads only what is public. */
export type Caller = ({ kind: "user"; user: User } | { kind: "accessToken"; workspaceSlug: string } | { kind: "anonymous" }) & { grant: Grant };

/** Anonymous requests hold no scopes to check: what they may read is decided by visibility alone. */
const ANONYMOUS: Caller = { kind: "anonymous", grant: { scheme: "api-token", scopes: null } };

/**
 * The caller of a request: with no Authorization header, a read is anonymous (public objects only) and a
 * write is refused 401, as Bitbucket does; otherwise authenticate.
 */
export function callerOf(state: State, oauthTokens: Map<string, OAuthToken>, header: string | undefined, method: string, now: number): Caller {
  if (!header && method === "GET") return ANONYMOUS;
  return authenticate(state, oauthTokens, header, now);
}

export interface OAuthToken {
  /** The consumer the token was issued to (its requests spend the consumer's rate-limit budget). */
  clientId: string;
  userUuid: string;
  expiresAt: number;
  /** The consumer's scopes when the token was issued (null: every scope). */
  scopes: string[] | null;
}

/** A grant of these scopes (absent: every scope); a token made without any scope is refused. */
function grantOf(scheme: Grant["scheme"], scopes: string[] | null | undefined): Grant {
  if (scopes && scopes.length === 0) throw unscopedToken();
  return { scheme, scopes: scopes ?? null };
}

function parseBasic(header: string): [string, string] | null {
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** The caller behind an Authorization header; throws 401 when it is missing or wrong. */
export function authenticate(state: State, oauthTokens: Map<string, OAuthToken>, header: string | undefined, now: number): Caller {
  if (!header) throw unauthorized("Authentication required");
  if (/^basic /i.test(header)) {
    const pair = parseBasic(header);
    const user = pair && state.users.find((u) => u.email.toLowerCase() === pair[0].toLowerCase());
    if (!pair || !user) throw unauthorized("Invalid credentials");
    if (user.apiToken !== null && user.apiToken === pair[1]) return { kind: "user", user, grant: grantOf("api-token", user.apiTokenScopes) };
    const further = state.apiTokens?.find((t) => t.userUuid === user.uuid && t.token === pair[1]);
    if (!further) throw unauthorized("Invalid credentials");
    return { kind: "user", user, grant: grantOf("api-token", further.scopes) };
  }
  if (/^bearer /i.test(header)) {
    const token = header.slice(7).trim();
    const accessToken = state.accessTokens.find((t) => t.token === token);
    if (accessToken) return { kind: "accessToken", workspaceSlug: accessToken.workspaceSlug, grant: grantOf("oauth", accessToken.scopes) };
    const oauth = oauthTokens.get(token);
    if (!oauth) throw unauthorized("Invalid access token");
    if (oauth.expiresAt <= now) {
      oauthTokens.delete(token);
      throw unauthorized("Access token expired");
    }
    const user = state.users.find((u) => u.uuid === oauth.userUuid);
    if (!user) throw unauthorized("Invalid access token");
    return { kind: "user", user, grant: grantOf("oauth", oauth.scopes) };
  }
  throw unauthorized("Unsupported authentication scheme");
}

/** Whose rate-limit budget a request spends, and whether it is an access token: only those are told the X-RateLimit headers. */
export interface RateLimitBudget {
  key: string;
  accessToken: boolean;
  /** A read without credentials: it spends its address's budget (anonymousRateLimit). */
  anonymous?: boolean;
}

/**
 * The rate-limit budget a request spends, as Bitbucket counts it: per user for API tokens (whichever of
 * the user's tokens), per access token, per OAuth consumer (whichever of its tokens), per address for a read
 * without credentials. Undefined when the
 * header authenticates no one.
 */
export function rateLimitBudget(
  state: State,
  oauthTokens: Map<string, OAuthToken>,
  header: string | undefined,
  now: number,
  anonymous?: { method: string; address: string },
): RateLimitBudget | undefined {
  if (!header && anonymous?.method === "GET") return { key: `address ${anonymous.address}`, accessToken: false, anonymous: true };
  const bearer = header && /^bearer /i.test(header) ? header.slice(7).trim() : undefined;
  const oauth = bearer === undefined ? undefined : oauthTokens.get(bearer);
  // Not asked of authenticate, which forgets an expired token: the request itself must still learn that it expired.
  if (oauth && oauth.expiresAt <= now) return undefined;
  let caller: Caller;
  try {
    caller = authenticate(state, oauthTokens, header, now);
  } catch {
    return undefined;
  }
  if (oauth) return { key: `oauth consumer ${oauth.clientId}`, accessToken: false };
  if (caller.kind === "accessToken") return { key: `access token ${bearer}`, accessToken: true };
  if (caller.kind === "anonymous") return undefined;
  return { key: `user ${caller.user.uuid}`, accessToken: false };
}

export interface OAuthReply {
  status: number;
  body: Record<string, unknown>;
}

/** `POST /site/oauth2/access_token` with `grant_type=client_credentials`; errors use OAuth's own shape (RFC 6749 §5.2). */
export function issueOAuthToken(
  state: State,
  oauthTokens: Map<string, OAuthToken>,
  header: string | undefined,
  form: URLSearchParams,
  now: number,
  ttlSeconds: number,
): OAuthReply {
  const pair = header && /^basic /i.test(header) ? parseBasic(header) : [form.get("client_id") ?? "", form.get("client_secret") ?? ""];
  const client = pair && state.oauthClients.find((c) => c.clientId === pair[0] && c.secret === pair[1]);
  if (!client) return { status: 401, body: { error: "invalid_client", error_description: "Invalid OAuth client credentials" } };
  if (form.get("grant_type") !== "client_credentials")
    return { status: 400, body: { error: "unsupported_grant_type", error_description: `Unsupported grant type: ${form.get("grant_type")}` } };
  const accessToken = randomBytes(24).toString("base64url");
  const scopes = client.scopes ?? null;
  oauthTokens.set(accessToken, { clientId: client.clientId, userUuid: client.userUuid, expiresAt: now + ttlSeconds * 1000, scopes });
  return {
    status: 200,
    body: {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: ttlSeconds,
      scopes: (scopes ?? classicScopes()).join(" "),
      state: "client_credentials",
    },
  };
}

/**
 * Sets the scopes of the credential that presents `credential`: a user's API token, an access token, or
 * an OAuth consumer's key (its later tokens). null gives every scope; [] makes a token Bitbucket refuses.
 * False when no credential presents it.
 */
export function setScopes(state: State, credential: string, scopes: string[] | null): boolean {
  const user = state.users.find((u) => u.apiToken === credential);
  if (user) {
    if (scopes === null) delete user.apiTokenScopes;
    else user.apiTokenScopes = scopes;
    return true;
  }
  const holder: { scopes?: string[] } | undefined =
    state.apiTokens?.find((t) => t.token === credential) ??
    state.accessTokens.find((t) => t.token === credential) ??
    state.oauthClients.find((c) => c.clientId === credential);
  if (!holder) return false;
  if (scopes === null) delete holder.scopes;
  else holder.scopes = scopes;
  return true;
}

/**
 * Gives the user with this email a new API token; the previous one stops working at once (a rotation,
 * as after revoking a token in Atlassian's account settings). False when no user has that email.
 */
export function setApiToken(state: State, email: string, apiToken: string): boolean {
  const user = state.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  if (!user) return false;
  user.apiToken = apiToken;
  return true;
}
