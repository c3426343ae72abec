// End to end through the real Pulumi CLI: examples/quickstart against the emulator on loopback.
// The scenarios run in order on one stack; each asserts on the CLI's exit code and output and on the
// emulator's state. See test/e2e/helpers.ts for how the CLI is driven and which runtime is used.
import { execFileSync } from "child_process";
import { startEmulator } from "../../emulator";
import { CREDENTIALS, GROUPS, USERS } from "../../emulator/seed";
import { ensurePulumiCli, OwnerApi, plannedChanges, pulumiSdkVersion, QuickstartStack, runtime } from "./helpers";

jest.setTimeout(15 * 60_000);

const WS = "acme";
const WEBHOOK_SECRET = "wh-secret-5f1c2e9a-do-not-leak";
const API_TOKEN = CREDENTIALS.owner.password;

type Emulator = Awaited<ReturnType<typeof startEmulator>>;

describe(`quickstart through the real Pulumi CLI (runtime: ${process.env.E2E_RUNTIME ?? "default"})`, () => {
  let emulator: Emulator;
  let api: OwnerApi;
  let stack: QuickstartStack;
  let ids: Record<string, any>;
  /** State exports taken while the resources exist, for the secret scan. */
  const exports: string[] = [];

  beforeAll(async () => {
    const rt = runtime();
    const cliBin = ensurePulumiCli();
    emulator = await startEmulator({ port: 0, forkReadyDelayMs: 300, quiet: true });
    api = new OwnerApi(emulator.apiUrl);
    stack = new QuickstartStack({ cliBin, nodeModules: rt.nodeModules });
    await stack.init(
      {
        workspace: WS,
        repoName: "e2e-service",
        forkName: "e2e-service-fork",
        memberAccountId: USERS.alice.account_id,
        group: GROUPS.developers,
        "bitbucket:apiUrl": emulator.apiUrl,
        "bitbucket:email": CREDENTIALS.owner.username,
      },
      { webhookSecret: WEBHOOK_SECRET, "bitbucket:apiToken": API_TOKEN },
    );
  });

  afterAll(async () => {
    if (stack) {
      // Leave nothing behind if a scenario failed midway.
      await stack.run(["destroy", "--yes", "--skip-preview"]).catch(() => undefined);
      stack.dispose();
    }
    await emulator?.stop();
  });

  test("runs on the expected runtime", async () => {
    const rt = runtime();
    const nodeVersion = execFileSync("node", ["--version"], { env: stack.env, encoding: "utf8" }).trim();
    const sdk = pulumiSdkVersion(rt.nodeModules);
    const cli = (await stack.ok(["version"])).stdout.trim();
    console.log(`e2e runtime ${rt.name}: node ${nodeVersion}, @pulumi/pulumi ${sdk}, pulumi CLI ${cli}`);
    if (rt.expectedNodeMajor) expect(nodeVersion).toMatch(new RegExp(`^v${rt.expectedNodeMajor}\\.`));
    if (process.env.E2E_PULUMI_SDK) expect(sdk).toBe(process.env.E2E_PULUMI_SDK);
    expect(sdk).toMatch(/^3\./);
  });

  test("pulumi up creates the repository, webhook, permissions, override settings and fork", async () => {
    await stack.up();
    ids = await stack.outputs();
    exports.push(await stack.exportState());
    expect(ids.repositoryId).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(ids.repositorySlug).toBe("e2e-service");

    const repo = await api.must("GET", api.repoPath(WS, ids.repositoryId));
    expect(repo.name).toBe("e2e-service");
    expect(repo.is_private).toBe(true);

    const hooks = await api.must("GET", `${api.repoPath(WS, ids.repositoryId)}/hooks`);
    expect(hooks.values).toHaveLength(1);
    expect(hooks.values[0].uuid).toBe(ids.webhookId);
    expect(hooks.values[0].secret_set).toBe(true);
    expect(hooks.values[0].events.sort()).toEqual(["pullrequest:created", "repo:push"]);

    const group = await api.must("GET", `${api.repoPath(WS, ids.repositoryId)}/permissions-config/groups/${GROUPS.developers}`);
    expect(group.permission).toBe("read");
    const user = await api.must("GET", `${api.repoPath(WS, ids.repositoryId)}/permissions-config/users/${USERS.alice.account_id}`);
    expect(user.permission).toBe("write");

    const settings = await api.must("GET", `${api.repoPath(WS, ids.repositoryId)}/override-settings`);
    expect(settings.override_settings).toEqual({ default_merge_strategy: true, branching_model: false });

    const fork = await api.must("GET", api.repoPath(WS, ids.forkId));
    expect(fork.parent.uuid).toBe(ids.repositoryId);
    expect(fork.name).toBe("e2e-service-fork");
  });

  test("pulumi preview --refresh --expect-no-changes passes right after: no perpetual diff", async () => {
    const r = await stack.previewRefreshExpectNoChanges();
    expect(plannedChanges(r.output)).toEqual({});
    expect(r.code).toBe(0);
  });

  test("pulumi refresh stores what it read without changes, and the webhook secret stays encrypted", async () => {
    const r = await stack.ok(["refresh", "--yes", "--skip-preview"]);
    expect(r.output).not.toMatch(/\[diff:/);
    exports.push(await stack.exportState());
    expect(exports[exports.length - 1]).toContain("4dabf18193072939515e22adb298388d");
  });

  test("renaming the repository updates it in place: same IDs, nothing replaced, clean refresh after", async () => {
    await stack.setConfig("repoName", "e2e-service-renamed");
    const preview = await stack.ok(["preview"]);
    expect(plannedChanges(preview.output).repo).toBe("update");

    await stack.up();
    const changes = await stack.lastChanges();
    expect(changes.replace ?? 0).toBe(0);
    expect(changes.create ?? 0).toBe(0);
    expect(changes.delete ?? 0).toBe(0);
    expect(changes.update).toBe(1); // the repository only: everything attached refers to its UUID

    const after = await stack.outputs();
    for (const k of ["repositoryId", "webhookId", "groupPermission", "userPermission", "overrideSettings", "forkId"]) {
      expect(after[k]).toBe(ids[k]);
    }
    expect(after.repositorySlug).toBe("e2e-service-renamed");
    const repo = await api.must("GET", api.repoPath(WS, ids.repositoryId));
    expect(repo.name).toBe("e2e-service-renamed");
    expect(repo.slug).toBe("e2e-service-renamed");
    expect((await api.call("GET", api.repoPath(WS, "e2e-service"))).status).toBe(404);

    const clean = await stack.previewRefreshExpectNoChanges();
    expect(plannedChanges(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
    ids = after;
  });

  test("changes behind Pulumi's back are named by preview --refresh --expect-no-changes, and pulumi up puts them back", async () => {
    const repoPath = api.repoPath(WS, ids.repositoryId);
    await api.must("PUT", repoPath, { name: "renamed-by-hand" });
    await api.must("PUT", `${repoPath}/permissions-config/users/${USERS.alice.account_id}`, { permission: "admin" });
    await api.must("DELETE", `${repoPath}/hooks/${encodeURIComponent(ids.webhookId)}`);
    await api.must("PUT", `${repoPath}/override-settings`, {
      override_settings: { default_merge_strategy: false, branching_model: false },
    });

    const drift = await stack.previewRefreshExpectNoChanges();
    expect(drift.code).not.toBe(0);
    expect(drift.output).toMatch(/no changes were expected/i);
    const planned = plannedChanges(drift.output);
    expect(planned.repo).toBe("update"); // the rename
    expect(planned.member).toBe("update"); // the raised permission
    expect(planned["push-hook"]).toBe("create"); // the deleted webhook
    expect(planned.settings).toBe("update"); // the changed setting
    expect(planned.developers).toBeUndefined();
    expect(planned.fork).toBeUndefined();

    await stack.up(["--refresh"]);
    const repo = await api.must("GET", repoPath);
    expect(repo.name).toBe("e2e-service-renamed");
    const user = await api.must("GET", `${repoPath}/permissions-config/users/${USERS.alice.account_id}`);
    expect(user.permission).toBe("write");
    const hooks = await api.must("GET", `${repoPath}/hooks`);
    expect(hooks.values).toHaveLength(1);
    expect(hooks.values[0].secret_set).toBe(true);
    const settings = await api.must("GET", `${repoPath}/override-settings`);
    expect(settings.override_settings.default_merge_strategy).toBe(true);

    const clean = await stack.previewRefreshExpectNoChanges();
    expect(plannedChanges(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
    ids = await stack.outputs();
  });

  test("a repository deleted behind Pulumi's back is named by the refreshed preview and recreated by pulumi up; its fork is not replaced without consent", async () => {
    await api.must("DELETE", api.repoPath(WS, ids.repositoryId));

    const drift = await stack.previewRefreshExpectNoChanges();
    expect(drift.code).not.toBe(0);
    expect(plannedChanges(drift.output).repo).toBe("create");
    // The recreated parent has a new UUID, so the fork would be replaced: deleted with its history.
    expect(drift.output).toMatch(/Refusing to replace the fork acme\/e2e-service-fork: changing repository .*allowReplace: true/);

    const refused = await stack.run(["up", "--yes", "--skip-preview", "--refresh"]);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/Refusing to replace the fork acme\/e2e-service-fork/);
    expect((await api.must("GET", api.repoPath(WS, ids.forkId))).uuid).toBe(ids.forkId);

    // With consent the fork is made again from the new parent.
    await stack.setConfig("allowForkReplace", "true");
    await stack.up(["--refresh"]);
    const after = await stack.outputs();
    expect(after.forkId).not.toBe(ids.forkId);
    expect(after.repositoryId).not.toBe(ids.repositoryId);
    const repo = await api.must("GET", api.repoPath(WS, after.repositoryId));
    expect(repo.name).toBe("e2e-service-renamed");
    const hooks = await api.must("GET", `${api.repoPath(WS, after.repositoryId)}/hooks`);
    expect(hooks.values).toHaveLength(1);
    const user = await api.must("GET", `${api.repoPath(WS, after.repositoryId)}/permissions-config/users/${USERS.alice.account_id}`);
    expect(user.permission).toBe("write");

    const clean = await stack.previewRefreshExpectNoChanges();
    expect(plannedChanges(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
    ids = after;
  });

  test("an existing repository is brought under management with adopt: true, not recreated", async () => {
    const existing = await api.must("POST", api.repoPath(WS, "legacy-service"), {
      scm: "git",
      is_private: true,
      description: "made by hand before Pulumi",
    });
    await stack.setConfig("adoptRepoSlug", "legacy-service");
    await stack.up();
    const out = await stack.outputs();
    expect(out.adoptedRepositoryId).toBe(existing.uuid);
    exports.push(await stack.exportState());
    const changes = await stack.lastChanges();
    expect(changes.create).toBe(1);
    const slugs = await api.repositorySlugs(WS);
    expect(slugs.filter((s) => s === "legacy-service")).toHaveLength(1);

    const clean = await stack.previewRefreshExpectNoChanges();
    expect(plannedChanges(clean.output)).toEqual({});
    expect(clean.code).toBe(0);
  });

  test("pulumi destroy leaves nothing the stack created", async () => {
    const before = await stack.outputs();
    await stack.ok(["destroy", "--yes", "--skip-preview"]);
    for (const id of [before.repositoryId, before.forkId, before.adoptedRepositoryId]) {
      expect((await api.call("GET", api.repoPath(WS, id))).status).toBe(404);
    }
    const slugs = await api.repositorySlugs(WS);
    expect(slugs.filter((s) => s.startsWith("e2e-service") || s === "legacy-service")).toEqual([]);
    const state = JSON.parse(await stack.exportState());
    expect(state.deployment.resources ?? []).toHaveLength(0);
  });

  test("what a resource claims travels to its check only: the state holds no trace of it", async () => {
    expect(exports).toHaveLength(3);
    for (const state of exports) expect(state).not.toMatch(/claimConflicts/i);
  });

  test("no secret appears in plaintext in the exported state or in any CLI output", async () => {
    expect(exports).toHaveLength(3);
    // The webhook secret is in the state, encrypted.
    expect(exports[0]).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature
    const history = (await stack.ok(["stack", "history", "--json"])).stdout;
    for (const secret of [WEBHOOK_SECRET, API_TOKEN]) {
      for (const state of exports) expect(state).not.toContain(secret);
      expect(history).not.toContain(secret);
      expect(stack.transcript).not.toContain(secret);
    }
    // The transcript is not empty: every command above was recorded.
    expect(stack.transcript).toMatch(/\$ pulumi up/);
  });
});
