// Benchmark: what one refresh of a large workspace costs. Creates N repositories, each with a webhook
// and a group permission, through the provider's runtime against a local emulator, then reads every
// resource the way `pulumi refresh` does (all at once; the client's concurrency cap applies) and
// reports API calls and wall time, with and without per-request latency. The figure that matters to
// users: how many requests a refresh spends against Bitbucket's 1,000 requests/hour budget.
//
//   npm run bench -- --repos 500 --latency-ms 20
import { parseArgs } from "node:util";
import { startEmulator, CREDENTIALS } from "../emulator";
import { configure, providerFor, setOptions } from "../provider/runtime";
import type { ResourceKind } from "../provider/registry";

const { values: flags } = parseArgs({
  options: {
    repos: { type: "string", default: "200" },
    "latency-ms": { type: "string", default: "20" },
    concurrency: { type: "string", default: "8" },
  },
});
const repoCount = Number(flags.repos);
const latencyMs = Number(flags["latency-ms"]);
const concurrency = Number(flags.concurrency);
if (!Number.isInteger(repoCount) || repoCount < 1 || repoCount > 2000) throw new Error("--repos must be a whole number from 1 to 2000");

interface Managed {
  kind: ResourceKind;
  id: string;
  state: Record<string, unknown>;
}

async function createOne(kind: ResourceKind, args: Record<string, unknown>): Promise<Managed> {
  const provider = providerFor(kind);
  const checked = await provider.check({}, args);
  if (checked.failures?.length) throw new Error(`${kind}: ${JSON.stringify(checked.failures)}`);
  const { id, outs } = await provider.create(checked.inputs);
  return { kind, id, state: outs };
}

async function counters(url: string): Promise<{ total: number; byRoute: Record<string, number> }> {
  return (await fetch(`${url}/_emulator/counters`)).json() as never;
}

async function admin(url: string, method: string, path: string, body?: unknown): Promise<void> {
  await fetch(`${url}/_emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function main() {
  const emu = await startEmulator({ port: 0, quiet: true });
  try {
    setOptions({ concurrency });
    configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:email": CREDENTIALS.owner.username, "bitbucket:apiToken": CREDENTIALS.owner.password });

    process.stderr.write(`creating ${repoCount} repositories with a webhook and a group permission each `);
    const managed: Managed[] = [];
    const started = Date.now();
    for (let i = 0; i < repoCount; i += concurrency) {
      const batch = Array.from({ length: Math.min(concurrency, repoCount - i) }, (_, j) => i + j);
      const created = await Promise.all(
        batch.map(async (n) => {
          const repo = await createOne("Repository", { workspace: "acme", name: `bench-repo-${n}`, isPrivate: true });
          const hook = await createOne("Webhook", {
            workspace: "acme",
            repository: repo.id,
            url: "https://ci.example.com/hook",
            events: ["repo:push"],
            description: `bench ${n}`,
          });
          const perm = await createOne("GroupPermission", { workspace: "acme", repository: repo.id, groupSlug: "developers", permission: "write" });
          return [repo, hook, perm];
        }),
      );
      managed.push(...created.flat());
      if ((i / concurrency) % 10 === 0) process.stderr.write(".");
    }
    process.stderr.write(` ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

    const rows: string[] = [];
    for (const latency of [0, latencyMs]) {
      await admin(emu.url, "PUT", "/config", { latencyMs: latency });
      await admin(emu.url, "DELETE", "/requests");
      const t0 = process.hrtime.bigint();
      const reads = await Promise.all(managed.map((m) => providerFor(m.kind).read(m.id, m.state)));
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const gone = reads.filter((r) => !r.id).length;
      if (gone > 0) throw new Error(`${gone} resources read as gone: the benchmark's state is wrong`);
      const { total, byRoute } = await counters(emu.url);
      const perRepo = total / repoCount;
      rows.push(
        `refresh  repos=${repoCount} resources=${managed.length} latency=${latency}ms concurrency=${concurrency}  ` +
          `calls=${total} (${perRepo.toFixed(2)} per repository with its webhook and permission)  ` +
          `wall=${seconds.toFixed(2)} s  (${(managed.length / seconds).toFixed(0)} resources/s)`,
      );
      rows.push(
        `         by route: ${Object.entries(byRoute)
          .map(([r, n]) => `${r}=${n}`)
          .join(", ")}`,
      );
    }
    const budget = 1000;
    rows.push(
      `budget   at 1,000 requests/hour one refresh of this stack uses ${((managed.length / budget) * 100).toFixed(0)}% of the hourly quota ` +
        `(a provider spending 3 GETs per repository would use ${(((repoCount * 3 + repoCount * 2) / budget) * 100).toFixed(0)}%)`,
    );
    console.log(rows.join("\n"));
  } finally {
    await emu.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
