// Bitbucket's request budget through the real Pulumi CLI: the emulator allows 40 requests per rolling
// 20 s per credential (Bitbucket: about 1,000 an hour), and a stack of 20 repositories with 2 objects
// each (60 resources) costs more than that to create, to refresh and to drift-check. `up`, a refreshed
// preview and `drift` all succeed by waiting, each saying why and until when; the cost report counts
// one request per resource for `up`. Once with an access token (told X-RateLimit-*; cannot manage
// grants, so webhooks and override settings) and once with an API token (told nothing; webhooks and
// group grants). The two run side by side, each with its own emulator.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, GROUPS } from "../../emulator/seed";
import { ensurePulumiCli, Program, PulumiStack, RunResult, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const COUNT = 20;
const BUDGET = { limit: 40, windowMs: 20_000 };

const program = (second: "settings" | "grant"): Program => ({
  projectYaml: "name: bitbucket-budget\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n",
  files: {
    "package.json": JSON.stringify({ name: "bitbucket-budget", main: "index.js" }),
    "index.js": `const bitbucket = require("pulumi-bitbucket-cloud");
for (let i = 0; i < ${COUNT}; i++) {
  const repo = new bitbucket.Repository("repo-" + i, { workspace: "${WS}", name: "budget-" + i, isPrivate: true });
  new bitbucket.Webhook("hook-" + i, { workspace: "${WS}", repository: repo.id, url: "https://ci.example.com/hooks/" + i, events: ["repo:push"] });
  ${
    second === "settings"
      ? `new bitbucket.OverrideSettings("settings-" + i, { workspace: "${WS}", repository: repo.id, branchingModel: true });`
      : `new bitbucket.GroupPermission("developers-" + i, { workspace: "${WS}", repository: repo.id, groupSlug: "${GROUPS.developers}", permission: "read" });`
  }
}
`,
  },
});

const CASES = [
  {
    credential: "an access token",
    second: "settings" as const,
    config: { "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token },
    headers: true,
  },
  {
    credential: "an API token",
    second: "grant" as const,
    config: { "bitbucket:email": CREDENTIALS.owner.username, "bitbucket:apiToken": CREDENTIALS.owner.password },
    headers: false,
  },
];

const PAUSE =
  /bitbucket: Bitbucket's rate limit is reached \(\w+ \S+ answered 429\): waiting 30 s \(until \d\d:\d\d:\d\d UTC\) before sending again, wait 1 of \d+/;

describe(`a stack whose naive cost exceeds the budget succeeds by waiting (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  const nodeModules = runtime().nodeModules;
  const runs: { credential: string; headers: boolean; up: RunResult; refresh: RunResult; drift: RunResult; cost: any; limited: number; figures: string }[] = [];

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    const started = Date.now();
    runs.push(
      ...(await Promise.all(
        CASES.map(async ({ credential, second, config, headers }) => {
          const emulator = await startEmulator({ port: 0, quiet: true, rateLimit: BUDGET });
          const stack = new PulumiStack({ cliBin, nodeModules, stackName: "budget" }, program(second));
          try {
            // Given relative: the provider runs in the program's directory.
            const costFile = path.join(stack.projectDir, "cost.json");
            const [secretKey] = Object.keys(config).filter((k) => k !== "bitbucket:email");
            await stack.init(
              {
                "bitbucket:apiUrl": emulator.apiUrl,
                "bitbucket:costReport": "cost.json",
                ...("bitbucket:email" in config && { "bitbucket:email": config["bitbucket:email"] }),
              },
              { [secretKey]: config[secretKey as keyof typeof config] as string },
            );
            const timed = async <T>(run: () => Promise<T>) => {
              const t = Date.now();
              return { result: await run(), seconds: Math.round((Date.now() - t) / 1000) };
            };
            const up = await timed(() => stack.run(["up", "--yes", "--skip-preview"], { timeoutMs: 8 * 60_000 }));
            const cost = JSON.parse(fs.readFileSync(costFile, "utf8"));
            const refresh = await timed(() => stack.run(["preview", "--refresh", "--expect-no-changes"], { timeoutMs: 8 * 60_000 }));
            const drift = await timed(() => stack.runBin(nodeModules, ["drift", "--no-unmanaged"]));
            const log = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as { status: number }[];
            const limited = log.filter((e) => e.status === 429).length;
            const figures =
              `${credential}: up ${up.seconds} s (${cost.requests} requests for ${cost.operations.create} creates), refresh ${refresh.seconds} s, ` +
              `drift ${drift.seconds} s; ${log.length} requests in all, ${limited} answered 429`;
            return { credential, headers, up: up.result, refresh: refresh.result, drift: drift.result, cost, limited, figures };
          } finally {
            await stack.run(["destroy", "--yes", "--skip-preview"], { timeoutMs: 8 * 60_000 }).catch(() => undefined);
            stack.dispose();
            await emulator.stop();
          }
        }),
      )),
    );
    console.log(
      `${runs.map((r) => r.figures).join("\n")}\nboth in ${Math.round((Date.now() - started) / 1000)} s (budget ${BUDGET.limit} per ${BUDGET.windowMs / 1000} s)`,
    );
  });

  describe.each(CASES.map((c) => c.credential))("with %s", (credential) => {
    const run = () => runs.find((r) => r.credential === credential)!;

    test("`up` succeeds by waiting, says why and until when, and costs one request per resource", () => {
      const { up, cost } = run();
      expect({ code: up.code, output: up.code === 0 ? "" : up.output }).toEqual({ code: 0, output: "" });
      expect(up.output).toMatch(PAUSE);
      expect(cost.operations.create).toBe(3 * COUNT);
      // Every create wrote once; the 429s answered on the way are the only requests more.
      expect(cost.requests - cost.rateLimited).toBe(3 * COUNT);
      expect(cost.rateLimited).toBeGreaterThan(0);
    });

    test("the refreshed preview finds no change, waiting out the budget", () => {
      const { refresh } = run();
      expect({ code: refresh.code, output: refresh.code === 0 ? "" : refresh.output }).toEqual({ code: 0, output: "" });
      expect(refresh.output).toMatch(PAUSE);
    });

    test("`drift` finds no drift, waiting out the budget, and prints what it cost", () => {
      const { drift, headers, limited } = run();
      expect({ code: drift.code, output: drift.code === 0 ? "" : drift.output }).toEqual({ code: 0, output: "" });
      expect(drift.stderr).toMatch(/drift: provider: Bitbucket's rate limit is reached \(\w+ \S+ answered 429\): waiting 30 s \(until \d\d:\d\d:\d\d UTC\)/);
      expect(drift.stderr).toMatch(/drift: cost: \d+ API requests \(GET \d+\); \d+ answered 429 \(rate limited\); /);
      expect(drift.stderr).toContain(headers ? "rate-limit budget 40 requests (api)" : "Bitbucket sent no rate-limit headers");
      expect(limited).toBeGreaterThan(0);
    });
  });
});
