// The HTTP server: routing by the spec's path templates, auth, faults, the request log, persistence.
import FindMyWay from "find-my-way";
import * as http from "http";
import type { AddressInfo } from "net";
import { authenticate, issueOAuthToken, OAuthToken } from "./auth";
import { ConfigError, defaultConfig, EmulatorConfig, mergeConfig, RateLimit, RateLimiter, takeScriptedFault } from "./faults";
import { ApiError, Ctx, errorBody, Reply } from "./http";
import { contentRoutes } from "./routes/content";
import { hookRoutes } from "./routes/hooks";
import { permissionRoutes } from "./routes/permissions";
import { repositoryRoutes } from "./routes/repositories";
import type { Route } from "./routes/route";
import { seedState } from "./seed";
import { hookEvents } from "./spec";
import { loadState, saveState, State } from "./store";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  seed?: "default" | "empty";
  /** Persist the state as JSON in this file (loaded at start when present). */
  dataFile?: string;
  forkReadyDelayMs?: number;
  rateLimit?: RateLimit | null;
  /** Any of the runtime config keys (latencyMs, errorRate, errorStatuses, dropRate, lostResponseRate, script). */
  faults?: Partial<EmulatorConfig>;
  oauthTokenTtlSeconds?: number;
  quiet?: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The spec's path template, null when no route matched (OAuth: `/site/oauth2/access_token`). */
  route: string | null;
  status: number;
  ms: number;
  /** Why there was no answer: the connection was dropped, or the write was applied and its response lost. */
  fault?: "drop" | "lostResponse";
}

export interface EmulatorHandle {
  url: string;
  apiUrl: string;
  port: number;
  stop(): Promise<void>;
  reset(): void;
}

export const ROUTES: Route[] = [...repositoryRoutes, ...hookRoutes, ...permissionRoutes, ...contentRoutes];
const OAUTH_PATH = "/site/oauth2/access_token";
const WRITE_METHODS = new Set(["POST", "PUT", "DELETE", "PATCH"]);
const MAX_BODY_BYTES = 5 * 1024 * 1024;

function buildRouter() {
  const router = FindMyWay();
  for (const route of ROUTES) {
    // `{path}` may span several segments: a wildcard; other `{param}`s are one segment.
    const path = "/2.0" + route.template.replace("{path}", "*").replace(/\{(\w+)\}/g, ":$1");
    router.on(route.method, path, () => undefined, route);
  }
  return router;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, "Request body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.text !== undefined) {
    headers["Content-Type"] = "text/plain; charset=utf-8";
    payload = reply.text;
  } else if (reply.body !== undefined && reply.status !== 204) {
    headers["Content-Type"] = "application/json; charset=utf-8";
    payload = JSON.stringify(reply.body);
  }
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
}

const errorReply = (status: number, message: string, headers: Record<string, string> = {}, detail?: string): Reply => ({
  status,
  body: errorBody(message, detail),
  headers,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isLoopback(address: string | undefined): boolean {
  return !!address && (address.startsWith("127.") || address === "::1" || address === "::ffff:127.0.0.1");
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? "127.0.0.1";
  const seedKind = options.seed ?? "default";
  const ttl = options.oauthTokenTtlSeconds ?? 3600;
  const startConfig = (): EmulatorConfig =>
    mergeConfig(defaultConfig(), { forkReadyDelayMs: options.forkReadyDelayMs ?? 0, rateLimit: options.rateLimit ?? null });

  let state: State = (options.dataFile && loadState(options.dataFile)) || seedState(seedKind);
  let config = mergeConfig(startConfig(), (options.faults ?? {}) as Record<string, unknown>);
  const limiter = new RateLimiter();
  const oauthTokens = new Map<string, OAuthToken>();
  let log: RequestLogEntry[] = [];
  let counters: Record<string, number> = {};
  const events = hookEvents();
  const router = buildRouter();
  const persist = () => options.dataFile && saveState(options.dataFile, state);
  persist();

  function reset(): void {
    state = seedState(seedKind);
    config = startConfig();
    limiter.reset();
    oauthTokens.clear();
    log = [];
    counters = {};
    persist();
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    if (!isLoopback(req.socket.remoteAddress)) return send(res, errorReply(403, "The admin API answers loopback clients only"));
    const key = `${req.method} ${url.pathname.replace(/\/$/, "")}`;
    switch (key) {
      case "GET /_emulator/requests":
        return send(res, { status: 200, body: log });
      case "DELETE /_emulator/requests":
        log = [];
        counters = {};
        return send(res, { status: 204 });
      case "GET /_emulator/counters":
        return send(res, { status: 200, body: { total: log.length, byRoute: counters } });
      case "POST /_emulator/reset":
        reset();
        return send(res, { status: 204 });
      case "GET /_emulator/config":
        return send(res, { status: 200, body: config });
      case "PUT /_emulator/config": {
        try {
          const patch = JSON.parse((await readBody(req)) || "{}");
          config = mergeConfig(config, patch);
          if (patch.rateLimit !== undefined) limiter.reset();
        } catch (e) {
          if (e instanceof ConfigError || e instanceof SyntaxError) return send(res, errorReply(400, (e as Error).message));
          throw e;
        }
        return send(res, { status: 200, body: config });
      }
      default:
        return send(res, errorReply(404, `No admin endpoint ${key}`));
    }
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    const method = req.method ?? "GET";
    const match = router.find(method as FindMyWay.HTTPMethod, url.pathname);
    const route = (match?.store as Route | undefined) ?? null;
    const template = route?.template ?? (url.pathname === OAUTH_PATH ? OAUTH_PATH : null);
    const record = (status: number, fault?: RequestLogEntry["fault"]) => {
      log.push({ method, path: url.pathname + url.search, route: template, status, ms: Math.round(performance.now() - started), ...(fault ? { fault } : {}) });
      const counterKey = `${method} ${template ?? "(unmatched)"}`;
      counters[counterKey] = (counters[counterKey] ?? 0) + 1;
    };
    const drop = () => {
      record(0, "drop");
      req.socket.destroy();
    };
    const answer = (reply: Reply) => {
      record(reply.status);
      send(res, reply);
    };

    const scripted = takeScriptedFault(config, method, url.pathname);
    if (scripted?.drop) return drop();
    if (config.rateLimit) {
      const retryAfter = limiter.take(Date.now(), config.rateLimit);
      if (retryAfter !== null) return answer(errorReply(429, "Rate limit for this resource has been exceeded", { "Retry-After": String(retryAfter) }));
    }
    if (scripted?.status) {
      const headers: Record<string, string> = scripted.retryAfterSeconds !== undefined ? { "Retry-After": String(scripted.retryAfterSeconds) } : {};
      return answer(errorReply(scripted.status, http.STATUS_CODES[scripted.status] ?? "Injected fault", headers));
    }
    if (config.latencyMs > 0) await sleep(config.latencyMs);
    if (config.dropRate > 0 && Math.random() < config.dropRate) return drop();
    if (config.errorRate > 0 && Math.random() < config.errorRate) {
      const status = config.errorStatuses[Math.floor(Math.random() * config.errorStatuses.length)];
      return answer(errorReply(status, http.STATUS_CODES[status] ?? "Injected fault"));
    }

    const raw = await readBody(req);
    const now = Date.now();
    let reply: Reply;
    if (template === OAUTH_PATH && method === "POST") {
      reply = issueOAuthToken(state, oauthTokens, req.headers.authorization, new URLSearchParams(raw), now, ttl);
    } else if (!route) {
      reply = errorReply(404, `No API endpoint at ${method} ${url.pathname}`);
    } else {
      const params = { ...(match!.params as Record<string, string>) };
      // find-my-way names the wildcard `*`; the spec calls that segment `{path}`.
      if ("*" in params) params.path = params["*"];
      reply = runRoute(route, req, url, params, raw, now);
    }
    if (config.rateLimit) {
      reply.headers = {
        ...reply.headers,
        "X-RateLimit-Limit": String(config.rateLimit.limit),
        "X-RateLimit-Remaining": String(limiter.remaining(now, config.rateLimit)),
      };
    }

    const succeededWrite = WRITE_METHODS.has(method) && reply.status < 400;
    if (succeededWrite) persist();
    if (succeededWrite && (scripted?.lostResponse || (config.lostResponseRate > 0 && Math.random() < config.lostResponseRate))) {
      record(reply.status, "lostResponse");
      req.socket.destroy();
      return;
    }
    answer(reply);
  }

  function runRoute(route: Route, req: http.IncomingMessage, url: URL, params: Record<string, string>, raw: string, now: number): Reply {
    try {
      let body: unknown;
      if (raw.trim()) {
        try {
          body = JSON.parse(raw);
        } catch {
          return errorReply(400, "Request body is not valid JSON");
        }
      }
      const ctx: Ctx = {
        req,
        method: route.method,
        url,
        base: `http://${req.headers.host ?? `${host}:${port}`}`,
        params,
        query: url.searchParams,
        body,
        caller: null,
        state,
        now,
        forkReadyDelayMs: config.forkReadyDelayMs,
        hookEvents: events,
      };
      ctx.caller = authenticate(state, oauthTokens, req.headers.authorization, now);
      return route.handler(ctx);
    } catch (e) {
      if (e instanceof ApiError) return errorReply(e.status, e.message, e.headers, e.detail);
      console.error("emulator: unexpected error", e);
      return errorReply(500, "Internal emulator error", {}, String(e));
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`);
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
