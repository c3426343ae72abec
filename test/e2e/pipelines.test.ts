// End to end through the real Pulumi CLI against the emulator: a repository with Pipelines enabled,
// two variables (one secured), a Production environment with a secured deployment variable. A
// variable changed by hand is named by the refreshed preview and by `drift`, and put back by `up`;
// then nothing changes twice in a row; the secret values are absent from the state export, the drift
// report and every CLI output, a failed run's included.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { setConfig } from "../support/emulator-client";
import { ensurePulumiCli, OwnerApi, plannedChanges, PulumiStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-pipelines";
const NPM_TOKEN = "npm-t0ken-7c1f-do-not-leak";
const NPM_TOKEN_ROTATED = "npm-t0ken-rotated-9d2e-do-not-leak";
const DB_PASSWORD = "db-passw0rd-4a8b-do-not-leak";
const SECRETS = [NPM_TOKEN, NPM_TOKEN_ROTATED, DB_PASSWORD];

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";

const config = new pulumi.Config();
const workspace = "${WS}";
const repo = new bitbucket.Repository("repo", { workspace, name: "${REPO}", isPrivate: true });
new bitbucket.PipelinesConfig("pipelines", { workspace, repository: repo.id, enabled: true });
new bitbucket.RepositoryVariable("region", { workspace, repository: repo.id, key: "REGION", value: "eu-west-1" });
new bitbucket.RepositoryVariable("npm-token", { workspace, repository: repo.id, key: "NPM_TOKEN", value: config.requireSecret("npmToken"), secured: true });
const production = new bitbucket.DeploymentEnvironment("production", { workspace, repository: repo.id, name: "Production", environmentType: "Production", adminOnly: true });
new bitbucket.DeploymentVariable("db-password", {
  workspace,
  repository: repo.id,
  environment: production.id,
  key: "DB_PASSWORD",
  value: config.requireSecret("dbPassword"),
  secured: true,
});
export const environment = production.id;
`;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe("Pipelines configuration, variables and deployments through the Pulumi CLI", () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: PulumiStack;
  const nodeModules = runtime().nodeModules;
  const variables = () => `${api.repoPath(WS, REPO)}/pipelines_config/variables`;

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new PulumiStack(
      { cliBin, nodeModules },
      {
        projectYaml: "name: bitbucket-pipelines\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
        files: { "index.ts": PROGRAM, "package.json": JSON.stringify({ name: "bitbucket-pipelines", private: true, main: "index.ts" }) },
      },
    );
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password, npmToken: NPM_TOKEN, dbPassword: DB_PASSWORD },
    );
    await stack.up();
  });

  afterAll(async () => {
    if (stack) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.killSessions();
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("up made what the program declares; the secured values are in Bitbucket but never in an answer", async () => {
    expect((await api.must("GET", `${api.repoPath(WS, REPO)}/pipelines_config`)).enabled).toBe(true);
    const listed = (await api.must("GET", variables())).values;
    expect(listed.map((v: { key: string; secured: boolean }) => [v.key, v.secured]).sort()).toEqual([
      ["NPM_TOKEN", true],
      ["REGION", false],
    ]);
    const environment = (await stack.outputs()).environment;
    expect((await api.must("GET", `${api.repoPath(WS, REPO)}/environments/${encodeURIComponent(environment)}`)).environment_type.name).toBe("Production");
    const deployment = (await api.must("GET", `${api.repoPath(WS, REPO)}/deployments_config/environments/${encodeURIComponent(environment)}/variables`)).values;
    expect(deployment).toEqual([expect.objectContaining({ key: "DB_PASSWORD", secured: true })]);
    expect(JSON.stringify([listed, deployment])).not.toMatch(/do-not-leak/);
    expect((await stack.previewRefreshExpectNoChanges()).code).toBe(0);
  });

  test("a variable changed by hand: named by the refreshed preview and by drift, put back by up; then no changes twice", async () => {
    const region = (await api.must("GET", variables())).values.find((v: { key: string }) => v.key === "REGION");
    await api.must("PUT", `${variables()}/${encodeURIComponent(region.uuid)}`, { value: "us-east-1" });

    const preview = await stack.run(["preview", "--refresh"]);
    expect(preview.code).toBe(0);
    expect(plannedChanges(preview.output)).toEqual({ region: "update" });

    const report = path.join(stack.root, "drift.json");
    const drift = await stack.runBin(nodeModules, ["drift", "--json", report]);
    expect(drift.code).toBe(1);
    const json = JSON.parse(fs.readFileSync(report, "utf8"));
    expect(json.resources.flatMap((r: any) => r.differences.map((d: any) => `${r.name} ${d.field}`))).toEqual(["region value"]);
    expect(fs.readFileSync(report, "utf8")).not.toMatch(/do-not-leak/);

    await stack.up(["--refresh"]);
    expect((await api.must("GET", `${variables()}/${encodeURIComponent(region.uuid)}`)).value).toBe("eu-west-1");
    for (let i = 0; i < 2; i++) expect((await stack.previewRefreshExpectNoChanges()).code).toBe(0);
  });

  test("a rotated secured value whose update fails: the failed run does not print it; then it is written", async () => {
    await stack.setConfig("npmToken", NPM_TOKEN_ROTATED, true);
    await setConfig(emulator.url, { script: [{ method: "PUT", pathPrefix: `/2.0/repositories/${WS}/`, status: 400, times: 20 }] });
    const failed = await stack.run(["up", "--yes", "--skip-preview"]);
    await setConfig(emulator.url, { script: [] });
    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(/npm-token/);
    await stack.up();
    for (let i = 0; i < 2; i++) expect((await stack.previewRefreshExpectNoChanges()).code).toBe(0);
  });

  test("no secret value in plaintext in the state export or in any CLI output", async () => {
    const state = await stack.exportState();
    expect(state).toContain("NPM_TOKEN");
    for (const secret of SECRETS) {
      expect(state).not.toContain(secret);
      expect(stack.transcript).not.toContain(secret);
    }
    // Not even the value that is not secured: every variable value is a Pulumi secret.
    expect(state).not.toContain("eu-west-1");
  });
});
