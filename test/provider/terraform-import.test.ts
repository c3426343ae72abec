// `pulumi-bitbucket-cloud import --from-terraform-state` against the emulator holding each fixture's
// objects: the program it writes (names from Terraform addresses, every object taken over, secrets
// from the stack config), its refusals (nothing written), unmapped types listed, hostile state values
// kept as data. The round trip through the real Pulumi CLI is test/e2e/terraform-import.test.ts.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { buildProgram } from "../../provider/cli";
import { runTerraformImport, TerraformImportOptions } from "../../provider/cli/import";
import { RESOURCES } from "../../provider/registry";
import { TERRAFORM_RULES, UNMAPPED_TYPES } from "../../provider/import/terraform";
import { runProgram, secretOf, typeErrors } from "../support/generated-program";
import { PRIVATE_KEY, publicKey, publicKeyBody } from "../support/ssh-keys";

const FIXTURES = path.resolve(__dirname, "../../../shared/fixtures/terraform");
const fixtures = fs.readdirSync(FIXTURES).filter((name) => fs.existsSync(path.join(FIXTURES, name, "terraform.tfstate")));
const BASIC = path.join(FIXTURES, "basic");
const basicState = () => JSON.parse(fs.readFileSync(path.join(BASIC, "terraform.tfstate"), "utf8"));

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let root: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-tf-import-"));
  const dataFile = path.join(root, "emulator-data.json");
  fs.copyFileSync(path.join(BASIC, "emulator-data.json"), dataFile);
  emulator = await startEmulator({ port: 0, dataFile, quiet: true });
});
afterAll(async () => {
  await emulator.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

let runs = 0;
/** Runs the command on a state (a file, or an object written to one), capturing what it prints and writes. */
async function importState(state: string | object, options: Partial<TerraformImportOptions> = {}) {
  const dir = path.join(root, `run-${++runs}`);
  fs.mkdirSync(dir);
  const file = typeof state === "string" ? state : path.join(dir, "terraform.tfstate");
  if (typeof state !== "string") fs.writeFileSync(file, JSON.stringify(state));
  const out = path.join(dir, "out");
  let stdout = "";
  let stderr = "";
  const env = { BITBUCKET_API_URL: emulator.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password };
  const code = await runTerraformImport(
    { state: file, out, packageSpec: "^0.1.0", ...options },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env },
  );
  const files = fs.existsSync(out) ? Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f), "utf8")])) : undefined;
  return { code, stdout, stderr, out, files };
}

describe.each(fixtures)("fixture %s", (fixture) => {
  let result: Awaited<ReturnType<typeof importState>>;
  beforeAll(async () => {
    result = await importState(path.join(FIXTURES, fixture, "terraform.tfstate"));
  });

  test("the command exits 0 and writes the five project files", () => {
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(Object.keys(result.files!).sort()).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
  });

  test("the written program type-checks against this package", () => {
    expect(typeErrors([result.files!["index.ts"]])).toEqual([[]]);
  });

  test("every managed instance of the state is declared or listed as not imported", () => {
    const state = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, "terraform.tfstate"), "utf8"));
    const readme = result.files!["README.md"];
    for (const r of state.resources.filter((r: any) => r.mode === "managed"))
      for (const i of r.instances) {
        const address = `${r.type}.${r.name}${i.index_key === undefined ? "" : `[${JSON.stringify(i.index_key)}]`}`;
        expect(readme.includes(`state rm '${address}'`) || readme.includes(`\`${r.type}.${r.name}\``)).toBe(true);
      }
  });

  test("no file written holds a secret the state keeps", () => {
    const state = JSON.parse(fs.readFileSync(path.join(FIXTURES, fixture, "terraform.tfstate"), "utf8"));
    const secrets = state.resources.flatMap((r: any) =>
      r.instances.flatMap((i: any) => (typeof i.attributes.secret === "string" && i.attributes.secret ? [i.attributes.secret] : [])),
    );
    for (const text of Object.values(result.files!)) for (const secret of secrets) expect(text).not.toContain(secret);
  });
});

describe("the basic fixture's program", () => {
  let run: ReturnType<typeof runProgram>;
  let files: Record<string, string>;
  beforeAll(async () => {
    const result = await importState(path.join(BASIC, "terraform.tfstate"));
    files = result.files!;
    run = runProgram(files["index.ts"]);
  });
  const named = (name: string) => run.resources.find((r) => r.name === name)!;

  test("names each resource after its Terraform address, for_each instances with their keys", () => {
    expect(run.resources.map((r) => `${r.kind} ${String(r.name)}`)).toEqual([
      "Project payments",
      "Repository frontends-checkout-web",
      "Repository frontends-invoice-web",
      "Repository ledger",
      "OverrideSettings ledger-override-settings",
      "Fork ledger_sandbox",
      "Webhook ledger_ci",
      "ProjectGroupPermission payments_admins",
      "ProjectUserPermission payments_bob",
      "GroupPermission ledger_devs",
      "UserPermission frontends_alice-checkout-web",
      "UserPermission frontends_alice-invoice-web",
    ]);
    expect(files["index.ts"]).toContain('// bitbucket_repository.frontends["checkout-web"]');
  });

  test("repositories, forks and projects take over with adopt, and refer to each other by variable", () => {
    for (const name of ["payments", "ledger", "frontends-checkout-web", "ledger_sandbox"]) expect(named(name).args.adopt).toBe(true);
    expect(named("ledger_sandbox").args.repository).toEqual({ idOf: "Repository:ledger" });
    expect(named("ledger_devs").args.repository).toEqual({ idOf: "Repository:ledger" });
    expect(named("ledger-override-settings").args.repository).toEqual({ idOf: "Repository:ledger" });
    for (const r of run.resources) expect(r.opts).toEqual({ retainOnDelete: true });
  });

  test("override settings come from Bitbucket, as the state's inherit_* attributes read back wrong", () => {
    expect(basicState().resources.find((r: any) => r.name === "ledger").instances[0].attributes.inherit_default_merge_strategy).toBe(false);
    expect(named("ledger-override-settings").args).toMatchObject({ defaultMergeStrategy: true, branchingModel: false });
  });

  test("the webhook's secret is read from the stack config, its key listed in the README with the command", () => {
    expect(named("ledger_ci").args.secret).toEqual(secretOf("ledger_ci-secret"));
    expect(files["README.md"]).toMatch(/^pulumi config set --secret ledger_ci-secret +# acme\/ledger: https:\/\/ci\.example\.com\/hooks\/ledger$/m);
  });

  test("the README gives the state rm line of every moved instance", () => {
    expect(files["README.md"]).toContain(`tofu state rm 'bitbucket_repository.frontends["checkout-web"]'`);
    expect(files["README.md"].match(/^tofu state rm /gm)).toHaveLength(11);
  });
});

describe("refusals: exit 1, name the problem, write nothing", () => {
  test("a state holding another provider's resources names them", async () => {
    const state = basicState();
    state.resources.push({
      mode: "managed",
      type: "aws_s3_bucket",
      name: "logs",
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: "logs" } }],
    });
    const { code, stderr, files } = await importState(state);
    expect(code).toBe(1);
    expect(stderr).toContain("aws_s3_bucket.logs (registry.terraform.io/hashicorp/aws)");
    expect(stderr).toContain("--skip-other-providers");
    expect(files).toBeUndefined();
  });

  test("with --skip-other-providers the Bitbucket ones are imported and the others listed", async () => {
    const state = basicState();
    state.resources.push({
      mode: "managed",
      type: "aws_s3_bucket",
      name: "logs",
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ schema_version: 0, attributes: { id: "logs" } }],
    });
    const { code, files } = await importState(state, { skipOtherProviders: true });
    expect(code).toBe(0);
    expect(files!["README.md"]).toContain("- `aws_s3_bucket.logs`: another provider's resource (registry.terraform.io/hashicorp/aws)");
  });

  test("a state of format version 3", async () => {
    const { code, stderr, files } = await importState({ version: 3, terraform_version: "0.11.14", serial: 1, modules: [{ path: ["root"], resources: {} }] });
    expect(code).toBe(1);
    expect(stderr).toMatch(/format version 3; this import reads format version 4/);
    expect(files).toBeUndefined();
  });

  test("a truncated file", async () => {
    const text = fs.readFileSync(path.join(BASIC, "terraform.tfstate"), "utf8");
    const file = path.join(root, "truncated.tfstate");
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const { code, stderr, files } = await importState(file);
    expect(code).toBe(1);
    expect(stderr).toMatch(/truncated\.tfstate is not a Terraform state: it does not parse as JSON .*truncated file\?/);
    expect(files).toBeUndefined();
  });
});

test("a resource type with no counterpart is listed with its reason, in the output, the README and the program", async () => {
  const state = basicState();
  state.resources.push({
    mode: "managed",
    type: "bitbucket_group",
    name: "ops",
    provider: 'provider["registry.opentofu.org/drfaust92/bitbucket"]',
    instances: [{ schema_version: 0, attributes: { id: "acme/ops" } }],
  });
  const { code, stderr, files } = await importState(state);
  expect(code).toBe(0);
  expect(stderr).toContain(`not imported: bitbucket_group.ops: ${UNMAPPED_TYPES.bitbucket_group}`);
  expect(files!["README.md"]).toContain("- `bitbucket_group.ops`: uses Bitbucket's 1.0 groups API");
  expect(files!["index.ts"]).toContain("// Not imported: bitbucket_group.ops: uses Bitbucket's 1.0 groups API");
});

test("every mapped type names a kind of the registry, and no type is both mapped and listed as unmapped", () => {
  for (const [type, rules] of TERRAFORM_RULES) {
    expect(UNMAPPED_TYPES[type]).toBeUndefined();
    for (const [kind] of rules) expect(Object.keys(RESOURCES)).toContain(kind);
  }
  expect([...TERRAFORM_RULES.keys()].sort()).toEqual(
    [
      "bitbucket_branch_restriction",
      "bitbucket_default_reviewers",
      "bitbucket_deploy_key",
      "bitbucket_forked_repository",
      "bitbucket_hook",
      "bitbucket_project",
      "bitbucket_project_group_permission",
      "bitbucket_project_user_permission",
      "bitbucket_repository",
      "bitbucket_repository_group_permission",
      "bitbucket_repository_user_permission",
      "bitbucket_branching_model",
      "bitbucket_project_branching_model",
      "bitbucket_project_default_reviewers",
      "bitbucket_repository_variable",
      "bitbucket_workspace_variable",
      "bitbucket_deployment",
      "bitbucket_deployment_variable",
      "bitbucket_pipeline_schedule",
      "bitbucket_pipeline_ssh_key",
      "bitbucket_pipeline_ssh_known_host",
      "bitbucket_workspace_hook",
      "bitbucket_ssh_key",
      "bitbucket_commit_file",
    ].sort(),
  );
});

test("names made from colliding addresses are distinct and the same on every run", async () => {
  const state = basicState();
  const frontends = state.resources.find((r: any) => r.name === "frontends");
  const copy = (key: string, slug: string) => ({
    ...frontends.instances[0],
    index_key: key,
    attributes: { ...frontends.instances[0].attributes, slug, name: slug, uuid: undefined },
  });
  frontends.instances = [copy("a b", "a-b-1"), copy("a-b", "a-b-2"), copy("a/b", "a-b-3")];
  const first = await importState(state);
  const second = await importState(state);
  const names = runProgram(first.files!["index.ts"])
    .resources.filter((r) => r.kind === "Repository")
    .map((r) => r.name);
  expect(names).toEqual(["frontends-a-b", "frontends-a-b-2", "frontends-a-b-3", "ledger"]);
  expect(second.files!["index.ts"]).toBe(first.files!["index.ts"]);
});

describe("hostile values in the state stay data", () => {
  const HOSTILE = "a\"b'c`d${canary()}e\nf*/g\u2028h\\i";
  const KEY = "x'; canary(); '\n*/`${canary()}`";
  let result: Awaited<ReturnType<typeof importState>>;
  beforeAll(async () => {
    const state = basicState();
    const ledger = state.resources.find((r: any) => r.name === "ledger").instances[0];
    ledger.attributes.description = HOSTILE;
    const hook = state.resources.find((r: any) => r.type === "bitbucket_hook").instances[0];
    hook.attributes.description = HOSTILE;
    const frontends = state.resources.find((r: any) => r.name === "frontends");
    frontends.instances[0].index_key = KEY;
    const project = state.resources.find((r: any) => r.type === "bitbucket_project").instances[0];
    project.attributes.name = `*/ ${HOSTILE}`;
    result = await importState(state);
  });

  test("the program type-checks, runs without calling the canary, and carries each value exactly", () => {
    expect(result.code).toBe(0);
    expect(typeErrors([result.files!["index.ts"]])).toEqual([[]]);
    const run = runProgram(result.files!["index.ts"]);
    expect(run.syntaxErrors).toEqual([]);
    expect(run.canaryCalls).toBe(0);
    expect(run.newGlobals).toEqual([]);
    expect(run.resources.find((r) => r.name === "ledger")!.args.description).toBe(HOSTILE);
    expect(run.resources.find((r) => r.kind === "Webhook")!.args.description).toBe(HOSTILE);
    expect(run.resources.find((r) => r.kind === "Project")!.args.name).toBe(`*/ ${HOSTILE}`);
  });

  test("each state rm line is one shell word that a shell reads back as the address, nothing expanded", () => {
    const lines = [...result.files!["README.md"].matchAll(/^tofu state rm (.*)$/gm)].map(([, word]) => word);
    const hostile = lines.find((word) => word.includes("canary"))!;
    // The shell prints the word's value; a command substitution or expansion in it would change what is printed.
    const printed = execFileSync("/bin/sh", ["-c", `printf '%s' ${hostile}`], { encoding: "utf8" });
    expect(printed).toBe(`bitbucket_repository.frontends[${JSON.stringify(KEY)}]`);
  });

  test("an address holding a line separator or a bidi control is named for removal by hand, never as a command", async () => {
    const state = basicState();
    state.resources.find((r: any) => r.name === "frontends").instances[0].index_key = "a\u202eb\u2028c";
    const { files } = await importState(state);
    expect(files!["README.md"]).toContain("# by hand (its key holds a character a shell line should not carry): bitbucket_repository.frontends[");
    expect(files!["README.md"]).not.toMatch(/^tofu state rm .*\u202e/m);
    expect(files!["README.md"].match(/^tofu state rm /gm)).toHaveLength(10);
  });
});

describe("the other mapped types, modules and count", () => {
  const PROVIDER = 'provider["registry.opentofu.org/drfaust92/bitbucket"]';
  const resource = (type: string, name: string, instances: object[], module?: string) => ({
    mode: "managed",
    type,
    name,
    provider: PROVIDER,
    instances,
    ...(module ? { module } : {}),
  });
  let result: Awaited<ReturnType<typeof importState>>;
  let run: ReturnType<typeof runProgram>;
  beforeAll(async () => {
    // A restriction made outside this test's state, as the provider would have: its exempted user by username in the state.
    const res = await fetch(`${emulator.apiUrl}/repositories/acme/ledger/branch-restrictions`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${CREDENTIALS.owner.username}:${CREDENTIALS.owner.password}`).toString("base64")}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ kind: "push", pattern: "main", users: [{ uuid: USERS.alice.uuid }], groups: [] }),
    });
    expect(res.status).toBe(201);
    const restriction = (await res.json()) as { id: number };
    const state = basicState();
    state.resources.push(
      resource("bitbucket_branch_restriction", "main_push", [
        { attributes: { id: String(restriction.id), owner: "acme", repository: "ledger", kind: "push", pattern: "main", users: ["alice"], groups: [] } },
      ]),
      resource("bitbucket_branch_restriction", "gone", [{ attributes: { id: "987654", owner: "acme", repository: "ledger", kind: "force", pattern: "*" } }]),
      resource("bitbucket_deploy_key", "deploy", [
        { attributes: { id: "acme/ledger/1", workspace: "acme", repository: "ledger", key: publicKey("tf-deploy"), label: "ci" } },
      ]),
      resource("bitbucket_default_reviewers", "reviewers", [
        { attributes: { id: "acme/checkout-web/reviewers", owner: "acme", repository: "checkout-web", reviewers: [USERS.bob.uuid, USERS.alice.uuid] } },
      ]),
      resource(
        "bitbucket_repository_group_permission",
        "devs",
        [
          {
            index_key: 0,
            attributes: { id: "acme:invoice-web:developers", workspace: "acme", repo_slug: "invoice-web", group_slug: "developers", permission: "read" },
          },
        ],
        "module.web",
      ),
    );
    result = await importState(state);
    run = runProgram(result.files!["index.ts"]);
  });
  const named = (name: string) => run.resources.find((r) => r.name === name)!;

  test("each becomes its kind, on the repository's variable, and the program type-checks", () => {
    expect(result.code).toBe(0);
    expect(typeErrors([result.files!["index.ts"]])).toEqual([[]]);
    expect(named("main_push")).toMatchObject({
      kind: "BranchRestriction",
      args: { repository: { idOf: "Repository:ledger" }, kind: "push", pattern: "main", users: [USERS.alice.account_id], groups: [] },
    });
    expect(named("deploy")).toMatchObject({ kind: "DeployKey", args: { repository: { idOf: "Repository:ledger" }, key: publicKey("tf-deploy"), label: "ci" } });
    expect(named("reviewers")).toMatchObject({
      kind: "DefaultReviewers",
      args: { repository: { idOf: "Repository:frontends-checkout-web" }, users: [USERS.bob.uuid, USERS.alice.uuid].sort() },
    });
    expect(named("web-devs-0")).toMatchObject({
      kind: "GroupPermission",
      args: { repository: { idOf: "Repository:frontends-invoice-web" }, groupSlug: "developers" },
    });
    expect(result.files!["README.md"]).toContain("tofu state rm 'module.web.bitbucket_repository_group_permission.devs[0]'");
  });

  test("a restriction the state names but Bitbucket no longer has is listed, not dropped", () => {
    expect(run.resources.find((r) => r.name === "gone")).toBeUndefined();
    expect(result.stderr).toContain("not imported: bitbucket_branch_restriction.gone: not found in Bitbucket");
    expect(result.files!["README.md"]).toContain("- `bitbucket_branch_restriction.gone`: not found in Bitbucket");
  });
});

// The attribute names of these hand-written instances are those of DrFaust92/terraform-provider-bitbucket's
// schemas (its docs/resources/<type>.md and bitbucket/resource_<type>.go): e.g. a repository variable's
// `repository` is the repository's Terraform ID `owner/slug`, a deployment variable's `deployment` the
// deployment's `owner/slug:{uuid}`, a known host's key the one-element list `public_key` {key_type, key}.
describe("the Pipelines, branching model, project, workspace, key and file types", () => {
  const PROVIDER = 'provider["registry.opentofu.org/drfaust92/bitbucket"]';
  const resource = (type: string, name: string, attributes: object) => ({ mode: "managed", type, name, provider: PROVIDER, instances: [{ attributes }] });
  const ENV = "{7d0c3c1e-2a4b-4c1f-9f51-5a0e0e6c0b11}";
  const SECRETS = { repoVar: "repo-var-secret-value-1", wsVar: "ws-var-secret-value-2", deployVar: "deploy-var-secret-value-3", hook: "ws-hook-secret-4" };
  let result: Awaited<ReturnType<typeof importState>>;
  let run: ReturnType<typeof runProgram>;
  beforeAll(async () => {
    const state = basicState();
    state.resources.find((r: any) => r.name === "ledger").instances[0].attributes.pipelines_enabled = true;
    state.resources.push(
      resource("bitbucket_branching_model", "ledger_model", {
        id: "acme/ledger",
        owner: "acme",
        repository: "ledger",
        development: [{ name: "develop", use_mainbranch: false, branch_does_not_exist: false, is_valid: true }],
        production: [{ name: "", use_mainbranch: true, enabled: true, branch_does_not_exist: false, is_valid: true }],
        branch_type: [
          { kind: "feature", enabled: true, prefix: "feat/" },
          { kind: "hotfix", enabled: true, prefix: "hotfix/" },
          { kind: "release", enabled: false, prefix: "release/" },
          { kind: "bugfix", enabled: false, prefix: "bugfix/" },
        ],
      }),
      resource("bitbucket_project_branching_model", "pay_model", {
        id: "acme/PAY",
        workspace: "acme",
        project: "PAY",
        development: [{ name: "", use_mainbranch: true }],
        production: [],
        branch_type: [{ kind: "feature", enabled: true, prefix: "feature/" }],
      }),
      resource("bitbucket_project_default_reviewers", "pay_reviewers", {
        id: "acme/PAY",
        workspace: "acme",
        project: "PAY",
        reviewers: [USERS.bob.uuid, USERS.alice.uuid],
      }),
      resource("bitbucket_repository_variable", "region", {
        id: "REGION",
        uuid: "{11111111-1111-4111-8111-111111111111}",
        repository: "acme/ledger",
        key: "REGION",
        value: "eu-west-1",
        secured: false,
      }),
      resource("bitbucket_repository_variable", "token", {
        id: "TOKEN",
        uuid: "{22222222-2222-4222-8222-222222222222}",
        repository: "acme/ledger",
        key: "TOKEN",
        value: SECRETS.repoVar,
        secured: true,
      }),
      resource("bitbucket_workspace_variable", "org_token", {
        id: "acme/{33333333-3333-4333-8333-333333333333}",
        uuid: "{33333333-3333-4333-8333-333333333333}",
        workspace: "acme",
        key: "ORG_TOKEN",
        value: SECRETS.wsVar,
        secured: true,
      }),
      resource("bitbucket_deployment", "staging", { id: `acme/ledger:${ENV}`, uuid: ENV, repository: "acme/ledger", name: "staging-eu", stage: "Staging" }),
      resource("bitbucket_deployment_variable", "staging_key", {
        id: "{44444444-4444-4444-8444-444444444444}",
        uuid: "{44444444-4444-4444-8444-444444444444}",
        deployment: `acme/ledger:${ENV}`,
        key: "DEPLOY_KEY",
        value: SECRETS.deployVar,
        secured: true,
      }),
      resource("bitbucket_pipeline_schedule", "nightly", {
        id: "acme/ledger/{55555555-5555-4555-8555-555555555555}",
        uuid: "{55555555-5555-4555-8555-555555555555}",
        workspace: "acme",
        repository: "ledger",
        cron_pattern: "0 0 2 * * ? *",
        enabled: false,
        target: [{ ref_name: "main", ref_type: "branch", selector: [{ pattern: "nightly" }] }],
      }),
      resource("bitbucket_pipeline_schedule", "release_tag", {
        id: "acme/ledger/{59999999-5555-4555-8555-555555555555}",
        uuid: "{59999999-5555-4555-8555-555555555555}",
        workspace: "acme",
        repository: "ledger",
        cron_pattern: "0 0 3 * * ? *",
        enabled: true,
        target: [{ ref_name: "v1.0", ref_type: "tag", selector: [{ pattern: "v1.0" }] }],
      }),
      resource("bitbucket_pipeline_ssh_key", "ledger_pair", {
        id: "acme/ledger",
        workspace: "acme",
        repository: "ledger",
        private_key: PRIVATE_KEY,
        public_key: publicKey("tf-pair"),
      }),
      resource("bitbucket_pipeline_ssh_known_host", "github", {
        id: "acme/ledger/{66666666-6666-4666-8666-666666666666}",
        uuid: "{66666666-6666-4666-8666-666666666666}",
        workspace: "acme",
        repository: "ledger",
        hostname: "github.com",
        public_key: [{ key_type: "ssh-ed25519", key: publicKeyBody("github"), md5_fingerprint: "", sha256_fingerprint: "" }],
      }),
      resource("bitbucket_workspace_hook", "audit", {
        id: "acme/{77777777-7777-4777-8777-777777777777}",
        uuid: "{77777777-7777-4777-8777-777777777777}",
        workspace: "acme",
        url: "https://audit.example.com/bitbucket",
        description: "audit trail",
        events: ["repo:push", "pullrequest:created"],
        active: true,
        skip_cert_verification: false,
        secret: SECRETS.hook,
      }),
      resource("bitbucket_ssh_key", "alice_laptop", {
        id: `${USERS.alice.uuid}/{88888888-8888-4888-8888-888888888888}`,
        uuid: "{88888888-8888-4888-8888-888888888888}",
        user: USERS.alice.uuid,
        key: publicKey("alice-laptop"),
        label: "laptop",
        comment: "",
      }),
      resource("bitbucket_commit_file", "codeowners", {
        id: "acme/ledger/main/CODEOWNERS",
        workspace: "acme",
        repo_slug: "ledger",
        branch: "main",
        filename: "CODEOWNERS",
        content: "* @acme/ledger-team\n",
        commit_message: "Managed by Terraform",
        commit_author: "Infra Bot <infra@example.com>",
      }),
    );
    result = await importState(state);
    run = runProgram(result.files!["index.ts"]);
  });
  const named = (name: string) => run.resources.find((r) => r.name === name)!;

  test("the program type-checks and declares each instance as its kind", () => {
    expect(result.code).toBe(0);
    expect(typeErrors([result.files!["index.ts"]])).toEqual([[]]);
    const kinds = Object.fromEntries(run.resources.map((r) => [String(r.name), r.kind]));
    expect(kinds).toMatchObject({
      "ledger-pipelines": "PipelinesConfig",
      ledger_model: "BranchingModel",
      pay_model: "ProjectBranchingModel",
      pay_reviewers: "ProjectDefaultReviewers",
      region: "RepositoryVariable",
      token: "RepositoryVariable",
      org_token: "WorkspaceVariable",
      staging: "DeploymentEnvironment",
      staging_key: "DeploymentVariable",
      nightly: "PipelineSchedule",
      ledger_pair: "PipelineSshKeyPair",
      github: "PipelineKnownHost",
      audit: "WorkspaceWebhook",
      alice_laptop: "SshKey",
      codeowners: "CommitFile",
    });
    expect(result.stderr).not.toMatch(/not imported: bitbucket_(?!group|pipeline_schedule\.release_tag)/);
  });

  test("pipelines_enabled = true becomes a PipelinesConfig on the repository, and only then", () => {
    expect(named("ledger-pipelines").args).toEqual({ workspace: "acme", repository: { idOf: "Repository:ledger" }, enabled: true });
    expect(run.resources.filter((r) => r.kind === "PipelinesConfig")).toHaveLength(1);
    expect(result.files!["index.ts"]).not.toContain("pipelines_enabled = true is not carried");
  });

  test("branching models carry the development and production branches and the enabled branch types", () => {
    expect(named("ledger_model").args).toMatchObject({
      repository: { idOf: "Repository:ledger" },
      developmentBranch: "develop",
      productionEnabled: true,
      branchTypes: { feature: "feat/", hotfix: "hotfix/" },
    });
    expect(named("ledger_model").args.productionBranch).toBeUndefined();
    expect(named("pay_model").args).toMatchObject({ branchTypes: { feature: "feature/" } });
    for (const [kind, name] of [
      ["ProjectBranchingModel", "pay_model"],
      ["ProjectDefaultReviewers", "pay_reviewers"],
    ])
      expect(result.files!["index.ts"]).toMatch(new RegExp(`new bitbucket\\.${kind}\\(\\s*"${name}",\\s*\\{[^}]*project: payments\\.key,`));
    expect(named("pay_model").args.developmentBranch).toBeUndefined();
    expect(named("pay_reviewers").args).toMatchObject({ users: [USERS.bob.uuid, USERS.alice.uuid].sort() });
  });

  test("variables keep plain values, and take secured values from the stack config", () => {
    expect(named("region").args).toMatchObject({ repository: { idOf: "Repository:ledger" }, key: "REGION", value: "eu-west-1" });
    expect(named("region").args.secured).toBeUndefined();
    expect(named("token").args).toMatchObject({ key: "TOKEN", value: secretOf("token-secret"), secured: true });
    expect(named("org_token").args).toMatchObject({ key: "ORG_TOKEN", value: secretOf("org_token-secret"), secured: true });
    expect(named("staging_key").args).toMatchObject({ key: "DEPLOY_KEY", value: secretOf("staging_key-secret"), secured: true });
    for (const key of ["token-secret", "org_token-secret", "staging_key-secret", "ledger_pair-secret", "audit-secret"])
      expect(result.files!["README.md"]).toMatch(new RegExp(`^pulumi config set --secret ${key} +# `, "m"));
  });

  test("a deployment becomes an environment its variables refer to by variable", () => {
    expect(named("staging").args).toMatchObject({ repository: { idOf: "Repository:ledger" }, name: "staging-eu", environmentType: "Staging" });
    expect(named("staging_key").args.environment).toEqual({ idOf: "DeploymentEnvironment:staging" });
  });

  test("schedules, key pairs, known hosts, workspace hooks, SSH keys and files carry their arguments", () => {
    expect(named("nightly").args).toMatchObject({
      repository: { idOf: "Repository:ledger" },
      branch: "main",
      pattern: "nightly",
      cronPattern: "0 0 2 * * ? *",
      enabled: false,
    });
    expect(named("ledger_pair").args).toMatchObject({ repository: { idOf: "Repository:ledger" }, privateKey: secretOf("ledger_pair-secret") });
    expect(named("github").args).toMatchObject({ hostname: "github.com", key: `ssh-ed25519 ${publicKeyBody("github")}` });
    expect(named("audit").args).toMatchObject({
      url: "https://audit.example.com/bitbucket",
      description: "audit trail",
      active: true,
      events: ["pullrequest:created", "repo:push"],
      secret: secretOf("audit-secret"),
    });
    expect(named("alice_laptop").args).toEqual({ user: USERS.alice.uuid, key: publicKey("alice-laptop"), label: "laptop" });
    expect(named("codeowners").args).toMatchObject({
      repository: { idOf: "Repository:ledger" },
      branch: "main",
      path: "CODEOWNERS",
      content: "* @acme/ledger-team\n",
      message: "Managed by Terraform",
      author: "Infra Bot <infra@example.com>",
    });
  });

  test("a schedule on a tag is listed as not imported, with the reason", () => {
    expect(run.resources.find((r) => r.name === "release_tag")).toBeUndefined();
    expect(result.stderr).toContain("not imported: bitbucket_pipeline_schedule.release_tag: a schedule on a tag");
  });

  test("no file written holds a secured value, the private key or the hook secret", () => {
    for (const text of Object.values(result.files!)) {
      for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
      expect(text).not.toContain("PRIVATE KEY");
    }
  });
});

test("the command line refuses --from-terraform-state with --workspace, writing nothing", async () => {
  const out = path.join(root, "cli-refused");
  const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  const exitCode = process.exitCode;
  try {
    await buildProgram().parseAsync(["import", "--from-terraform-state", path.join(BASIC, "terraform.tfstate"), "-w", "acme", "-o", out], { from: "user" });
    expect(process.exitCode).toBe(1);
    expect(stderr.mock.calls.map(([text]) => String(text)).join("")).toContain("--workspace, --project and --match do not apply");
  } finally {
    process.exitCode = exitCode;
    stderr.mockRestore();
  }
  expect(fs.existsSync(out)).toBe(false);
});
