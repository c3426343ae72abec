// The admin API under /_emulator: no auth, loopback clients only, never rate limited or faulted.
//   GET /requests, DELETE /requests, GET /counters, POST /reset, GET|PUT /config, PUT /api-token, PUT /scopes
import type * as http from "http";
import { ConfigError, EmulatorConfig, mergeConfig } from "./faults";
import type { RequestLog } from "./requestLog";
import { errorReply, readBody, send } from "./wire";

export interface AdminTarget {
  log: RequestLog;
  config(): EmulatorConfig;
  /** Replaces the live config; `rateLimitChanged` restarts the rate limit's window. */
  setConfig(next: EmulatorConfig, rateLimitChanged: boolean): void;
  reset(): void;
  /** Replaces a user's API token (the old one is revoked); false when no user has that email. */
  setApiToken(email: string, apiToken: string): boolean;
  /** Sets the scopes of the credential presenting `credential` (null: every scope); false when there is none. */
  setScopes(credential: string, scopes: string[] | null): boolean;
}

/** The request's JSON body (`{}` when empty), or why it is not JSON. */
async function jsonBody<T>(req: http.IncomingMessage): Promise<{ body: T } | { error: string }> {
  try {
    return { body: JSON.parse((await readBody(req)) || "{}") as T };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address.startsWith("127.") || address === "::1" || address === "::ffff:127.0.0.1");
}

export function adminApi(target: AdminTarget): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    if (!isLoopback(req.socket.remoteAddress)) return send(res, errorReply(403, "The admin API answers loopback clients only"));
    const key = `${req.method} ${url.pathname.replace(/\/$/, "")}`;
    switch (key) {
      case "GET /_emulator/requests":
        return send(res, { status: 200, body: target.log.entries });
      case "DELETE /_emulator/requests":
        target.log.clear();
        return send(res, { status: 204 });
      case "GET /_emulator/counters":
        return send(res, { status: 200, body: { total: target.log.entries.length, byRoute: target.log.byRoute } });
      case "POST /_emulator/reset":
        target.reset();
        return send(res, { status: 204 });
      case "GET /_emulator/config":
        return send(res, { status: 200, body: target.config() });
      case "PUT /_emulator/config": {
        try {
          const patch = JSON.parse((await readBody(req)) || "{}");
          if (typeof patch !== "object" || patch === null || Array.isArray(patch)) throw new ConfigError("The config must be a JSON object");
          target.setConfig(mergeConfig(target.config(), patch), patch.rateLimit !== undefined || patch.anonymousRateLimit !== undefined);
        } catch (e) {
          if (e instanceof ConfigError || e instanceof SyntaxError) return send(res, errorReply(400, (e as Error).message));
          throw e;
        }
        return send(res, { status: 200, body: target.config() });
      }
      case "PUT /_emulator/api-token": {
        const parsed = await jsonBody<{ email?: unknown; apiToken?: unknown }>(req);
        if ("error" in parsed) return send(res, errorReply(400, parsed.error));
        const body = parsed.body;
        if (typeof body?.email !== "string" || typeof body.apiToken !== "string" || body.apiToken === "")
          return send(res, errorReply(400, 'Expected { "email": "...", "apiToken": "..." } (a non-empty token)'));
        if (!target.setApiToken(body.email, body.apiToken)) return send(res, errorReply(404, `No user with email ${body.email}`));
        return send(res, { status: 204 });
      }
      case "PUT /_emulator/scopes": {
        const parsed = await jsonBody<{ credential?: unknown; scopes?: unknown }>(req);
        if ("error" in parsed) return send(res, errorReply(400, parsed.error));
        const body = parsed.body;
        const scopes = body?.scopes;
        const valid = scopes === null || (Array.isArray(scopes) && scopes.every((s) => typeof s === "string" && s !== ""));
        if (typeof body?.credential !== "string" || body.credential === "" || !valid)
          return send(
            res,
            errorReply(400, 'Expected { "credential": "<API token, access token or OAuth key>", "scopes": ["read:repository:bitbucket", ...] | null }'),
          );
        if (!target.setScopes(body.credential, scopes as string[] | null)) return send(res, errorReply(404, "No credential presents that token or key"));
        return send(res, { status: 204 });
      }
      default:
        return send(res, errorReply(404, `No admin endpoint ${key}`));
    }
  };
}
