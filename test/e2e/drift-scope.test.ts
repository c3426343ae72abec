// End to end: `pulumi-bitbucket-cloud drift` in a shared workspace, through the package's bin and the
// real Pulumi CLI on the emulator. Three stacks of examples/gitops-access: alpha alone in project
// SCOPEA, beta and gamma sharing project SCOPEB; around them the seed's repositories (projects PLAT
// and WEB), managed by nobody. Each stack's check passes with only the others' repositories around it
// (the two sharing a project given each other's state); a repository made by hand in alpha's project
// is alpha's finding alone; an ignore entry leaves a deliberate one unmanaged, with its reason.
import * as fs from "fs";
import * as path from "path";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, REPOSITORIES } from "../../emulator/seed";
import { ensurePulumiCli, GitopsAccessStack, OwnerApi, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const PROJECTS = { alpha: "SCOPEA", shared: "SCOPEB" } as const;
const STACKS = { alpha: PROJECTS.alpha, beta: PROJECTS.shared, gamma: PROJECTS.shared } as const;
type StackName = keyof typeof STACKS;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`drift scoped to what each stack owns, in a shared workspace (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  const stacks = {} as Record<StackName, GitopsAccessStack>;
  /** Each stack's `pulumi stack export`, as a sibling reads it. */
  const states = {} as Record<StackName, string>;
  const nodeModules = runtime().nodeModules;

  const drift = (name: StackName, extra: string[] = []) =>
    stacks[name].runBin(nodeModules, ["drift", "--from-state", "--json", path.join(stacks[name].root, "drift.json"), ...extra]);
  // beta reads gamma's state through the Pulumi CLI (they share a backend), gamma reads beta's export file.
  const siblingOf = (name: StackName): string[] =>
    name === "beta" ? ["--also-stack", "organization/bitbucket-gitops-access/gamma"] : name === "gamma" ? ["--also-state", states.beta] : [];

  beforeAll(async () => {
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    for (const key of Object.values(PROJECTS)) await api.must("POST", `/workspaces/${WS}/projects`, { key, name: key });
    for (const name of Object.keys(STACKS) as StackName[]) {
      const access = { workspace: WS, repositories: { [`scope-${name}`]: { project: STACKS[name], description: `Stack ${name}` } } };
      stacks[name] = new GitopsAccessStack({ cliBin, nodeModules, stackName: name }, access);
    }
    // gamma's state in beta's backend, so that beta can name it with --also-stack.
    stacks.gamma.env.PULUMI_BACKEND_URL = stacks.beta.env.PULUMI_BACKEND_URL;
    await Promise.all(
      Object.entries(stacks).map(async ([name, stack]) => {
        await stack.init(
          { "bitbucket:apiUrl": emulator.apiUrl, "bitbucket:email": CREDENTIALS.owner.username },
          { "bitbucket:apiToken": CREDENTIALS.owner.password },
        );
        await stack.up();
        states[name as StackName] = path.join(stack.root, "state.json");
        fs.writeFileSync(states[name as StackName], await stack.exportState());
      }),
    );
  });

  afterAll(async () => {
    for (const stack of Object.values(stacks)) {
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("each stack's drift exits 0 with only the others' and unmanaged repositories of other projects around it", async () => {
    // Without its sibling's state, a stack sharing a project reports the sibling's repository.
    const alone = await drift("beta");
    expect(alone.code).toBe(1);
    expect(alone.stdout).toContain(`✗ unmanaged repository ${WS}/scope-gamma: project ${PROJECTS.shared}, not in the stack`);

    for (const name of Object.keys(STACKS) as StackName[]) {
      const r = await drift(name, siblingOf(name));
      expect([name, r.code, r.stdout]).toEqual([name, 0, expect.stringContaining("No drift.")]);
      if (name !== "alpha") expect(r.stderr).toMatch(/drift: read [1-9]\d* resources of (a )?sibling/);
      expect(r.stderr).toContain(`drift: listing the repositories of ${WS} in ${STACKS[name]}`);
    }

    // The whole workspace (today's search) reports the seed's repositories, managed by nobody.
    const wide = await drift("alpha", ["--scope", "workspace"]);
    expect(wide.code).toBe(1);
    expect(wide.stdout).toContain(`unmanaged repository ${WS}/${REPOSITORIES.website.slug}`);
  });

  test("a repository made by hand in alpha's project is reported by alpha only; an ignore entry leaves it unmanaged, with its reason", async () => {
    await api.must("POST", api.repoPath(WS, "scope-alpha-by-hand"), { scm: "git", is_private: true, project: { key: PROJECTS.alpha } });
    try {
      const alpha = await drift("alpha");
      expect(alpha.code).toBe(1);
      expect(alpha.stdout).toContain(`✗ unmanaged repository ${WS}/scope-alpha-by-hand: project ${PROJECTS.alpha}, not in the stack`);
      for (const name of ["beta", "gamma"] as const) {
        const r = await drift(name, siblingOf(name));
        expect([name, r.code]).toEqual([name, 0]);
        expect(r.stdout).not.toContain("scope-alpha-by-hand");
      }

      const ignoreFile = path.join(stacks.alpha.root, "drift-ignore.yaml");
      fs.writeFileSync(ignoreFile, "repositories:\n  - repository: acme/scope-alpha-by-*\n    reason: Made by hand for a demo, deleted after the quarter\n");
      const ignored = await drift("alpha", ["--ignore", ignoreFile]);
      expect(ignored.code).toBe(0);
      expect(ignored.stdout).toContain(
        `- unmanaged repository ${WS}/scope-alpha-by-hand: ignored (repositories[1]): Made by hand for a demo, deleted after the quarter`,
      );
      const json = JSON.parse(fs.readFileSync(path.join(stacks.alpha.root, "drift.json"), "utf8"));
      expect([json.summary.unmanaged, json.ignored.map((o: any) => o.id)]).toEqual([0, [`${WS}/scope-alpha-by-hand`]]);

      fs.writeFileSync(ignoreFile, "repositories:\n  - repository: acme/scope-alpha-by-*\n");
      const noReason = await drift("alpha", ["--ignore", ignoreFile]);
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toContain('repositories[1] (repository "acme/scope-alpha-by-*") has no reason');
    } finally {
      await api.must("DELETE", api.repoPath(WS, "scope-alpha-by-hand"));
    }
  });

  test("refused with exit 2, never a silent 0: a sibling state that cannot be read, an unknown scope, a --project typo", async () => {
    const missing = await drift("beta", ["--also-state", path.join(stacks.beta.root, "nope.json")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("drift: error: the state file");

    const noStack = await drift("beta", ["--also-stack", "organization/bitbucket-gitops-access/nope"]);
    expect(noStack.code).toBe(2);
    expect(noStack.stderr).toContain("drift: error: the state of stack organization/bitbucket-gitops-access/nope cannot be read");

    const badScope = await drift("alpha", ["--scope", "everything"]);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toContain("argument 'everything' is invalid. Allowed choices are stack, projects, workspace.");

    const typo = await drift("alpha", ["--project", "SCOPEAA"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain(`--project SCOPEAA: workspace ${WS} has no project with this key (did you mean ${PROJECTS.alpha}?)`);
  });
});
