// Creates without needless reads: on a repository this run created, a create writes first (one
// request); the look for what is there happens only where it prevents harm: after a lost or failed
// answer, on a repository of an earlier run, and in the recovery mode (adoptExisting).
import { GROUPS, USERS, WORKSPACES } from "../../emulator";
import { configure, startNewRun } from "../../provider/runtime";
import { admin, asOwner, clearCounters, counters, create, Emulator, enc, ownerConfig, script, startWithProvider, useOwner } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
let made = 0;

/** A repository created by this run, addressed by UUID and by slug. */
async function newRepository() {
  const { id, outs } = await create("Repository", { workspace: ws, name: `Create Cost ${++made}` });
  return { uuid: id, slug: String(outs.slug) };
}

/** What creating `kind` with `args` cost: the routes of the requests it made. */
async function cost(kind: Parameters<typeof create>[0], args: Record<string, unknown>) {
  await clearCounters(emu);
  const result = await create(kind, args);
  const { byRoute, total } = await counters(emu);
  return { ...result, total, routes: Object.keys(byRoute).sort() };
}

const hooksOf = async (uuid: string) =>
  (await asOwner(emu, "GET", `/repositories/${ws}/${enc(uuid)}/hooks?pagelen=100`)).body.values as { uuid: string; url: string }[];
const hook = (repository: string, url: string) => ({ workspace: ws, repository, url, events: ["repo:push"], secret: "s" });

describe("a create on a repository this run created is one write", () => {
  test.each([
    ["Webhook", (r: { uuid: string }) => hook(r.uuid, "https://ci.example.com/one"), "POST /repositories/{workspace}/{repo_slug}/hooks"],
    [
      "GroupPermission",
      (r: { uuid: string }) => ({ workspace: ws, repository: r.uuid, groupSlug: GROUPS.developers, permission: "write" }),
      "PUT /repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}",
    ],
    [
      "UserPermission",
      (r: { slug: string }) => ({ workspace: ws, repository: r.slug, user: USERS.bob.account_id, permission: "read" }),
      "PUT /repositories/{workspace}/{repo_slug}/permissions-config/users/{selected_user_id}",
    ],
    [
      "OverrideSettings",
      (r: { uuid: string }) => ({ workspace: ws, repository: r.uuid, branchingModel: true }),
      "PUT /repositories/{workspace}/{repo_slug}/override-settings",
    ],
    [
      "BranchRestriction",
      (r: { uuid: string }) => ({ workspace: ws, repository: r.uuid, kind: "force", pattern: "main" }),
      "POST /repositories/{workspace}/{repo_slug}/branch-restrictions",
    ],
  ] as const)("%s", async (kind, args, write) => {
    const repository = await newRepository();
    const { total, routes } = await cost(kind, args(repository));
    expect({ total, routes }).toEqual({ total: 1, routes: [write] });
  });
});

describe("the look before writing stays where it prevents harm", () => {
  test("on a repository of an earlier run, a Webhook lists the hooks first and takes over an identical one instead of making a second", async () => {
    const repository = await newRepository();
    startNewRun();
    const byHand = (
      await asOwner(emu, "POST", `/repositories/${ws}/${enc(repository.uuid)}/hooks`, { url: "https://ci.example.com/by-hand", events: ["repo:push"] })
    ).body;
    const { id, routes } = await cost("Webhook", { ...hook(repository.uuid, "https://ci.example.com/by-hand"), secret: undefined });
    expect(id).toBe(byHand.uuid);
    expect(routes).toEqual(["GET /repositories/{workspace}/{repo_slug}/hooks"]);
    expect((await hooksOf(repository.uuid)).length).toBe(1);
  });

  test("on a repository of an earlier run, a GroupPermission reads the grant first (a different one is reported as taken over)", async () => {
    const repository = await newRepository();
    startNewRun();
    const { total } = await cost("GroupPermission", { workspace: ws, repository: repository.uuid, groupSlug: GROUPS.developers, permission: "write" });
    expect(total).toBe(2);
  });

  test("a Webhook POST whose answer is lost on a new repository: one list after it finds the hook, none is made twice", async () => {
    const repository = await newRepository();
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${enc(repository.uuid)}/hooks`, lostResponse: true }]);
    const { id, total, routes } = await cost("Webhook", hook(repository.uuid, "https://ci.example.com/lost"));
    expect({ total, routes }).toEqual({
      total: 2,
      routes: ["GET /repositories/{workspace}/{repo_slug}/hooks", "POST /repositories/{workspace}/{repo_slug}/hooks"],
    });
    expect((await hooksOf(repository.uuid)).map((h) => h.uuid)).toEqual([id]);
  });

  test("with the emulator losing half the answers to writes (lostResponseRate 0.5), webhooks on a new repository are each made once", async () => {
    const repository = await newRepository();
    await admin(emu, "PUT", "/config", { lostResponseRate: 0.5 });
    try {
      const urls = Array.from({ length: 12 }, (_, i) => `https://ci.example.com/lossy-${i}`);
      const ids = await Promise.all(urls.map(async (url) => (await create("Webhook", hook(repository.uuid, url))).id));
      const live = await hooksOf(repository.uuid);
      expect(live.map((h) => h.url).sort()).toEqual([...urls].sort());
      expect(live.map((h) => h.uuid).sort()).toEqual([...ids].sort());
    } finally {
      await admin(emu, "PUT", "/config", { lostResponseRate: 0 });
    }
  });

  test("a Webhook POST answered 503 on a new repository is sent again only after the list shows nothing was made", async () => {
    const repository = await newRepository();
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${enc(repository.uuid)}/hooks`, status: 503 }]);
    const { id } = await cost("Webhook", hook(repository.uuid, "https://ci.example.com/503"));
    const { byRoute } = await counters(emu);
    expect(byRoute).toEqual({ "POST /repositories/{workspace}/{repo_slug}/hooks": 2, "GET /repositories/{workspace}/{repo_slug}/hooks": 1 });
    expect((await hooksOf(repository.uuid)).map((h) => h.uuid)).toEqual([id]);
  });

  test("in the recovery mode (adoptExisting) a create looks first even on a repository this run created", async () => {
    const repository = await newRepository();
    configure({ ...ownerConfig(emu), "bitbucket:adoptExisting": "true" });
    try {
      const { routes } = await cost("Webhook", hook(repository.uuid, "https://ci.example.com/recovery"));
      expect(routes).toEqual(["GET /repositories/{workspace}/{repo_slug}/hooks", "POST /repositories/{workspace}/{repo_slug}/hooks"]);
    } finally {
      useOwner(emu);
    }
  });

  test("a repository taken over with adopt: true is not one this run created: creates on it look first", async () => {
    const repository = await newRepository();
    startNewRun();
    await create("Repository", { workspace: ws, name: `Create Cost ${made}`, adopt: true });
    const { total } = await cost("OverrideSettings", { workspace: ws, repository: repository.slug, branchingModel: true });
    expect(total).toBe(2);
  });
});
