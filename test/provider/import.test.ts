// `pulumi-bitbucket-cloud import` against the emulator: what it reads, the project it writes, and the
// written program type-checking against this package. The round trip through the real Pulumi CLI
// (up without writes, clean refreshed preview, destroy keeping everything) is test/e2e/import.test.ts.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CREDENTIALS, GROUPS, REPOSITORIES, USERS, WORKSPACES } from "../../emulator";
import { buildProgram } from "../../provider/cli";
import { ImportOptions, runImport } from "../../provider/cli/import";
import { pulumiName } from "../../provider/import/project";
import { publicKeyBody } from "../support/ssh-keys";
import { asOwner, Emulator, enc, startWithProvider } from "./helpers";

let emu: Emulator;
let root: string;
const ws = WORKSPACES.acme.slug;
const REPO_ROOT = path.resolve(__dirname, "../..");

beforeAll(async () => {
  emu = await startWithProvider();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bb-import-"));
  const platform = `/repositories/${ws}/${enc(REPOSITORIES.platformApi.uuid)}`;
  const hook = { url: "https://ci.example.com/bitbucket", description: "CI", active: true, events: ["repo:push", "pullrequest:created"] };
  expect((await asOwner(emu, "POST", `${platform}/hooks`, { ...hook, secret: "s3cret-value-never-written" })).status).toBe(201);
  expect((await asOwner(emu, "POST", `${platform}/hooks`, { url: "https://chat.example.com/in", active: false, events: ["repo:push"] })).status).toBe(201);
  expect(
    (await asOwner(emu, "PUT", `${platform}/override-settings`, { override_settings: { default_merge_strategy: true, branching_model: false } })).status,
  ).toBe(204);
  const restrictions = `${platform}/branch-restrictions`;
  const push = { kind: "push", pattern: "main", users: [{ uuid: USERS.alice.uuid }], groups: [{ slug: GROUPS.administrators }] };
  expect((await asOwner(emu, "POST", restrictions, push)).status).toBe(201);
  const approvals = { kind: "require_approvals_to_merge", branch_match_kind: "branching_model", branch_type: "production", value: 2 };
  expect((await asOwner(emu, "POST", restrictions, approvals)).status).toBe(201);
  for (const user of [USERS.bob.uuid, USERS.alice.account_id])
    expect((await asOwner(emu, "PUT", `${platform}/default-reviewers/${enc(user)}`)).status).toBe(200);
  const model = {
    development: { use_mainbranch: false, name: "develop" },
    branch_types: [{ kind: "release", enabled: false }],
    default_branch_deletion: "true",
  };
  expect((await asOwner(emu, "PUT", `${platform}/branching-model/settings`, model)).status).toBe(200);
  const schedule = {
    target: { ref_type: "branch", ref_name: "main", selector: { type: "custom", pattern: "nightly" } },
    cron_pattern: "0 0 2 * * ? *",
    enabled: false,
  };
  expect((await asOwner(emu, "POST", `${platform}/pipelines_config/schedules`, schedule)).status).toBe(201);
  const host = { hostname: "[deploy.example.com]:2222", public_key: { key_type: "ssh-ed25519", key: publicKeyBody("deploy") } };
  expect((await asOwner(emu, "POST", `${platform}/pipelines_config/ssh/known_hosts`, host)).status).toBe(201);
  const workspaceHook = { url: "https://audit.example.com/in", description: "audit", events: ["repo:push"], secret: "ws-secret-never-written" };
  expect((await asOwner(emu, "POST", `/workspaces/${ws}/hooks`, workspaceHook)).status).toBe(201);
  // Slugs that make awkward variable names.
  for (const slug of ["2fa-service", "class", "a-b", "a_b"])
    expect((await asOwner(emu, "POST", `/repositories/${ws}/${slug}`, { scm: "git", is_private: true, project: { key: "WEB" } })).status).toBe(200);
});
afterAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  await emu.stop();
});

const ownerEnv = () => ({
  BITBUCKET_API_URL: emu.apiUrl,
  BITBUCKET_EMAIL: CREDENTIALS.owner.username,
  BITBUCKET_API_TOKEN: CREDENTIALS.owner.password,
});

/** Runs the command as the bin does, capturing what it prints. */
async function runCommand(options: Partial<ImportOptions> & { out: string }, env: NodeJS.ProcessEnv = ownerEnv()) {
  let stdout = "";
  let stderr = "";
  const code = await runImport(
    { workspace: ws, project: [], match: [], packageSpec: "^0.1.0", ...options },
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env },
  );
  return { code, stdout, stderr };
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");

describe("import", () => {
  let out: string;
  let program: string;
  let run: Awaited<ReturnType<typeof runCommand>>;
  beforeAll(async () => {
    out = path.join(root, "all");
    run = await runCommand({ out });
    expect(run.code).toBe(0);
    program = read(out, "index.ts");
  });

  test("writes the five project files and reports its progress on stderr", async () => {
    expect(fs.readdirSync(out).sort()).toEqual(["Pulumi.yaml", "README.md", "index.ts", "package.json", "tsconfig.json"]);
    expect(read(out, "Pulumi.yaml")).toMatch(/^name: "bitbucket-acme"\n[^]*runtime:\n {2}name: nodejs\n {2}options:\n {4}typescript: true\n$/);
    expect(run.stdout).toBe(`${out}\n`);
    expect(run.stderr).toMatch(
      /^import: listing the repositories of acme\n[^]*import: wrote Pulumi\.yaml, package\.json, tsconfig\.json, index\.ts, README\.md to .* 6 repositories, 1 forks, 2 projects, 1 workspace webhooks, 0 workspace variables, 2 webhooks, 4 grants, 1 override settings, 0 deploy keys, 2 branch restrictions/,
    );
    const pkg = JSON.parse(read(out, "package.json"));
    expect(pkg.dependencies).toEqual({ "@pulumi/pulumi": expect.stringMatching(/^\^3\./), "pulumi-bitbucket-cloud": "^0.1.0" });
    expect(JSON.parse(read(out, "tsconfig.json")).compilerOptions).toMatchObject({ module: "nodenext", moduleResolution: "nodenext" });
  });

  test("declares every repository of the workspace with adopt, grouped by project, forks after their parents", async () => {
    for (const slug of ["platform-api", "website", "2fa-service", "class", "a-b", "a_b"])
      expect(program).toContain(`new bitbucket.Repository(${JSON.stringify(slug)}, {`);
    expect(program.match(/^ {2}adopt: true,$/gm)).toHaveLength(9); // six repositories, the fork and the two projects
    expect(program.indexOf("// ---- Project PLAT")).toBeLessThan(program.indexOf("// ---- Project WEB"));
    const fork = program.indexOf('new bitbucket.Fork("platform-api-experiments"');
    expect(fork).toBeGreaterThan(program.indexOf('new bitbucket.Repository("platform-api"'));
    expect(program.slice(fork)).toMatch(/^[^;]*repository: platformApi\.id,/);
    // Every resource keeps its object in Bitbucket when the stack lets go of it.
    expect(program).toContain("const keep: pulumi.CustomResourceOptions = { retainOnDelete: true };");
    expect(program.match(/\}, keep\);/g)?.length).toBe(program.match(/new bitbucket\./g)?.length);
  });

  test("declares the settings, webhooks, grants and override settings Bitbucket reports", async () => {
    expect(program).toMatch(/new bitbucket\.Repository\("platform-api", \{[^}]*isPrivate: true,[^}]*projectKey: plat\.key,[^}]*mainBranch: "main",/);
    expect(program).toMatch(
      /url: "https:\/\/ci\.example\.com\/bitbucket",\n\s+description: "CI",\n\s+active: true,\n\s+events: \["pullrequest:created", "repo:push"\],/,
    );
    expect(program).toMatch(/url: "https:\/\/chat\.example\.com\/in",\n\s+active: false,/);
    // All of a repository's explicit grants in one RepositoryAccess, each user after a comment with their name.
    expect(program).toMatch(
      /new bitbucket\.RepositoryAccess\("platform-api-access", \{\n {2}workspace,\n {2}repository: platformApi\.id,\n {2}groups: \{\n {4}administrators: "admin",\n {4}developers: "write",\n {2}\},\n {2}users: \{\n {4}\/\/ Alice [^\n]+\n {4}"712020:[^"]+": "write",\n {2}\},\n\}, keep\);/,
    );
    // A repository without explicit grants gets none.
    expect(program).not.toContain('RepositoryAccess("class-access"');
    expect(program).toMatch(/new bitbucket\.OverrideSettings\("platform-api-override-settings", \{[^}]*defaultMergeStrategy: true,\n\s+branchingModel: false,/);
    // Only platform-api overrides anything.
    expect(program.match(/new bitbucket\.OverrideSettings/g)).toHaveLength(1);
  });

  test("declares the branch restrictions of a repository as one RepositoryBranchRestrictions, each rule after its description, exempted users by account id", async () => {
    expect(program).toMatch(
      new RegExp(
        [
          'new bitbucket\\.RepositoryBranchRestrictions\\("platform-api-branch-restrictions", \\{',
          "  workspace,",
          "  repository: platformApi\\.id,",
          "  restrictions: \\[",
          "    \\{",
          "      // push on main: 1 user, 1 group exempt",
          '      kind: "push",',
          '      pattern: "main",',
          `      users: \\["${USERS.alice.account_id}"\\],`,
          '      groups: \\["administrators"\\],',
          "    \\},",
          "    \\{",
          "      // require_approvals_to_merge on production branches: 2",
          '      kind: "require_approvals_to_merge",',
          '      branchMatchKind: "branching_model",',
          '      branchType: "production",',
          "      value: 2,",
          "    \\},",
          "  \\],",
          "\\}, keep\\);",
        ].join("\n"),
      ),
    );
    expect(program.match(/new bitbucket\.RepositoryBranchRestrictions\(/g)).toHaveLength(1);
    expect(program).not.toContain("new bitbucket.BranchRestriction(");
  });

  test("declares the default reviewers of a repository that has some as one DefaultReviewers, by account id, names in a comment", async () => {
    const users = [USERS.alice.account_id, USERS.bob.account_id].sort();
    expect(program).toMatch(
      new RegExp(
        `// Default reviewers: Alice [^\\n]+, Bob [^\\n]+\\nnew bitbucket\\.DefaultReviewers\\("platform-api-default-reviewers", \\{\\n {2}workspace,\\n {2}repository: platformApi\\.id,\\n {2}users: \\[${users.map((u) => JSON.stringify(u)).join(", ")}\\],\\n\\}, keep\\);`,
      ),
    );
    // Only platform-api has default reviewers.
    expect(program.match(/new bitbucket\.DefaultReviewers\(/g)).toHaveLength(1);
    expect(run.stderr).toMatch(/, 2 default reviewers/);
  });

  test("declares a branching model that differs from Bitbucket's defaults as a BranchingModel of only the arguments that differ", async () => {
    expect(program).toMatch(
      /new bitbucket\.BranchingModel\("platform-api-branching-model", \{\n {2}workspace,\n {2}repository: platformApi\.id,\n {2}developmentBranch: "develop",\n {2}branchTypes: \{\n {4}feature: "feature\/",\n {4}bugfix: "bugfix\/",\n {4}hotfix: "hotfix\/",\n {2}\},\n {2}defaultBranchDeletion: true,\n\}, keep\);/,
    );
    // The other repositories hold the defaults.
    expect(program.match(/new bitbucket\.BranchingModel\(/g)).toHaveLength(1);
  });

  test("declares each Pipelines schedule and known host of a repository (a branches pipeline of the branch itself and enabled left out)", async () => {
    expect(program).toMatch(
      /new bitbucket\.PipelineSchedule\("platform-api-schedule-1", \{\n {2}workspace,\n {2}repository: platformApi\.id,\n {2}branch: "main",\n {2}selector: "custom",\n {2}pattern: "nightly",\n {2}cronPattern: "0 0 2 \* \* \? \*",\n {2}enabled: false,\n\}, keep\);/,
    );
    expect(program).toContain(
      `new bitbucket.PipelineKnownHost("platform-api-known-host-1", {\n  workspace,\n  repository: platformApi.id,\n  hostname: "[deploy.example.com]:2222",\n  key: "ssh-ed25519 ${publicKeyBody("deploy")}",\n}, keep);`,
    );
    expect(program.match(/new bitbucket\.Pipeline(Schedule|KnownHost)\(/g)).toHaveLength(2);
    expect(run.stderr).toMatch(/, 1 pipelines schedules, 0 pipelines configurations, 1 pipelines known hosts,/);
  });

  test("declares each workspace webhook as a WorkspaceWebhook after the repositories, its secret read from a secret config key the README lists", async () => {
    const at = program.indexOf("// ---- Workspace webhooks");
    expect(at).toBeGreaterThan(program.indexOf('new bitbucket.Repository("platform-api"'));
    expect(program.slice(at)).toMatch(
      /new bitbucket\.WorkspaceWebhook\("workspace-webhook-[0-9a-f]{8}", \{\n {2}workspace,\n {2}url: "https:\/\/audit\.example\.com\/in",\n {2}description: "audit",\n {2}active: true,\n {2}events: \["repo:push"\],\n {2}secret: config\.requireSecret\("[^"]+"\),\n\}, keep\);/,
    );
    expect(read(out, "README.md")).toMatch(/pulumi config set --secret \S+ +# workspace acme: https:\/\/audit\.example\.com\/in/);
    for (const file of fs.readdirSync(out)) expect(read(out, file)).not.toContain("ws-secret-never-written");
  });

  test("declares each project as a Project above the repositories, whose projectKey is then its Project's key", async () => {
    expect(program).toMatch(/^const plat = new bitbucket\.Project\("PLAT", \{\n {2}workspace,\n {2}key: "PLAT",\n {2}name: "Platform",/m);
    expect(program).toMatch(/^const web = new bitbucket\.Project\("WEB", \{/m);
    expect(program.indexOf('new bitbucket.Project("WEB"')).toBeLessThan(program.indexOf("new bitbucket.Repository("));
    expect(program).toMatch(/new bitbucket\.Repository\("website", \{[^}]*projectKey: web\.key,/);
    // --project keeps only that project (and its repositories).
    const dir = path.join(root, "one-project");
    expect((await runCommand({ out: dir, project: ["WEB"] })).code).toBe(0);
    const selected = read(dir, "index.ts");
    expect([...selected.matchAll(/new bitbucket\.Project\("([^"]+)"/g)].map((m) => m[1])).toEqual(["WEB"]);
    expect(selected).not.toContain('projectKey: "WEB"');
  });

  test("a webhook with a secret reads it from the stack config, and the README says how to set it", async () => {
    expect(program).toContain('secret: config.requireSecret("platform-api-webhook-1-secret"),');
    expect(program).not.toContain("s3cret-value-never-written");
    expect(program.match(/requireSecret/g)).toHaveLength(2); // the other repository hook has none; the workspace hook has one
    expect(read(out, "README.md")).toContain("pulumi config set --secret platform-api-webhook-1-secret   # platform-api: https://ci.example.com/bitbucket");
  });

  test("variable names come from slugs: camelCase, never a keyword, never a leading digit, unique", async () => {
    for (const name of ["platformApi", "repo2faService", "classRepo", "aB", "aB2"]) expect(program).toMatch(new RegExp(`^const ${name} = new bitbucket`, "m"));
  });

  test("the written program type-checks against this package", () => {
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(out, "node_modules"), "dir");
    const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    expect(() => execFileSync(process.execPath, [tsc, "--noEmit", "-p", out], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });

  test("--project and --match select repositories; --protect replaces retainOnDelete", async () => {
    const dir = path.join(root, "selected");
    expect((await runCommand({ out: dir, project: ["WEB"], match: ["a*", "web*"], protect: true })).code).toBe(0);
    const selected = read(dir, "index.ts");
    const declared = [...selected.matchAll(/new bitbucket\.(?:Repository|Fork)\("([^"]+)"/g)].map((m) => m[1]).sort();
    expect(declared).toEqual(["a-b", "a_b", "website"]);
    expect(selected).toContain("const keep: pulumi.CustomResourceOptions = { protect: true };");
  });

  test("refuses to write into a directory that has files unless forced, and then replaces only its own files", async () => {
    const dir = path.join(root, "existing");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config: {}\n");
    fs.writeFileSync(path.join(dir, "index.ts"), "// mine\n");
    const refused = await runCommand({ out: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/import: error: .*existing exists and is not empty: choose another --out, or pass --force/);
    expect(read(dir, "index.ts")).toBe("// mine\n");
    expect((await runCommand({ out: dir, force: true })).code).toBe(0);
    expect(read(dir, "index.ts")).toContain("new bitbucket.Repository(");
    expect(read(dir, "Pulumi.prod.yaml")).toBe("config: {}\n");
  });

  test("with an access token, which cannot read grants, the grants are left out and the program says so", async () => {
    const dir = path.join(root, "token");
    const r = await runCommand(
      { out: dir, match: ["platform-api"] },
      { BITBUCKET_API_URL: emu.apiUrl, BITBUCKET_ACCESS_TOKEN: CREDENTIALS.acmeAccessToken.token },
    );
    expect(r.code).toBe(0);
    const text = read(dir, "index.ts");
    expect(text).toContain("// Grants not imported: these credentials cannot read permissions-config");
    expect(text).not.toContain("new bitbucket.RepositoryAccess");
  });

  test("--name must be a Pulumi project name, and the default one is made of the workspace's letters and digits", async () => {
    const parse = (name: string) => {
      const cli = buildProgram();
      cli.commands.find((c) => c.name() === "import")!.configureOutput({ writeErr: () => undefined });
      cli.parse(["import", "-w", ws, "-o", root, "--name", name], { from: "user" });
    };
    for (const name of ["a b", "x\ny", "", "x".repeat(101), "a:b"]) expect(() => parse(name)).toThrow(/Pulumi project name has 1 to 100 letters/);
    expect(pulumiName("bitbucket-", "{0f9d1c3e-aaaa-4bbb-8ccc-123456789abc}")).toBe("bitbucket-0f9d1c3e-aaaa-4bbb-8ccc-123456789abc");
  });

  test("without credentials, or with nothing selected, it fails and says why", async () => {
    const none = await runCommand({ out: path.join(root, "none") }, { BITBUCKET_API_URL: emu.apiUrl });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/No Bitbucket credentials found.*BITBUCKET_EMAIL \+ BITBUCKET_API_TOKEN/);
    const empty = await runCommand({ out: path.join(root, "empty"), match: ["no-such-*"] });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/no repository of acme matches the selection/);
    expect(fs.existsSync(path.join(root, "empty"))).toBe(false);
  });
});
