// Reads that come together are served by one list of their collection (provider/client/merge.ts,
// mergedReads.ts), counted on the emulator's request log; a list serves the reads of the next seconds
// but never hides a write of this client, and never calls a resource deleted because it did not return it.
import { CREDENTIALS, generatedRepository, REPOSITORIES, USERS, WORKSPACES } from "../../emulator";
import { createClient, isNotFound } from "../../provider/client";
import { HookObject } from "../../provider/client/api";
import { MERGED_LIST_PAGES } from "../../provider/client/merge";
import type { Credentials } from "../../provider/client/auth";
import type { FetchLike } from "../../provider/client/http";
import { asOwner, clearCounters, counters, create, Emulator, enc, FAST, provider, requests, script, startWithProvider } from "./helpers";

const GENERATED = 120;
let emu: Emulator;
const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi.uuid;
const hooks: string[] = [];

beforeAll(async () => {
  emu = await startWithProvider({ seed: { base: "default", extraRepositories: GENERATED } });
  for (const n of [1, 2, 3]) {
    const hook = await asOwner(emu, "POST", `/repositories/${ws}/${enc(repo)}/hooks`, { url: `https://ci.example.com/${n}`, events: ["repo:push"] });
    expect(hook.status).toBe(201);
    hooks.push(hook.body.uuid);
  }
  expect((await asOwner(emu, "PUT", `/repositories/${ws}/${enc(repo)}/permissions-config/users/${enc(USERS.bob.uuid)}`, { permission: "read" })).status).toBe(
    200,
  );
});
afterAll(() => emu.stop());
beforeEach(async () => {
  await script(emu, []);
  await clearCounters(emu);
});

const owner: Credentials = { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };
const client = (options: { fetch?: FetchLike; maxPages?: number; recentListMs?: number; listAlone?: () => boolean } = {}) =>
  createClient({ apiUrl: emu.apiUrl, credentials: owner }, { retry: FAST.retry, ...options });
/** A client whose reads are a refresh's, as the provider's are within `read` (runtime.ts). */
const refreshing = (options: Parameters<typeof client>[0] = {}) => client({ listAlone: () => true, ...options });
const routes = async () => (await counters(emu)).byRoute;
const HOOKS = "GET /repositories/{workspace}/{repo_slug}/hooks";
const HOOK = "GET /repositories/{workspace}/{repo_slug}/hooks/{uid}";

test("hooks of one repository read together: one list, each answer what its own GET answers", async () => {
  const c = client();
  const merged = await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
  expect(await routes()).toEqual({ [HOOKS]: 1 });
  const alone = [];
  for (const uid of hooks) alone.push(HookObject.parse((await asOwner(emu, "GET", `/repositories/${ws}/${enc(repo)}/hooks/${enc(uid)}`)).body));
  expect(merged).toEqual(alone);
});

test("a read alone in its window is one GET, not a list (a look before a create: a miss in a list would cost a GET more)", async () => {
  await client().api.getHook(ws, repo, hooks[0]);
  expect(await routes()).toEqual({ [HOOK]: 1 });
});

test("in a refresh, a read alone of a collection listed whole sends the list (one request, as its GET) that serves the reads of the next seconds", async () => {
  const c = refreshing();
  const read = [];
  for (const uid of hooks) read.push((await c.api.getHook(ws, repo, uid)).uuid);
  expect(read).toEqual(hooks);
  expect(await routes()).toEqual({ [HOOKS]: 1 });
});

test("a repository read alone by uuid is one GET (a BBQL filter of one uuid would serve no other read)", async () => {
  await client().api.getRepository(ws, repo);
  expect(await routes()).toEqual({ "GET /repositories/{workspace}/{repo_slug}": 1 });
});

test(`repositories read together by uuid: one BBQL list per 100 (${GENERATED + 1} repositories, 2 requests)`, async () => {
  const c = client();
  const uuids = [repo, ...Array.from({ length: GENERATED }, (_, i) => generatedRepository(i + 1).uuid)];
  const read = await Promise.all(uuids.map((uuid) => c.api.getRepository(ws, uuid)));
  expect(read.map((r) => r.uuid)).toEqual(uuids);
  expect(read[0].full_name).toBe(`${ws}/${REPOSITORIES.platformApi.slug}`);
  expect(await routes()).toEqual({ "GET /repositories/{workspace}": 2 });
  const queries = (await requests(emu)).map((r) => new URL(r.path, emu.url).searchParams);
  expect(queries.map((q) => q.get("pagelen"))).toEqual(["100", "100"]);
  expect(queries.map((q) => q.get("q")!.split(" OR ").length).sort()).toEqual([100, 21].sort());
  expect(queries[0].get("q")).toMatch(/^uuid="\{[0-9a-f-]+\}"( OR uuid="\{[0-9a-f-]+\}")+$/);
});

test("a repository's group grants and user grants read together: one list each, never the effective permissions", async () => {
  const c = client();
  const [developers, administrators, alice, bob] = await Promise.all([
    c.api.repositoryGrants.groups.get(ws, repo, "developers"),
    c.api.repositoryGrants.groups.get(ws, repo, "administrators"),
    c.api.repositoryGrants.users.get(ws, repo, USERS.alice.account_id),
    c.api.repositoryGrants.users.get(ws, repo, USERS.bob.uuid),
  ]);
  expect([developers.permission, administrators.permission, alice.permission, bob.permission]).toEqual(["write", "admin", "write", "read"]);
  expect([developers.group.slug, alice.user.account_id, bob.user.uuid]).toEqual(["developers", USERS.alice.account_id, USERS.bob.uuid]);
  expect(await routes()).toEqual({
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/groups": 1,
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/users": 1,
  });
});

describe("merging never hides a write", () => {
  test("a write finished before the reads: the merged list sees it", async () => {
    const c = client();
    await c.api.updateHook(ws, repo, hooks[0], { url: "https://ci.example.com/changed", events: ["repo:push"] });
    const [first] = await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    expect(first.url).toBe("https://ci.example.com/changed");
    expect((await routes())[HOOKS]).toBe(1);
  });

  test("a write in flight when the reads are issued: the merged list is sent after it, and sees it", async () => {
    // Every write takes 150 ms to leave: a list sent at once would be answered before it.
    const slowWrites: FetchLike = async (input, init) => {
      if (init?.method && init.method !== "GET") await new Promise((resolve) => setTimeout(resolve, 150));
      return globalThis.fetch(input, init);
    };
    const c = client({ fetch: slowWrites });
    const write = c.api.updateHook(ws, repo, hooks[1], { url: "https://ci.example.com/in-flight", events: ["repo:push"] });
    const reads = await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    await write;
    expect(reads[1].url).toBe("https://ci.example.com/in-flight");
    const log = (await requests(emu)).map((r) => `${r.method} ${r.route}`);
    expect(log).toEqual(["PUT /repositories/{workspace}/{repo_slug}/hooks/{uid}", HOOKS]);
  });
});

describe("a list serves the reads after it for a few seconds, never across a write of this client", () => {
  test("a write of this client after the list: the next read sends a new list, which sees the write", async () => {
    const c = refreshing();
    await c.api.getHook(ws, repo, hooks[0]);
    await c.api.updateHook(ws, repo, hooks[0], { url: "https://ci.example.com/after-the-list", events: ["repo:push"] });
    expect((await c.api.getHook(ws, repo, hooks[0])).url).toBe("https://ci.example.com/after-the-list");
    expect((await routes())[HOOKS]).toBe(2);
  });

  test("a list sent while a write of this client was in flight serves no read after it", async () => {
    const slowWrites: FetchLike = async (input, init) => {
      if (init?.method && init.method !== "GET") await new Promise((resolve) => setTimeout(resolve, 150));
      return globalThis.fetch(input, init);
    };
    const c = refreshing({ fetch: slowWrites });
    const write = c.api.updateHook(ws, repo, hooks[1], { url: "https://ci.example.com/during-the-list", events: ["repo:push"] });
    await c.api.getHook(ws, repo, hooks[0]);
    await write;
    expect((await c.api.getHook(ws, repo, hooks[1])).url).toBe("https://ci.example.com/during-the-list");
    expect((await routes())[HOOKS]).toBe(2);
  });

  test("a read that comes while its collection's list is on its way is served by that list, not a second one", async () => {
    const slowLists: FetchLike = async (input, init) => {
      if (/\/hooks\?/.test(String(input))) await new Promise((resolve) => setTimeout(resolve, 100));
      return globalThis.fetch(input, init);
    };
    const c = refreshing({ fetch: slowLists });
    const first = c.api.getHook(ws, repo, hooks[0]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const second = c.api.getHook(ws, repo, hooks[1]);
    expect([(await first).uuid, (await second).uuid]).toEqual([hooks[0], hooks[1]]);
    expect(await routes()).toEqual({ [HOOKS]: 1 });
  });

  test("a second read of one object asks again (a check after a change made elsewhere sees it)", async () => {
    const c = refreshing();
    await c.api.getHook(ws, repo, hooks[0]);
    await c.api.getHook(ws, repo, hooks[0]);
    expect(await routes()).toEqual({ [HOOKS]: 2 });
  });

  test("past its time the list serves nothing: the next read asks again", async () => {
    const c = refreshing({ recentListMs: 50 });
    await c.api.getHook(ws, repo, hooks[0]);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await c.api.getHook(ws, repo, hooks[1]);
    expect(await routes()).toEqual({ [HOOKS]: 2 });
  });

  test("an object added by another writer after the list is not called gone: its read asks Bitbucket", async () => {
    const c = refreshing();
    await c.api.getHook(ws, repo, hooks[0]);
    const added = await asOwner(emu, "POST", `/repositories/${ws}/${enc(repo)}/hooks`, { url: "https://ci.example.com/by-hand", events: ["repo:push"] });
    expect((await c.api.getHook(ws, repo, added.body.uuid)).url).toBe("https://ci.example.com/by-hand");
    expect(await routes()).toEqual({ [HOOKS]: 2, "POST /repositories/{workspace}/{repo_slug}/hooks": 1 });
    expect((await asOwner(emu, "DELETE", `/repositories/${ws}/${enc(repo)}/hooks/${enc(added.body.uuid)}`)).status).toBe(204);
  });
});

describe("a resource the list does not return is read on its own before it is called deleted", () => {
  // Bitbucket's list answers without the hooks (as a list filtered or paged oddly might).
  const listsNothing: FetchLike = async (input, init) => {
    const res = await globalThis.fetch(input, init);
    if (!/\/hooks\?/.test(String(input))) return res;
    const page = (await res.json()) as Record<string, unknown>;
    return new Response(JSON.stringify({ ...page, values: [], size: 0 }), { status: res.status, headers: res.headers });
  };

  test("one that exists is returned from its own GET, one that is gone is a 404 (deleted)", async () => {
    const c = client({ fetch: listsNothing });
    const gone = "{00000000-0000-4000-8000-00000000dead}";
    const [exists, missing] = await Promise.allSettled([c.api.getHook(ws, repo, hooks[2]), c.api.getHook(ws, repo, gone)]);
    expect(exists.status === "fulfilled" && exists.value.uuid).toBe(hooks[2]);
    expect(missing.status === "rejected" && isNotFound(missing.reason)).toBe(true);
    expect(await routes()).toEqual({ [HOOKS]: 1, [HOOK]: 2 });
  });
});

describe("a list that fails: each read on its own, never deleted", () => {
  test("a refused list (403): each read is its own GET, and the collection is not listed again in the run", async () => {
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${enc(repo)}/hooks`, status: 403, times: 1 }]);
    const c = client();
    const read = await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    expect(read.map((h) => h.uuid)).toEqual(hooks);
    expect(await routes()).toEqual({ [HOOKS]: 1, [HOOK]: hooks.length });
    await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    expect(await routes()).toEqual({ [HOOKS]: 1, [HOOK]: 2 * hooks.length });
  });

  test("a refresh of two Webhooks whose list is refused reads each on its own: neither is deleted", async () => {
    const made = [];
    for (const n of [1, 2])
      made.push(await create("Webhook", { workspace: ws, repository: repo, url: `https://ci.example.com/refresh-${n}`, events: ["repo:push"] }));
    await script(emu, [{ method: "GET", pathPrefix: `/repositories/${ws}/${enc(repo)}/hooks`, status: 403, times: 1 }]);
    await clearCounters(emu);
    const read = await Promise.all(made.map(({ id, outs }) => provider("Webhook").read(id, outs)));
    expect(read.map((r) => r.id)).toEqual(made.map((m) => m.id));
    expect(await routes()).toEqual({ [HOOKS]: 1, [HOOK]: 2 });
  });

  test(`a list longer than ${MERGED_LIST_PAGES} pages (or whose pages never end) stops there; its reads, and the collection's later ones, are GETs`, async () => {
    await script(emu, [{ method: "GET", nextLink: "endless", times: 100 }]);
    const c = refreshing();
    const read = await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    expect(read.map((h) => h.uuid)).toEqual(hooks);
    expect(await routes()).toEqual({ [HOOKS]: MERGED_LIST_PAGES, [HOOK]: hooks.length });
    await c.api.getHook(ws, repo, hooks[0]);
    expect(await routes()).toEqual({ [HOOKS]: MERGED_LIST_PAGES, [HOOK]: hooks.length + 1 });
  });

  test("the client's own page limit still applies when it is lower (1 here)", async () => {
    await script(emu, [{ method: "GET", nextLink: "endless", times: 100 }]);
    const c = client({ maxPages: 1 });
    await Promise.all(hooks.map((uid) => c.api.getHook(ws, repo, uid)));
    expect(await routes()).toEqual({ [HOOKS]: 1, [HOOK]: hooks.length });
  });
});

test("a refresh of 3 repositories, each with a webhook, a group and a user grant and override settings: one repository list, one request per collection of each", async () => {
  const states: { kind: Parameters<typeof provider>[0]; id: string; outs: Record<string, unknown> }[] = [];
  for (let i = 0; i < 3; i++) {
    const repository = await create("Repository", { workspace: ws, name: `merged-${i}`, isPrivate: true });
    states.push({ kind: "Repository", ...repository });
    const inRepo = { workspace: ws, repository: repository.id };
    states.push({ kind: "Webhook", ...(await create("Webhook", { ...inRepo, url: "https://ci.example.com/m", events: ["repo:push"] })) });
    states.push({ kind: "GroupPermission", ...(await create("GroupPermission", { ...inRepo, groupSlug: "developers", permission: "write" })) });
    states.push({ kind: "UserPermission", ...(await create("UserPermission", { ...inRepo, user: USERS.alice.account_id, permission: "read" })) });
    states.push({ kind: "OverrideSettings", ...(await create("OverrideSettings", { ...inRepo, defaultMergeStrategy: true })) });
  }
  await clearCounters(emu);
  const read = await Promise.all(states.map((s) => provider(s.kind).read(s.id, s.outs)));
  expect(read.map((r) => r.id)).toEqual(states.map((s) => s.id));
  const c = await counters(emu);
  expect(c.byRoute["GET /repositories/{workspace}"]).toBe(1);
  expect(c.total).toBe(1 + 3 * 4);
  // One at a time, as the engine reads with few in flight: each grant collection is listed once per repository.
  const grants = [];
  for (let i = 0; i < 3; i++) {
    const inRepo = { workspace: ws, repository: states[5 * i].id };
    for (const group of ["administrators", "contractors"])
      grants.push({ kind: "GroupPermission" as const, ...(await create("GroupPermission", { ...inRepo, groupSlug: group, permission: "read" })) });
  }
  await clearCounters(emu);
  for (const s of [...states, ...grants]) await provider(s.kind).read(s.id, s.outs);
  expect((await counters(emu)).byRoute).toEqual({
    "GET /repositories/{workspace}/{repo_slug}": 3,
    "GET /repositories/{workspace}/{repo_slug}/hooks": 3,
    "GET /repositories/{workspace}/{repo_slug}/override-settings": 3,
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/groups": 3,
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/users": 3,
  });
});
