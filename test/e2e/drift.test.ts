// End to end: `pulumi-bitbucket-cloud drift` (the package's bin, on the runtime's node and
// @pulumi/pulumi) on a stack of examples/gitops-access driven by the real Pulumi CLI against the
// emulator: what it reports in JUnit, Markdown and JSON, its exit codes, and which credentials it uses.
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";
import { XMLParser } from "fast-xml-parser";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, GROUPS, USERS } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, GitopsAccessStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const REPO = "e2e-drift";
const WEBHOOK_SECRET = "drift-hook-secret-3b9e-do-not-leak";
const CI_URL = "https://ci.example.com/hooks/bitbucket";
const ACCESS = {
  workspace: WS,
  repositories: {
    [REPO]: {
      project: "PLAT",
      description: "Watched for drift",
      groups: { [GROUPS.developers]: "write" },
      users: { [USERS.alice.account_id]: "read" },
      webhooks: { CI: { url: CI_URL, events: ["repo:push"], secretConfig: "ciWebhookSecret" } },
    },
  },
};

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`pulumi-bitbucket-cloud drift on a real stack (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: GitopsAccessStack;
  const nodeModules = runtime().nodeModules;
  const report = (name: string) => path.join(stack.root, "reports", name);
  const drift = (extra: string[] = [], stdin?: string) =>
    stack.runBin(nodeModules, ["drift", "--junit", report("drift.xml"), "--markdown", report("drift.md"), "--json", report("drift.json"), ...extra], {}, stdin);

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    // The workspace holds only what the stack manages, so an unmanaged repository is one made below.
    for (const slug of await api.repositorySlugs(WS)) await api.must("DELETE", api.repoPath(WS, slug));
    stack = new GitopsAccessStack({ cliBin, nodeModules }, ACCESS);
    await stack.init(
      { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
      { "bitbucket:apiToken": CREDENTIALS.owner.password, ciWebhookSecret: WEBHOOK_SECRET },
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

  test("a drifted field, a hand-added grant, a hand-added webhook and an unmanaged repository: exit 1, and the JUnit, Markdown and JSON name exactly those", async () => {
    const repoPath = api.repoPath(WS, REPO);
    await api.must("PUT", repoPath, { description: "Edited by hand" });
    await api.must("PUT", `${repoPath}/permissions-config/groups/${GROUPS.contractors}`, { permission: "admin" });
    await api.must("POST", `${repoPath}/hooks`, { description: "exfil", url: "https://collector.example.net/push", events: ["repo:push"] });
    await api.must("POST", api.repoPath(WS, "hand-made"), { scm: "git", is_private: true });

    const r = await drift();
    expect(r.stderr).toContain("drift: refreshed preview of stack e2e");
    expect(r.code).toBe(1);

    const failures = junitFailures();
    const message = (test: string) => failures.find((f) => f.test === test)!.message;
    const where = `repository ${WS}/${REPO} ${(await api.must("GET", repoPath)).uuid} (project PLAT)`;
    expect(message(`${WS}/${REPO} Repository ${REPO}: description declared "Watched for drift", live "Edited by hand"`)).toBe(
      `${where}: description (declared "Watched for drift", live "Edited by hand")`,
    );
    expect(message(`${WS}/${REPO} RepositoryAccess ${REPO}-access: group contractors (Contractors) admin, not declared`)).toBe(
      `${where}, group contractors (Contractors): groups.contractors (declared (absent), live "admin")`,
    );
    const hook = failures.find((f) => f.test.startsWith(`${WS}/${REPO} RepositoryWebhooks ${REPO}-webhooks: webhook {`))!;
    expect(hook.test).toContain("(exfil: https://collector.example.net/push)");
    expect(hook.message).toMatch(
      /^repository acme\/e2e-drift \{[^}]+\} \(project PLAT\), webhook \{[^}]+\} \(exfil: https:\/\/collector\.example\.net\/push\): webhooks\.exfil \(declared \(absent\), live \{.*collector\.example\.net/,
    );
    // Every resource of the stack is a test case: the three above, each passing otherwise.
    expect(junitCases()).toHaveLength(4);

    const markdown = fs.readFileSync(report("drift.md"), "utf8");
    expect(markdown).toContain("**Drift found**: 3 of 3 resources differ from the program; 1 unmanaged object(s).");
    for (const field of ["`description`", "`groups.contractors`", "`webhooks.exfil`", "`acme/hand-made`"]) expect(markdown).toContain(field);

    const json = JSON.parse(fs.readFileSync(report("drift.json"), "utf8"));
    expect(json.summary).toEqual({ resources: 3, drifted: 3, unmanaged: 1, findings: 4, known: 0 });
    expect(json.resources.flatMap((x: any) => x.differences.map((d: any) => `${x.name} ${d.field}`)).sort()).toEqual([
      `${REPO} description`,
      `${REPO}-access groups.contractors`,
      `${REPO}-webhooks webhooks.exfil`,
    ]);
    expect(json.unmanaged.map((o: any) => `${o.kind} ${o.id}`)).toEqual(["repository acme/hand-made"]);

    // From the state (no preview, no program run): the same failures, compared with the last update.
    const fromState = await drift(["--from-state"]);
    expect(fromState.stderr).toContain("drift: reading the resources of stack e2e from its state");
    expect(fromState.stderr).not.toContain("refreshed preview");
    expect(fromState.code).toBe(1);
    const byTest = (list: { test: string }[]) => [...list].sort((a, b) => a.test.localeCompare(b.test));
    expect(byTest(junitFailures())).toEqual(byTest(failures));
    expect(fs.readFileSync(report("drift.md"), "utf8")).toContain("**Drift found**: 3 of 3 resources differ from the last update; 1 unmanaged object(s).");
  });

  test("after pulumi up --refresh and deleting the unmanaged repository, drift exits 0", async () => {
    await stack.up(["--refresh"]);
    await api.must("DELETE", api.repoPath(WS, "hand-made"));
    const r = await drift();
    expect(r.stdout).toContain("No drift.");
    expect(r.code).toBe(0);
    const fromState = await drift(["--from-state"]);
    expect(fromState.stdout).toContain("No drift.");
    expect(fromState.code).toBe(0);
  });

  test("a hand-added admin grant names the repository (slug, UUID, project) and the group's name in JUnit, Markdown and JSON (valid by the shipped schema); as --baseline, an unchanged run exits 0 and a new hand change exits 1", async () => {
    const repoPath = api.repoPath(WS, REPO);
    const { uuid } = await api.must("GET", repoPath);
    await api.must("PUT", `${repoPath}/permissions-config/groups/${GROUPS.contractors}`, { permission: "admin" });
    try {
      const first = await drift();
      expect(first.code).toBe(1);
      const where = `repository ${WS}/${REPO} ${uuid} (project PLAT), group contractors (Contractors)`;
      const grant = `${WS}/${REPO} RepositoryAccess ${REPO}-access: group contractors (Contractors) admin, not declared`;
      expect(junitFailures()).toEqual([{ test: grant, message: `${where}: groups.contractors (declared (absent), live "admin")` }]);
      expect(fs.readFileSync(report("drift.md"), "utf8")).toContain(`| \`groups.contractors\` | \`(absent)\` | \`"admin"\` | ${where} |`);
      const json = JSON.parse(fs.readFileSync(report("drift.json"), "utf8"));
      const validate = new Ajv({ allErrors: true }).compile(
        JSON.parse(fs.readFileSync(path.join(nodeModules, "pulumi-bitbucket-cloud", "schemas", "drift-report.v1.json"), "utf8")),
      );
      expect(validate(json) ? [] : validate.errors).toEqual([]);
      const access = json.resources.find((x: any) => x.name === `${REPO}-access`);
      expect(access.bitbucket.repository).toEqual({ slug: REPO, uuid });
      expect(access.differences[0].object).toMatchObject({ label: "group", id: GROUPS.contractors, name: "Contractors" });

      const baseline = report("baseline.json");
      fs.copyFileSync(report("drift.json"), baseline);
      const unchanged = await drift(["--baseline", baseline]);
      expect(unchanged.code).toBe(0);
      expect(unchanged.stdout).toContain("Only known drift.");
      expect(junitFailures()).toEqual([]);
      expect(
        junitCases()
          .filter((c) => c.skipped !== undefined)
          .map((c) => `${c.classname} ${c.name}`),
      ).toEqual([grant]);

      await api.must("PUT", repoPath, { description: "Edited by hand" });
      const changed = await drift(["--baseline", baseline]);
      expect(changed.code).toBe(1);
      expect(junitFailures().map((f) => f.test)).toEqual([`${WS}/${REPO} Repository ${REPO}: description declared "Watched for drift", live "Edited by hand"`]);
      expect(JSON.parse(fs.readFileSync(report("drift.json"), "utf8")).summary).toMatchObject({ findings: 2, known: 1 });
    } finally {
      await stack.up(["--refresh"]);
    }
  });

  test("a hook's URL changed and its secret removed outside Pulumi: the refreshed preview and --from-state name both, the secret masked; up puts both back", async () => {
    const hooksPath = `${api.repoPath(WS, REPO)}/hooks`;
    const [hook] = (await api.must("GET", hooksPath)).values;
    expect(hook.secret_set).toBe(true);
    const hookPath = `${hooksPath}/${encodeURIComponent(hook.uuid)}`;
    const where = `repository ${WS}/${REPO} ${(await api.must("GET", api.repoPath(WS, REPO))).uuid} (project PLAT)`;
    const ciHook = `webhook ${hook.uuid} (CI: https://ci.example.com/moved)`;
    const urlFailure = {
      test: `${WS}/${REPO} RepositoryWebhooks ${REPO}-webhooks: ${ciHook} url declared "${CI_URL}", live "https://ci.example.com/moved"`,
      message: `${where}, ${ciHook}: webhooks.CI.url (declared "${CI_URL}", live "https://ci.example.com/moved")`,
    };
    const secretFailure = {
      test: `${WS}/${REPO} RepositoryWebhooks ${REPO}-webhooks: secrets declared [secret], live [secret] (differs)`,
      message: `${where}: secrets (declared [secret], live [secret] (differs))`,
    };

    // The URL alone: the secret, masked in the preview, is checked with the stack's state and not named.
    await api.must("PUT", hookPath, { url: "https://ci.example.com/moved" });
    const urlOnly = await drift(["--no-unmanaged"]);
    expect(urlOnly.code).toBe(1);
    expect(urlOnly.stderr).toContain("drift: comparing the secrets of 1 drifted resource(s) with the stack's state: one read each");
    expect(junitFailures()).toEqual([urlFailure]);

    await api.must("PUT", hookPath, { secret: null });
    const fromState = await drift(["--from-state", "--no-unmanaged"]);
    expect(fromState.code).toBe(1);
    expect(junitFailures()).toEqual([urlFailure, secretFailure]);
    const json = JSON.parse(fs.readFileSync(report("drift.json"), "utf8"));
    expect(json.resources.flatMap((x: any) => x.differences.map((d: any) => `${x.name} ${d.field}: ${d.live}`))).toEqual([
      `${REPO}-webhooks webhooks.CI.url: "https://ci.example.com/moved"`,
      `${REPO}-webhooks secrets: [secret] (differs)`,
    ]);

    // The refreshed preview (the default) shows the secret masked on both sides beside the URL: the check names it.
    const preview = await drift(["--no-unmanaged"]);
    expect(preview.code).toBe(1);
    expect(junitFailures()).toEqual([urlFailure, secretFailure]);
    for (const output of [urlOnly, fromState, preview]) expect(output.stdout + output.stderr).not.toContain(WEBHOOK_SECRET);

    await stack.up(["--refresh"]);
    const [restored] = (await api.must("GET", hooksPath)).values;
    expect([restored.url, restored.secret_set]).toEqual([CI_URL, true]);
    expect((await drift(["--from-state", "--no-unmanaged"])).code).toBe(0);
    for (const name of ["drift.xml", "drift.md", "drift.json"]) expect(fs.readFileSync(report(name), "utf8")).not.toContain(WEBHOOK_SECRET);
    expect(stack.transcript).not.toContain(WEBHOOK_SECRET);
  });

  test("--project with a key the stack's workspace does not have: exit 2 naming the key and the workspace, though a repository sits unmanaged", async () => {
    await api.must("POST", api.repoPath(WS, "hand-made-typo"), { scm: "git", is_private: true, project: { key: "PLAT" } });
    try {
      const r = await drift(["--project", "PLATT"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`drift: error: --project PLATT: workspace ${WS} has no project with this key (did you mean PLAT?)`);
      expect(r.stdout).not.toContain("No drift");
      expect(fs.readFileSync(report("drift.md"), "utf8")).toContain("**Drift check failed**");

      const right = await drift(["--project", "PLAT"]);
      expect(right.code).toBe(1);
      expect(right.stdout).toContain("unmanaged repository acme/hand-made-typo");
    } finally {
      await api.must("DELETE", api.repoPath(WS, "hand-made-typo"));
    }
  });

  test("a preview that failed (revoked token) or left resources out proves nothing: exit 2, though the stack drifted", async () => {
    const repoPath = api.repoPath(WS, REPO);
    await api.must("PUT", repoPath, { description: "Edited by hand" });
    // The owner's token revoked: the provider stored in the state and the stack config both hold the old one.
    await emulatorAdmin("PUT", "/api-token", { email: CREDENTIALS.owner.username, apiToken: "acme-api-token-next" });
    try {
      const failed = await stack.run(["preview", "--refresh", "--json"]);
      expect(failed.code).not.toBe(0);
      expect(JSON.parse(failed.stdout).diagnostics.filter((d: any) => d.severity === "error").length).toBeGreaterThan(0);
      const piped = await drift(["--preview-json", "-", "--no-unmanaged"], failed.stdout);
      expect(piped.code).toBe(2);
      expect(piped.stderr).toMatch(
        /drift: error: the check cannot be trusted, so nothing is reported: the preview reported \d+ error\(s\):\n.*failed with 401/,
      );
      expect(piped.stdout).not.toContain("No drift");
      expect(fs.readFileSync(report("drift.md"), "utf8")).toContain("**Drift check failed**");

      // The preview run here (engine events) fails the same way.
      const run = await drift(["--no-unmanaged"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/failed with 401/);
    } finally {
      await emulatorAdmin("PUT", "/api-token", { email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password });
    }

    // A preview limited to the repository: the state (read in the project's directory) names what it left out.
    const targeted = await stack.run([
      "preview",
      "--refresh",
      "--json",
      "--target",
      `urn:pulumi:e2e::bitbucket-gitops-access::pulumi-nodejs:dynamic/bitbucket:Repository::${REPO}`,
    ]);
    expect(targeted.code).toBe(0);
    const partial = await drift(["--preview-json", "-", "--no-unmanaged"], targeted.stdout);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain("the preview has no step for 2 resource(s) in the state of stack e2e:");
    for (const name of [`bitbucket:RepositoryAccess ${REPO}-access`, `bitbucket:RepositoryWebhooks ${REPO}-webhooks`]) expect(partial.stderr).toContain(name);

    await api.must("PUT", repoPath, { description: ACCESS.repositories[REPO].description });
  });

  test("a rotated token: the stored provider still holds the revoked one, drift uses the stack config's current one", async () => {
    const rotated = "acme-api-token-rotated";
    await emulatorAdmin("PUT", "/api-token", { email: CREDENTIALS.owner.username, apiToken: rotated });
    await stack.setConfig("bitbucket:apiToken", rotated, true);

    // A plain refreshed preview refreshes with the provider configuration stored in the state.
    const stale = await stack.run(["preview", "--refresh", "--expect-no-changes"]);
    expect(stale.code).not.toBe(0);
    expect(stale.output).toMatch(/failed with 401/);

    const r = await drift();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No drift.");
    const fromState = await drift(["--from-state"]);
    expect(fromState.code).toBe(0);
    expect(stack.transcript).not.toContain(rotated);
  });

  function junitCases(): any[] {
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => ["testsuite", "testcase"].includes(name) }).parse(
      fs.readFileSync(report("drift.xml"), "utf8"),
    );
    return xml.testsuites.testsuite.flatMap((suite: any) => suite.testcase ?? []);
  }

  /** The failed test cases of the JUnit report: "classname name" and message. */
  function junitFailures(): { test: string; message: string }[] {
    return junitCases()
      .filter((c: any) => c.failure)
      .map((c: any) => ({ test: `${c.classname} ${c.name}`, message: c.failure.message }));
  }

  async function emulatorAdmin(method: string, pathname: string, body: unknown): Promise<void> {
    const res = await fetch(`${emulator.url}/_emulator${pathname}`, { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} /_emulator${pathname} → ${res.status}: ${await res.text()}`);
  }
});
