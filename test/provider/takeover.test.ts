// Taking over what exists: every resource can be created over an object that is already there, and
// when that object already matches the program, creation makes no write request at all.
import { GROUPS, REPOSITORIES, USERS, WORKSPACES } from "../../emulator";
import { asOwner, clearCounters, create, Emulator, enc, FAST, provider, requests, startWithProvider, useOwner } from "./helpers";
import { startNewRun } from "../../provider/runtime";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const parent = REPOSITORIES.platformApi;

/** The write requests (anything but GET) the emulator saw since the last clear. */
async function writes(): Promise<string[]> {
  return (await requests(emu)).filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.route}`);
}

/** Creates `kind` with `args` and returns the outputs and the writes it made. */
async function createCountingWrites(kind: Parameters<typeof create>[0], args: Record<string, unknown>) {
  await clearCounters(emu);
  const result = await create(kind, args);
  return { ...result, writes: await writes() };
}

describe("Repository adopt", () => {
  test("taking over a repository whose settings already match writes nothing", async () => {
    const live = (await asOwner(emu, "GET", `/repositories/${ws}/website`)).body;
    const args = { workspace: ws, name: live.name, slug: "website", description: live.description, isPrivate: live.is_private, adopt: true };
    const { id, outs, writes: made } = await createCountingWrites("Repository", args);
    expect(id).toBe(REPOSITORIES.website.uuid);
    expect(outs).toMatchObject({ slug: "website", uuid: REPOSITORIES.website.uuid, requestedSlug: "website" });
    expect(made).toEqual([]);
  });

  test("taking over a repository that differs writes one PUT of only the settings that differ", async () => {
    const { outs, writes: made } = await createCountingWrites("Repository", { workspace: ws, name: "Website", language: "go", adopt: true });
    expect(made).toEqual(["PUT /repositories/{workspace}/{repo_slug}"]);
    expect(outs.language).toBe("go");
    expect((await asOwner(emu, "GET", `/repositories/${ws}/website`)).body.language).toBe("go");
  });
});

describe("Fork adopt", () => {
  let forkId: string;
  let forkState: Record<string, unknown>;
  beforeAll(async () => {
    ({ id: forkId, outs: forkState } = await create("Fork", { workspace: ws, repository: parent.uuid, name: "Adoptable Fork", description: "adoptable" }));
  });
  afterAll(() => provider("Fork").delete(forkId, forkState));

  test("taking over an existing fork of the parent by its name writes nothing when it matches", async () => {
    const {
      id,
      outs,
      writes: made,
    } = await createCountingWrites("Fork", { workspace: ws, repository: parent.uuid, name: "Adoptable Fork", description: "adoptable", adopt: true });
    expect(id).toBe(forkId);
    expect(outs).toMatchObject({ slug: "adoptable-fork", parentUuid: parent.uuid, repository: parent.uuid, workspace: ws, targetWorkspace: ws });
    expect(made).toEqual([]);
  });

  test("taking over an existing fork that differs updates it in place, without forking again", async () => {
    const {
      id,
      outs,
      writes: made,
    } = await createCountingWrites("Fork", {
      workspace: ws,
      repository: parent.slug,
      name: "Adoptable Fork",
      description: "taken over",
      adopt: true,
    });
    expect(id).toBe(forkId);
    expect(made).toEqual(["PUT /repositories/{workspace}/{repo_slug}"]);
    expect(outs).toMatchObject({ description: "taken over", repository: parent.slug, parentUuid: parent.uuid });
  });

  test("a repository with the fork's slug that is not a fork of the parent is refused, naming what it is", async () => {
    await expect(create("Fork", { workspace: ws, repository: parent.uuid, name: "Website", adopt: true })).rejects.toThrow(
      /Cannot adopt acme\/website as a fork of acme\/\{.*\}: it is not a fork/,
    );
  });

  test("adopt forks when no fork exists yet", async () => {
    const { id, outs, writes: made } = await createCountingWrites("Fork", { workspace: ws, repository: parent.uuid, name: "Fresh Adopted Fork", adopt: true });
    expect(made).toEqual(["POST /repositories/{workspace}/{repo_slug}/forks"]);
    await provider("Fork").delete(id, outs);
  });
});

describe("grants and override settings", () => {
  // The seed gives platform-api: developers=write, alice=write, no overrides.
  test("a GroupPermission over an identical grant writes nothing; over a different one, one PUT", async () => {
    const same = await createCountingWrites("GroupPermission", { workspace: ws, repository: parent.slug, groupSlug: GROUPS.developers, permission: "write" });
    expect(same.writes).toEqual([]);
    expect(same.outs.permission).toBe("write");
    const other = await createCountingWrites("GroupPermission", { workspace: ws, repository: parent.slug, groupSlug: GROUPS.contractors, permission: "read" });
    expect(other.writes).toEqual(["PUT /repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}"]);
    await provider("GroupPermission").delete(other.id, other.outs);
  });

  test("a UserPermission over an identical grant writes nothing", async () => {
    const { outs, writes: made } = await createCountingWrites("UserPermission", {
      workspace: ws,
      repository: parent.uuid,
      user: USERS.alice.account_id,
      permission: "write",
    });
    expect(made).toEqual([]);
    expect(outs).toMatchObject({ permission: "write", userUuid: USERS.alice.uuid });
  });

  test("OverrideSettings over matching settings writes nothing; over different ones, one PUT", async () => {
    const same = await createCountingWrites("OverrideSettings", { workspace: ws, repository: parent.uuid, defaultMergeStrategy: false });
    expect(same.writes).toEqual([]);
    expect(same.outs).toMatchObject({ defaultMergeStrategy: false, branchingModel: false });
    const other = await createCountingWrites("OverrideSettings", { workspace: ws, repository: parent.uuid, branchingModel: true });
    expect(other.writes).toEqual(["PUT /repositories/{workspace}/{repo_slug}/override-settings"]);
    expect((await asOwner(emu, "GET", `/repositories/${ws}/${enc(parent.uuid)}/override-settings`)).body.override_settings.branching_model).toBe(true);
    await provider("OverrideSettings").delete(other.id, other.outs);
  });
});

describe("Webhook take-over", () => {
  const hooksPath = `/repositories/${ws}/${enc(parent.uuid)}/hooks`;
  const hook = { url: "https://ci.example.com/takeover", description: "CI", events: ["repo:push"] };
  const args = { workspace: ws, repository: parent.uuid, ...hook };

  test("a hook identical to the program is taken over without a write", async () => {
    const existing = (await asOwner(emu, "POST", hooksPath, { ...hook, active: true })).body;
    const { id, writes: made } = await createCountingWrites("Webhook", args);
    expect(id).toBe(existing.uuid);
    expect(made).toEqual([]);
    await asOwner(emu, "DELETE", `${hooksPath}/${enc(existing.uuid)}`);
  });

  test("a hook with a secret (never shown by the API) gets the program's secret: one PUT", async () => {
    const existing = (await asOwner(emu, "POST", hooksPath, { ...hook, active: true, secret: "old-secret" })).body;
    const { id, outs, writes: made } = await createCountingWrites("Webhook", { ...args, secret: "new-secret" });
    expect(id).toBe(existing.uuid);
    expect(made).toEqual(["PUT /repositories/{workspace}/{repo_slug}/hooks/{uid}"]);
    expect(outs.secretSet).toBe(true);
    await asOwner(emu, "DELETE", `${hooksPath}/${enc(existing.uuid)}`);
  });

  test("an inactive hook the program wants active is activated: one PUT", async () => {
    const existing = (await asOwner(emu, "POST", hooksPath, { ...hook, active: false })).body;
    const { id, outs, writes: made } = await createCountingWrites("Webhook", { ...args, active: true });
    expect(id).toBe(existing.uuid);
    expect(made).toEqual(["PUT /repositories/{workspace}/{repo_slug}/hooks/{uid}"]);
    expect(outs.active).toBe(true);
    await asOwner(emu, "DELETE", `${hooksPath}/${enc(existing.uuid)}`);
  });
});

describe("what a creation takes over with other settings is reported (another stack may manage it: Bitbucket cannot tell)", () => {
  let notices: string[] = [];
  beforeEach(() => {
    notices = [];
    useOwner(emu, { ...FAST, notify: (message) => notices.push(message) });
  });
  afterAll(() => useOwner(emu));

  async function freshRepository(name: string) {
    const { id, outs } = await create("Repository", { workspace: ws, name });
    // Made by an earlier run: what is added to it since may be taken over.
    startNewRun();
    return { uuid: id, remove: () => provider("Repository").delete(id, outs) };
  }
  const TAKEN_OVER =
    "taken over by this resource. If another stack or program manages the same (Bitbucket cannot tell), the two will undo each other's changes.";

  test("GroupPermission and UserPermission over a grant with another permission name it; over an identical grant or none, nothing is said", async () => {
    const repo = await freshRepository("Takeover Notices Grants");
    const grants = `/repositories/${ws}/${enc(repo.uuid)}/permissions-config`;
    await asOwner(emu, "PUT", `${grants}/groups/${GROUPS.developers}`, { permission: "admin" });
    await asOwner(emu, "PUT", `${grants}/users/${USERS.bob.account_id}`, { permission: "write" });
    await create("GroupPermission", { workspace: ws, repository: repo.uuid, groupSlug: GROUPS.developers, permission: "read" });
    await create("UserPermission", { workspace: ws, repository: repo.uuid, user: USERS.bob.account_id, permission: "read" });
    await create("GroupPermission", { workspace: ws, repository: repo.uuid, groupSlug: GROUPS.developers, permission: "read" });
    await create("GroupPermission", { workspace: ws, repository: repo.uuid, groupSlug: GROUPS.contractors, permission: "read" });
    expect(notices).toEqual([
      `GroupPermission: group developers already had admin access to ${ws}/${repo.uuid}, now read: ${TAKEN_OVER}`,
      `UserPermission: user ${USERS.bob.account_id} already had write access to ${ws}/${repo.uuid}, now read: ${TAKEN_OVER}`,
    ]);
    await repo.remove();
  });

  test("RepositoryAccess and ProjectAccess name the live grants they change or remove, not those they keep", async () => {
    const repo = await freshRepository("Takeover Notices Access");
    const grants = `/repositories/${ws}/${enc(repo.uuid)}/permissions-config`;
    await asOwner(emu, "PUT", `${grants}/groups/${GROUPS.contractors}`, { permission: "write" });
    await asOwner(emu, "PUT", `${grants}/groups/${GROUPS.developers}`, { permission: "read" });
    await asOwner(emu, "PUT", `${grants}/groups/${GROUPS.administrators}`, { permission: "read" });
    await create("RepositoryAccess", { workspace: ws, repository: repo.uuid, groups: { [GROUPS.developers]: "read", [GROUPS.administrators]: "admin" } });
    await asOwner(emu, "PUT", `/workspaces/${ws}/projects/WEB/permissions-config/users/${USERS.bob.account_id}`, { permission: "write" });
    await create("ProjectAccess", { workspace: ws, project: "WEB", users: {} });
    expect(notices).toEqual([
      `RepositoryAccess: repository ${ws}/${repo.uuid} already had grants this resource changes (group contractors: write, removed; group administrators: read, set to admin): ${TAKEN_OVER}`,
      `ProjectAccess: project ${ws}/WEB already had grants this resource changes (user ${USERS.bob.account_id}: write, removed): ${TAKEN_OVER}`,
    ]);
    await repo.remove();
  });

  test("Webhook and RepositoryWebhooks over hooks with other settings name them (never their URL, which may hold a token)", async () => {
    const repo = await freshRepository("Takeover Notices Hooks");
    const url = "https://ci.example.com/hook?token=do-not-print";
    const hooksPath = `/repositories/${ws}/${enc(repo.uuid)}/hooks`;
    const existing = (await asOwner(emu, "POST", hooksPath, { url, description: "CI", events: ["repo:push"], active: false })).body;
    await create("Webhook", { workspace: ws, repository: repo.uuid, url, description: "CI", events: ["repo:push"] });
    await create("RepositoryWebhooks", {
      workspace: ws,
      repository: repo.uuid,
      webhooks: { deploy: { url: "https://deploy.example.com/hook", events: ["repo:push"] } },
    });
    expect(notices).toEqual([
      `Webhook: ${ws}/${repo.uuid} already had a webhook with this URL, events and description (${existing.uuid}, inactive), now set to the program's settings: ${TAKEN_OVER}`,
      `RepositoryWebhooks: ${ws}/${repo.uuid} already had webhooks this resource changes ("CI": deleted): ${TAKEN_OVER}`,
    ]);
    expect(notices.join("\n")).not.toContain("do-not-print");
    await repo.remove();
  });

  test("OverrideSettings over an override someone set to other values names it; over inherited settings, nothing is said", async () => {
    const repo = await freshRepository("Takeover Notices Overrides");
    await create("OverrideSettings", { workspace: ws, repository: repo.uuid, defaultMergeStrategy: true });
    await create("OverrideSettings", { workspace: ws, repository: repo.uuid, defaultMergeStrategy: true });
    expect(notices).toEqual([]);
    await create("OverrideSettings", { workspace: ws, repository: repo.uuid, branchingModel: true });
    expect(notices).toEqual([
      `OverrideSettings: ${ws}/${repo.uuid} already overrode its project's settings ({"defaultMergeStrategy":true,"branchingModel":false}): ${TAKEN_OVER}`,
    ]);
    await repo.remove();
  });
});
