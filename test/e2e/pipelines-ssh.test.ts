// End to end through the real Pulumi CLI against the emulator: a repository's nightly Pipelines
// schedule, its SSH key pair and a known host, and the workspace's webhooks (WorkspaceWebhooks). A
// schedule disabled and a workspace webhook added by hand are named by the refreshed preview and by
// `pulumi-bitbucket-cloud drift`, and put back by `up --refresh`; then the refreshed preview finds
// nothing, twice. The private key and the webhook secret never appear in the state export or in
// anything the CLI printed.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { publicKey, sshKeyPair } from "../support/ssh-keys";
import { diffBlocks, ensurePulumiCli, OwnerApi, PulumiStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-pipelines";
const HOOK_SECRET = "audit-hook-secret-7c1d-do-not-leak";
const PAIR = sshKeyPair();
/** A line of the private key's body: no output may hold it. */
const PRIVATE_LINE = PAIR.openSsh.split("\n")[2]!;

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const config = new pulumi.Config();
const workspace = "${WS}";
const repo = new bitbucket.Repository("repo", { workspace, name: "${REPO}", projectKey: "PLAT" });
new bitbucket.PipelineSchedule("nightly", { workspace, repository: repo.id, branch: "main", cronPattern: "0 0 2 * * ? *" });
const pair = new bitbucket.PipelineSshKeyPair("builds", { workspace, repository: repo.id, privateKey: config.requireSecret("pipelinesPrivateKey") });
new bitbucket.PipelineKnownHost("deploy-host", { workspace, repository: repo.id, hostname: "[deploy.example.com]:2222", key: config.require("deployHostKey") });
new bitbucket.WorkspaceWebhooks("workspace-hooks", {
  workspace,
  webhooks: { audit: { url: "https://audit.example.com/bitbucket", events: ["repo:push"], secret: config.requireSecret("auditSecret") } },
});
export const publicKey = pair.publicKey;
`;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`Pipelines schedules, SSH and workspace webhooks through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  const nodeModules = runtime().nodeModules;
  const report = (name: string) => path.join(stack.root, "reports", name);
  const repoPath = () => api.repoPath(WS, REPO);

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new PulumiStack(
      { cliBin, nodeModules },
      {
        projectYaml: "name: bitbucket-pipelines\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        files: { "index.ts": PROGRAM, "package.json": '{ "name": "bitbucket-pipelines", "private": true, "main": "index.ts" }\n' },
      },
    );
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username, deployHostKey: publicKey("deploy-host") },
      { "bitbucket:apiToken": CREDENTIALS.owner.password, pipelinesPrivateKey: PAIR.openSsh, auditSecret: HOOK_SECRET },
    );
    await stack.up();
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("up makes the schedule, the key pair (public key read back), the known host and the workspace webhook; a refreshed preview finds nothing", async () => {
    const schedules = (await api.must("GET", `${repoPath()}/pipelines_config/schedules`)).values;
    expect(schedules).toMatchObject([{ enabled: true, cron_pattern: "0 0 2 * * ? *", target: { ref_name: "main" } }]);
    expect((await api.must("GET", `${repoPath()}/pipelines_config/ssh/key_pair`)).public_key).toBe(PAIR.publicKey);
    expect((await api.must("GET", `${repoPath()}/pipelines_config/ssh/known_hosts`)).values).toMatchObject([{ hostname: "[deploy.example.com]:2222" }]);
    expect((await api.must("GET", `/workspaces/${WS}/hooks`)).values).toMatchObject([{ description: "audit", secret_set: true }]);
    expect((await stack.outputs()).publicKey).toBe(PAIR.publicKey);
    expect((await stack.previewRefreshExpectNoChanges()).code).toBe(0);
  });

  test("a schedule disabled and a workspace webhook added by hand: named by the refreshed preview and by drift, put back by up --refresh; then no changes, twice", async () => {
    const [schedule] = (await api.must("GET", `${repoPath()}/pipelines_config/schedules`)).values;
    await api.must("PUT", `${repoPath()}/pipelines_config/schedules/${encodeURIComponent(schedule.uuid)}`, { enabled: false });
    await api.must("POST", `/workspaces/${WS}/hooks`, { description: "exfil", url: "https://collector.example.net/push", events: ["repo:push"] });

    const preview = await stack.run(["preview", "--refresh", "--expect-no-changes", "--diff"]);
    expect(preview.code).not.toBe(0);
    const planned = Object.fromEntries(Object.entries(diffBlocks(preview.output)).map(([name, block]) => [name, block.op]));
    expect({ planned, output: preview.output }).toMatchObject({ planned: { nightly: "update", "workspace-hooks": "update" } });
    expect(Object.keys(planned).sort()).toEqual(["nightly", "workspace-hooks"]);
    expect(preview.output).toMatch(/enabled\s*:\s*false\s*=>\s*true/);
    expect(preview.output).toContain("exfil");

    const drift = await stack.runBin(nodeModules, ["drift", "--json", report("drift.json")]);
    expect(drift.code).toBe(1);
    const json = JSON.parse(fs.readFileSync(report("drift.json"), "utf8"));
    expect(json.resources.flatMap((x: any) => x.differences.map((d: any) => `${x.name} ${d.field}`)).sort()).toEqual([
      "nightly enabled",
      "workspace-hooks webhooks.exfil",
    ]);

    await stack.up(["--refresh"]);
    expect((await api.must("GET", `${repoPath()}/pipelines_config/schedules`)).values).toMatchObject([{ uuid: schedule.uuid, enabled: true }]);
    expect((await api.must("GET", `/workspaces/${WS}/hooks`)).values.map((h: any) => h.description)).toEqual(["audit"]);
    for (let i = 0; i < 2; i++) {
      const again = await stack.previewRefreshExpectNoChanges();
      expect({ run: i, code: again.code }).toEqual({ run: i, code: 0 });
    }
  });

  test("the private key and the webhook secret are absent from the state export, the drift report and everything the CLI printed", async () => {
    const exported = await stack.exportState();
    expect(exported).toContain(PAIR.publicKey.split(" ")[1]);
    for (const text of [exported, stack.transcript, fs.readFileSync(report("drift.json"), "utf8")]) {
      expect(text).not.toContain(PRIVATE_LINE);
      expect(text).not.toContain("PRIVATE KEY-----");
      expect(text).not.toContain(HOOK_SECRET);
    }
  });
});
