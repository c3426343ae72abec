// The HTTP server: resolves the route, runs the request through the fault layers to the operation
// (authenticate, parse, call the backend, render), logs it, and persists the state after every write.
import * as http from "http";
import type { AddressInfo } from "net";
import { adminApi } from "./admin";
import { callerOf, issueOAuthToken, OAuthToken, rateLimitBudget, setApiToken, setScopes } from "./auth";
import type { Db } from "./db";
import { ApiError } from "./errors";
import { defaultConfig, EmulatorConfig, Exchange, faultLayers, mergeConfig, Outcome, RateLimit, RateLimiter, stack } from "./faults";
import { FAMILIES, REMOVED_ENDPOINTS } from "./families";
import type { Ctx, FormField, Reply } from "./http";
import { RequestLog } from "./requestLog";
import { createRouter, Resolution } from "./router";
import { requiredScopes, requireScopes } from "./scopes";
import { Seed, seedState } from "./seed";
import { loadState, saveState } from "./store";
import { errorReply, readBody, readForm, send } from "./wire";

export { ROUTES, REMOVED_ENDPOINTS } from "./families";
export type { RequestLogEntry } from "./requestLog";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** `"default"`, `"empty"`, or `{ base?, extraRepositories? }` (generated repositories for tests at scale). */
  seed?: Seed;
  /** Persist the state as JSON in this file (loaded at start when present). */
  dataFile?: string;
  forkReadyDelayMs?: number;
  /** Per-credential rolling budget (see RateLimit); off by default. */
  rateLimit?: RateLimit | null;
  /** The anonymous budget per address (Bitbucket: { limit: 60, windowMs: 3_600_000 }); default none. */
  anonymousRateLimit?: RateLimit | null;
  /** Any of the runtime config keys (latencyMs, errorRate, errorStatuses, dropRate, lostResponseRate, script). */
  faults?: Partial<EmulatorConfig>;
  oauthTokenTtlSeconds?: number;
  quiet?: boolean;
}

export interface EmulatorHandle {
  url: string;
  apiUrl: string;
  port: number;
  stop(): Promise<void>;
  reset(): void;
}

const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);

/** An API request after the router: its resolution travels with it through the layers. */
interface ApiExchange extends Exchange {
  resolution: Resolution;
}

/** Authenticates the caller, checks its scopes, parses the JSON body (unless it came as a form) and runs the route; errors become the spec's error replies. */
function runRoute(
  db: Db,
  oauthTokens: Map<string, OAuthToken>,
  resolution: Extract<Resolution, { kind: "route" }>,
  req: http.IncomingMessage,
  url: URL,
  raw: string,
  form: FormField[] | undefined,
): Reply {
  try {
    let body: unknown;
    if (!form && raw.trim()) {
      try {
        body = JSON.parse(raw);
      } catch {
        return errorReply(400, "Request body is not valid JSON");
      }
    }
    const caller = callerOf(db.state, oauthTokens, req.headers.authorization, resolution.route.method, db.now());
    requireScopes(caller.grant, requiredScopes(resolution.route));
    const ctx: Ctx = {
      method: resolution.route.method,
      url,
      base: url.origin,
      params: resolution.params,
      query: url.searchParams,
      body,
      form,
      caller,
      state: db.state,
    };
    return resolution.route.handler(ctx);
  } catch (e) {
    if (e instanceof ApiError) return errorReply(e.status, e.message, e.headers, e.detail);
    console.error("emulator: unexpected error", e);
    return errorReply(500, "Internal emulator error", {}, String(e));
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? "127.0.0.1";
  const seed = options.seed ?? "default";
  const ttl = options.oauthTokenTtlSeconds ?? 3600;
  const startConfig = (): EmulatorConfig =>
    mergeConfig(defaultConfig(), {
      forkReadyDelayMs: options.forkReadyDelayMs ?? 0,
      rateLimit: options.rateLimit ?? null,
      anonymousRateLimit: options.anonymousRateLimit ?? null,
    });

  let config = mergeConfig(startConfig(), (options.faults ?? {}) as Record<string, unknown>);
  const db: Db = {
    state: (options.dataFile && loadState(options.dataFile)) || seedState(seed),
    now: () => Date.now(),
    get forkReadyDelayMs() {
      return config.forkReadyDelayMs;
    },
  };
  const limiter = new RateLimiter();
  const oauthTokens = new Map<string, OAuthToken>();
  const log = new RequestLog();
  const routes = FAMILIES.flatMap((f) => f.bind(db));
  const route = createRouter(routes, REMOVED_ENDPOINTS);
  // Every route's scopes come from the spec: a route the spec gives none fails here, not on a request.
  for (const r of routes) requiredScopes(r);
  const persist = () => options.dataFile && saveState(options.dataFile, db.state);
  persist();

  function reset(): void {
    db.state = seedState(seed);
    config = startConfig();
    limiter.reset();
    oauthTokens.clear();
    log.clear();
    persist();
  }

  /** The operation at the bottom of the layers. */
  async function operate(x: Exchange): Promise<Outcome> {
    const { resolution, req, method, url } = x as ApiExchange;
    const raw = await readBody(req);
    let reply: Reply;
    if (resolution.kind === "oauth") reply = issueOAuthToken(db.state, oauthTokens, req.headers.authorization, new URLSearchParams(raw), db.now(), ttl);
    else if (resolution.kind === "notFound") reply = errorReply(404, `No API endpoint at ${method} ${url.pathname}`);
    else if (resolution.kind === "gone")
      reply = errorReply(
        410,
        `${resolution.removed.method} /2.0${resolution.template} was removed from Bitbucket Cloud (Atlassian CHANGE-2770). Use ${resolution.removed.instead}.`,
      );
    else if (resolution.kind === "methodNotAllowed")
      reply = errorReply(405, `${method} is not allowed on ${resolution.template}`, { Allow: resolution.allow.join(", ") });
    else {
      let form: FormField[] | undefined;
      try {
        form = await readForm(req.headers["content-type"], raw);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return { reply: errorReply(e.status, e.message) };
      }
      reply = runRoute(db, oauthTokens, resolution, req, url, raw, form);
    }
    if (WRITE_METHODS.has(method) && reply.status < 400) persist();
    return { reply };
  }

  const handle = stack(
    faultLayers(
      () => config,
      limiter,
      (req) =>
        rateLimitBudget(db.state, oauthTokens, req.headers.authorization, db.now(), {
          method: req.method ?? "",
          address: req.socket.remoteAddress ?? "",
        }),
    ),
    operate,
  );

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const resolution = route(method, url.pathname);
    const exchange: ApiExchange = { method, url, req, resolution };
    const outcome = await handle(exchange);
    const entry = { method, path: url.pathname + url.search, route: resolution.template, ms: Math.round(performance.now() - started) };
    if ("dropped" in outcome) {
      log.record({ ...entry, status: 0, fault: "drop" });
      req.socket.destroy();
    } else if (outcome.lost) {
      log.record({ ...entry, status: outcome.reply.status, fault: "lostResponse" });
      req.socket.destroy();
    } else {
      log.record({ ...entry, status: outcome.reply.status });
      send(res, outcome.reply, method === "HEAD");
    }
  }

  const handleAdmin = adminApi({
    log,
    config: () => config,
    setConfig: (next, rateLimitChanged) => {
      config = next;
      if (rateLimitChanged) limiter.reset();
    },
    reset,
    setApiToken: (email, apiToken) => {
      const found = setApiToken(db.state, email, apiToken);
      if (found) persist();
      return found;
    },
    setScopes: (credential, scopes) => {
      const found = setScopes(db.state, credential, scopes);
      if (found) persist();
      return found;
    },
  });

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      // Links in answers are built on the address the client used.
      url = new URL(req.url ?? "/", `http://${req.headers.host ?? `${host}:${port}`}`);
    } catch {
      return send(res, errorReply(400, "Invalid Host header or request target"));
    }
    const handler = url.pathname.startsWith("/_emulator") ? handleAdmin : handleApi;
    handler(req, res, url).catch((e) => {
      if (e instanceof ApiError) return send(res, errorReply(e.status, e.message));
      console.error("emulator: unexpected error", e);
      if (!res.headersSent) send(res, errorReply(500, "Internal emulator error"));
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;

  return {
    url,
    apiUrl: `${url}/2.0`,
    port,
    reset,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        persist();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
