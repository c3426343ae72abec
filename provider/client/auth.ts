// Authentication: Basic (Atlassian account email + API token), Bearer (repository/project/workspace
// access token), or OAuth 2.0 client credentials (token obtained on first use, cached until shortly
// before it expires, and renewed once when the API answers 401). Anonymous (no Authorization header)
// is for the read functions only: public repositories and workspaces can be read without an account.
import { BitbucketApiError, readErrorBody } from "./errors";
import { FetchLike, Send, RequestSpec, ApiResponse, parseJson } from "./http";

export type Credentials =
  | { kind: "basic"; email: string; apiToken: string }
  | { kind: "bearer"; accessToken: string }
  | { kind: "oauth"; clientId: string; clientSecret: string }
  | { kind: "anonymous" };

export const DEFAULT_API_URL = "https://api.bitbucket.org/2.0";

/** Where OAuth tokens come from: bitbucket.org for the real API, else the API URL's own origin. */
export function tokenUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  const origin = url.hostname === "api.bitbucket.org" ? "https://bitbucket.org" : url.origin;
  return `${origin}/site/oauth2/access_token`;
}

export interface Auth {
  /** The Authorization header's value; empty: send none. */
  authorization(): Promise<string>;
  /** Drops a cached token; true when a fresh one can be obtained (so a 401 is worth one retry). */
  invalidate(): boolean;
}

export function createAuth(creds: Credentials, apiUrl: string, fetch: FetchLike, now: () => number = Date.now): Auth {
  if (creds.kind === "anonymous") return { authorization: async () => "", invalidate: () => false };
  if (creds.kind === "basic") {
    const value = `Basic ${Buffer.from(`${creds.email}:${creds.apiToken}`).toString("base64")}`;
    return { authorization: async () => value, invalidate: () => false };
  }
  if (creds.kind === "bearer") {
    return { authorization: async () => `Bearer ${creds.accessToken}`, invalidate: () => false };
  }
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const obtain = async (): Promise<string> => {
    const url = tokenUrl(apiUrl);
    const basic = Buffer.from(`${creds.clientId}:${creds.clientSecret}`).toString("base64");
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: "grant_type=client_credentials",
      });
    } catch (cause) {
      throw new Error(`Could not reach the OAuth token endpoint ${url}: ${(cause as Error).message}. Check bitbucket:apiUrl and the network.`, { cause });
    }
    const parsed = parseJson(await res.text().catch(() => ""));
    const body = (parsed ?? {}) as { access_token?: unknown; expires_in?: unknown };
    if (!res.ok || typeof body.access_token !== "string" || !body.access_token) {
      const reason = readErrorBody(parsed, res.headers.get("content-type"), res.statusText).message ?? `status ${res.status}`;
      throw new BitbucketApiError({
        status: res.status,
        method: "POST",
        route: "/site/oauth2/access_token",
        url,
        body: { message: `OAuth client credentials were rejected (${reason})` },
        hint: "Check bitbucket:oauthClientId and bitbucket:oauthClientSecret (or BITBUCKET_OAUTH_CLIENT_ID / BITBUCKET_OAUTH_CLIENT_SECRET); the consumer must be private and allowed the client_credentials grant.",
      });
    }
    const ttlMs = (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : 3600) * 1000;
    // Renew a little before expiry: a minute early, or 10% of a short lifetime.
    cached = { token: body.access_token, renewAt: now() + ttlMs - Math.min(60_000, ttlMs * 0.1) };
    return body.access_token;
  };
  return {
    async authorization() {
      if (!cached || now() >= cached.renewAt) {
        inflight ??= obtain().finally(() => (inflight = undefined));
        await inflight;
      }
      return `Bearer ${cached!.token}`;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}

/** Layer: on a 401, renew the OAuth token once and send again. */
export function withAuthRenewal(send: Send, auth: Auth): Send {
  return async function renewing<T>(spec: RequestSpec): Promise<ApiResponse<T>> {
    try {
      return await send<T>(spec);
    } catch (err) {
      if (err instanceof BitbucketApiError && err.status === 401 && auth.invalidate()) return send<T>(spec);
      throw err;
    }
  };
}
