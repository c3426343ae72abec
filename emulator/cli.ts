// `npm run emulator -- --port 7990 [--data FILE] [--seed default|empty] [--extra-repositories N]
//   [--fork-delay-ms N] [--latency-ms N] [--error-rate 0..1] [--rate-limit N/SECONDS [--rate-limit-retry-after]]`
import { parseArgs } from "util";
import { CREDENTIALS } from "./seed";
import { startEmulator } from "./server";

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a number ≥ 0, got ${value}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "7990" },
      host: { type: "string", default: "127.0.0.1" },
      data: { type: "string" },
      seed: { type: "string", default: "default" },
      "extra-repositories": { type: "string" },
      "fork-delay-ms": { type: "string" },
      "latency-ms": { type: "string" },
      "error-rate": { type: "string" },
      "rate-limit": { type: "string" },
      "rate-limit-retry-after": { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(
      "Usage: npm run emulator -- [--port 7990] [--host 127.0.0.1] [--data FILE] [--seed default|empty] [--extra-repositories N] [--fork-delay-ms N] [--latency-ms N] [--error-rate 0..1] [--rate-limit N/SECONDS [--rate-limit-retry-after]]",
    );
    return;
  }
  if (values.seed !== "default" && values.seed !== "empty") throw new Error(`--seed must be default or empty, got ${values.seed}`);
  let rateLimit = null;
  if (values["rate-limit"]) {
    const m = /^(\d+)\/(\d+)$/.exec(values["rate-limit"]);
    if (!m) throw new Error(`--rate-limit must look like 1000/3600 (requests/seconds per credential), got ${values["rate-limit"]}`);
    rateLimit = { limit: Number(m[1]), windowMs: Number(m[2]) * 1000, retryAfter: values["rate-limit-retry-after"] };
  } else if (values["rate-limit-retry-after"]) throw new Error("--rate-limit-retry-after needs --rate-limit");
  const errorRate = number("error-rate", values["error-rate"]);
  const latencyMs = number("latency-ms", values["latency-ms"]);
  const emulator = await startEmulator({
    port: number("port", values.port),
    host: values.host,
    seed: { base: values.seed, extraRepositories: number("extra-repositories", values["extra-repositories"]) ?? 0 },
    dataFile: values.data,
    forkReadyDelayMs: number("fork-delay-ms", values["fork-delay-ms"]),
    rateLimit,
    faults: { ...(errorRate !== undefined ? { errorRate } : {}), ...(latencyMs !== undefined ? { latencyMs } : {}) },
  });
  console.log(`Bitbucket Cloud emulator listening on ${emulator.url} (API: ${emulator.apiUrl})`);
  if (!values.quiet) {
    console.log("Credentials (default seed):");
    console.log(`  Basic  ${CREDENTIALS.owner.username} / ${CREDENTIALS.owner.password}   (acme owner, full rights)`);
    console.log(`  Basic  ${CREDENTIALS.alice.username} / ${CREDENTIALS.alice.password}   (acme member, no admin rights)`);
    console.log(`  Bearer ${CREDENTIALS.acmeAccessToken.token}   (acme workspace access token)`);
    console.log(
      `  OAuth  ${CREDENTIALS.oauthClient.clientId} / ${CREDENTIALS.oauthClient.secret}   (client credentials: ${emulator.url}/site/oauth2/access_token)`,
    );
    console.log(`Admin API: ${emulator.url}/_emulator/{requests,counters,config,reset}`);
    if (values.data) console.log(`State persisted to ${values.data}`);
  }
  const shutdown = () => {
    emulator.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((e) => {
  console.error(`emulator: ${(e as Error).message}`);
  process.exit(1);
});
