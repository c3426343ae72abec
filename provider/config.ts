// Settings resolved at run time from the stack config (what the dynamic provider's configure()
// receives, keys `bitbucket:*`) or, when the stack config holds no credentials, from BITBUCKET_*
// environment variables. Nothing here is ever captured into the serialized provider.
import { Credentials, DEFAULT_API_URL } from "./client/auth";

export const CONFIG_KEYS = {
  email: "bitbucket:email",
  apiToken: "bitbucket:apiToken",
  accessToken: "bitbucket:accessToken",
  oauthClientId: "bitbucket:oauthClientId",
  oauthClientSecret: "bitbucket:oauthClientSecret",
  apiUrl: "bitbucket:apiUrl",
  timeoutSeconds: "bitbucket:timeoutSeconds",
  retries: "bitbucket:retries",
  rateLimitWaitSeconds: "bitbucket:rateLimitWaitSeconds",
  concurrency: "bitbucket:concurrency",
  adoptExisting: "bitbucket:adoptExisting",
  costReport: "bitbucket:costReport",
} as const;

export const ENV_KEYS = {
  email: "BITBUCKET_EMAIL",
  apiToken: "BITBUCKET_API_TOKEN",
  accessToken: "BITBUCKET_ACCESS_TOKEN",
  oauthClientId: "BITBUCKET_OAUTH_CLIENT_ID",
  oauthClientSecret: "BITBUCKET_OAUTH_CLIENT_SECRET",
  apiUrl: "BITBUCKET_API_URL",
  timeoutSeconds: "BITBUCKET_TIMEOUT_SECONDS",
  retries: "BITBUCKET_RETRIES",
  rateLimitWaitSeconds: "BITBUCKET_RATE_LIMIT_WAIT_SECONDS",
  concurrency: "BITBUCKET_CONCURRENCY",
  adoptExisting: "BITBUCKET_ADOPT_EXISTING",
  costReport: "BITBUCKET_COST_REPORT",
} as const;

type Key = keyof typeof CONFIG_KEYS;
export type ConfigValues = Partial<Record<string, string>>;

/** Request tuning the user set; what is left unset keeps the client's defaults. */
export interface Tuning {
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Sends of one request in all (retries + 1). */
  attempts?: number;
  /** Longest time one request waits out rate limiting (429s) in all. */
  rateLimitWaitMs?: number;
  /** Most requests in flight at once (per provider process). */
  concurrency?: number;
}

export interface Settings {
  apiUrl: string;
  credentials: Credentials;
  /** Where the credentials came from: the config keys or environment variables set. */
  credentialKeys: string[];
  tuning: Tuning;
  /**
   * Creation takes over a repository or fork that already exists where the program would create it,
   * as `adopt: true` does: for the run that recovers from a killed `pulumi up` (see docs/recovery.md).
   */
  adoptExisting: boolean;
  /** The file the provider keeps the run's request cost in (client/cost.ts), rewritten after each operation; unset: none. */
  costReport?: string;
}

export class ConfigurationError extends Error {
  /** The config keys or environment variables at fault. */
  readonly keys: string[];

  constructor(message: string, keys: string[]) {
    super(message);
    this.name = "ConfigurationError";
    this.keys = keys;
  }
}

const OPTIONS =
  "Set exactly one of: bitbucket:email + bitbucket:apiToken (secret), bitbucket:accessToken (secret), " +
  "or bitbucket:oauthClientId + bitbucket:oauthClientSecret (secret) with `pulumi config set [--secret]`; " +
  "or the environment variables BITBUCKET_EMAIL + BITBUCKET_API_TOKEN, BITBUCKET_ACCESS_TOKEN, " +
  "or BITBUCKET_OAUTH_CLIENT_ID + BITBUCKET_OAUTH_CLIENT_SECRET.";

const CREDENTIAL_KEYS: Key[] = ["email", "apiToken", "accessToken", "oauthClientId", "oauthClientSecret"];

/** Bounds of the tuning settings, in the unit the user writes. */
const TUNING: Record<"timeoutSeconds" | "retries" | "rateLimitWaitSeconds" | "concurrency", { min: number; max: number; integer: boolean }> = {
  timeoutSeconds: { min: 1, max: 3600, integer: false },
  retries: { min: 0, max: 20, integer: true },
  rateLimitWaitSeconds: { min: 0, max: 7200, integer: false },
  concurrency: { min: 1, max: 64, integer: true },
};

function pick(source: (k: Key) => string | undefined): Partial<Record<Key, string>> {
  const out: Partial<Record<Key, string>> = {};
  for (const k of Object.keys(CONFIG_KEYS) as Key[]) {
    const v = source(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

/** Where a setting came from: the stack config key, or the environment variable. */
function source(k: Key, fromConfig: Partial<Record<Key, string>>): string {
  return fromConfig[k] !== undefined ? CONFIG_KEYS[k] : ENV_KEYS[k];
}

export interface ResolveOptions {
  /**
   * With no credentials set, read anonymously instead of failing: for the read functions only, since
   * public repositories and workspaces can be read without an account. Resources always need credentials.
   */
  allowAnonymous?: boolean;
}

export function resolveSettings(config: ConfigValues, env: NodeJS.ProcessEnv = process.env, options: ResolveOptions = {}): Settings {
  const fromConfig = pick((k) => config[CONFIG_KEYS[k]]);
  const fromEnv = pick((k) => env[ENV_KEYS[k]]);
  const apiUrl = checkApiUrl(fromConfig.apiUrl ?? fromEnv.apiUrl ?? DEFAULT_API_URL, source("apiUrl", fromConfig));
  const tuning: Tuning = {};
  const number = (k: keyof typeof TUNING) => {
    const raw = fromConfig[k] ?? fromEnv[k];
    return raw === undefined ? undefined : checkNumber(raw, source(k, fromConfig), TUNING[k]);
  };
  const timeout = number("timeoutSeconds");
  const retries = number("retries");
  const rateLimitWait = number("rateLimitWaitSeconds");
  const concurrency = number("concurrency");
  if (timeout !== undefined) tuning.timeoutMs = timeout * 1000;
  if (retries !== undefined) tuning.attempts = retries + 1;
  if (rateLimitWait !== undefined) tuning.rateLimitWaitMs = rateLimitWait * 1000;
  if (concurrency !== undefined) tuning.concurrency = concurrency;
  const none = CREDENTIAL_KEYS.every((k) => fromConfig[k] === undefined && fromEnv[k] === undefined);
  const credentials: Credentials = none && options.allowAnonymous ? { kind: "anonymous" } : resolveCredentials(fromConfig, fromEnv);
  const useConfig = CREDENTIAL_KEYS.some((k) => fromConfig[k] !== undefined);
  const credentialKeys = CREDENTIAL_KEYS.filter((k) => (useConfig ? fromConfig : fromEnv)[k] !== undefined).map((k) =>
    useConfig ? CONFIG_KEYS[k] : ENV_KEYS[k],
  );
  const adopt = fromConfig.adoptExisting ?? fromEnv.adoptExisting;
  if (adopt !== undefined && adopt !== "true" && adopt !== "false")
    throw new ConfigurationError(`${source("adoptExisting", fromConfig)} must be true or false (got ${JSON.stringify(adopt)}).`, [
      source("adoptExisting", fromConfig),
    ]);
  const costReport = fromConfig.costReport ?? fromEnv.costReport;
  return { apiUrl, credentials, credentialKeys, tuning, adoptExisting: adopt === "true", ...(costReport !== undefined && { costReport }) };
}

function resolveCredentials(fromConfig: Partial<Record<Key, string>>, fromEnv: Partial<Record<Key, string>>): Credentials {
  const useConfig = CREDENTIAL_KEYS.some((k) => fromConfig[k] !== undefined);
  const v = useConfig ? fromConfig : fromEnv;
  const name = (k: Key) => (useConfig ? CONFIG_KEYS[k] : ENV_KEYS[k]);
  const ignoredEnv = useConfig ? CREDENTIAL_KEYS.filter((k) => fromEnv[k] !== undefined).map((k) => ENV_KEYS[k]) : [];
  const note = ignoredEnv.length
    ? ` (${ignoredEnv.join(", ")} in the environment ${ignoredEnv.length > 1 ? "are" : "is"} ignored while the stack config holds credentials)`
    : "";

  const methods: string[] = [];
  if (v.email || v.apiToken) methods.push("basic");
  if (v.accessToken) methods.push("bearer");
  if (v.oauthClientId || v.oauthClientSecret) methods.push("oauth");
  if (methods.length === 0) throw new ConfigurationError(`No Bitbucket credentials found. ${OPTIONS}`, CREDENTIAL_KEYS.map(name));
  const set = CREDENTIAL_KEYS.filter((k) => v[k]).map(name);
  if (methods.length > 1) {
    throw new ConfigurationError(`Conflicting Bitbucket credentials: ${set.join(", ")} are all set, which mixes authentication methods. ${OPTIONS}`, set);
  }
  const missing = (...keys: Key[]) => {
    const absent = keys.filter((k) => !v[k]).map(name);
    if (absent.length) throw new ConfigurationError(`Incomplete Bitbucket credentials: ${absent.join(" and ")} is missing${note}. ${OPTIONS}`, absent);
  };
  for (const k of CREDENTIAL_KEYS) {
    // A control character or space would end up in an HTTP header, and the error fetch raises for it
    // quotes the header: refuse it here without echoing the value.
    if (v[k] !== undefined && !/^[\x21-\x7e]+$/.test(v[k]!))
      throw new ConfigurationError(`${name(k)} contains spaces, control characters or non-ASCII characters; paste the value again without them.`, [name(k)]);
  }
  if (methods[0] === "basic") {
    missing("email", "apiToken");
    if (!/^[^@]+@[^@]+\.[^@]+$/.test(v.email!))
      throw new ConfigurationError(`${name("email")} must be the email address of the Atlassian account the API token belongs to (name@example.com).`, [
        name("email"),
      ]);
    return { kind: "basic", email: v.email!, apiToken: v.apiToken! };
  }
  if (methods[0] === "bearer") return { kind: "bearer", accessToken: v.accessToken! };
  missing("oauthClientId", "oauthClientSecret");
  return { kind: "oauth", clientId: v.oauthClientId!, clientSecret: v.oauthClientSecret! };
}

/** Loopback hosts: the only ones a token may be sent to over plain http (the local emulator). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The API base URL, normalized (no trailing slash); refuses what would misroute or expose the credentials. */
export function checkApiUrl(raw: string, key: string): string {
  const expected = `Expected an https:// URL such as ${DEFAULT_API_URL} (plain http:// only to a loopback address: 127.0.0.0/8, ::1, localhost).`;
  // What sits before an @ may be a credential: such a value is never echoed.
  const shown = raw.includes("@") ? "(value not shown: it contains @)" : JSON.stringify(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${key} ${shown} is not a URL. ${expected}`, [key]);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      `${key} must not carry a user name or password (user:password@host); set the credentials with bitbucket:* instead. ${expected}`,
      [key],
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigurationError(`${key} ${shown} is not an http(s) URL. ${expected}`, [key]);
  if (url.search || url.hash) throw new ConfigurationError(`${key} ${shown} must not have a query (?) or a fragment (#). ${expected}`, [key]);
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `${key} ${shown} uses plain http:// to ${url.hostname}, which would send the credentials unencrypted. Use https://; plain http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost).`,
      [key],
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

function checkNumber(raw: string, key: string, bounds: { min: number; max: number; integer: boolean }): number {
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(value) || (bounds.integer && !Number.isInteger(value)) || value < bounds.min || value > bounds.max) {
    const kind = bounds.integer ? "a whole number" : "a number";
    throw new ConfigurationError(`${key} must be ${kind} from ${bounds.min} to ${bounds.max} (got "${raw}").`, [key]);
  }
  return value;
}
