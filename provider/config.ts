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
} as const;

export const ENV_KEYS = {
  email: "BITBUCKET_EMAIL",
  apiToken: "BITBUCKET_API_TOKEN",
  accessToken: "BITBUCKET_ACCESS_TOKEN",
  oauthClientId: "BITBUCKET_OAUTH_CLIENT_ID",
  oauthClientSecret: "BITBUCKET_OAUTH_CLIENT_SECRET",
  apiUrl: "BITBUCKET_API_URL",
} as const;

type Key = keyof typeof CONFIG_KEYS;
export type ConfigValues = Partial<Record<string, string>>;

export interface Settings {
  apiUrl: string;
  credentials: Credentials;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

const OPTIONS =
  "Set exactly one of: bitbucket:email + bitbucket:apiToken (secret), bitbucket:accessToken (secret), " +
  "or bitbucket:oauthClientId + bitbucket:oauthClientSecret (secret) with `pulumi config set [--secret]`; " +
  "or the environment variables BITBUCKET_EMAIL + BITBUCKET_API_TOKEN, BITBUCKET_ACCESS_TOKEN, " +
  "or BITBUCKET_OAUTH_CLIENT_ID + BITBUCKET_OAUTH_CLIENT_SECRET.";

const CREDENTIAL_KEYS: Key[] = ["email", "apiToken", "accessToken", "oauthClientId", "oauthClientSecret"];

function pick(source: (k: Key) => string | undefined): Partial<Record<Key, string>> {
  const out: Partial<Record<Key, string>> = {};
  for (const k of Object.keys(CONFIG_KEYS) as Key[]) {
    const v = source(k)?.trim();
    if (v) out[k] = v;
  }
  return out;
}

export function resolveSettings(config: ConfigValues, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromConfig = pick((k) => config[CONFIG_KEYS[k]]);
  const fromEnv = pick((k) => env[ENV_KEYS[k]]);
  const useConfig = CREDENTIAL_KEYS.some((k) => fromConfig[k] !== undefined);
  const v = useConfig ? fromConfig : fromEnv;
  const name = (k: Key) => (useConfig ? CONFIG_KEYS[k] : ENV_KEYS[k]);

  const apiUrl = (fromConfig.apiUrl ?? fromEnv.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, "");
  try {
    const u = new URL(apiUrl);
    if (u.protocol !== "https:" && u.protocol !== "http:") throw new Error();
  } catch {
    throw new ConfigurationError(`Bitbucket API URL "${apiUrl}" (bitbucket:apiUrl / BITBUCKET_API_URL) is not an http(s) URL, e.g. ${DEFAULT_API_URL}.`);
  }

  const methods: string[] = [];
  if (v.email || v.apiToken) methods.push("basic");
  if (v.accessToken) methods.push("bearer");
  if (v.oauthClientId || v.oauthClientSecret) methods.push("oauth");
  if (methods.length === 0) throw new ConfigurationError(`No Bitbucket credentials found. ${OPTIONS}`);
  if (methods.length > 1) {
    const set = CREDENTIAL_KEYS.filter((k) => v[k])
      .map(name)
      .join(", ");
    throw new ConfigurationError(`Conflicting Bitbucket credentials: ${set} are all set, which mixes authentication methods. ${OPTIONS}`);
  }
  const missing = (...keys: Key[]) => {
    const absent = keys.filter((k) => !v[k]).map(name);
    if (absent.length) throw new ConfigurationError(`Incomplete Bitbucket credentials: ${absent.join(" and ")} is missing. ${OPTIONS}`);
  };
  let credentials: Credentials;
  if (methods[0] === "basic") {
    missing("email", "apiToken");
    credentials = { kind: "basic", email: v.email!, apiToken: v.apiToken! };
  } else if (methods[0] === "bearer") {
    credentials = { kind: "bearer", accessToken: v.accessToken! };
  } else {
    missing("oauthClientId", "oauthClientSecret");
    credentials = { kind: "oauth", clientId: v.oauthClientId!, clientSecret: v.oauthClientSecret! };
  }
  return { apiUrl, credentials };
}
