import { CREDENTIALS, GROUPS, USERS, WORKSPACES } from "../../emulator";
import { configure } from "../../provider/runtime";
import { asOwner, checked, create, Emulator, enc, ownerConfig, provider, refreshAndDiff, refreshCost, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("RepositoryAccess");
const ws = WORKSPACES.acme.slug;
const { alice, bob } = USERS;

async function newRepository(name: string) {
  const { id, outs } = await create("Repository", { workspace: ws, name });
  return { uuid: id, state: outs };
}

/** The explicit grants Bitbucket holds on the repository, as two maps (users by account id). */
async function liveGrants(uuid: string) {
  const base = `/repositories/${ws}/${enc(uuid)}/permissions-config`;
  const groups = (await asOwner(emu, "GET", `${base}/groups`)).body.values;
  const users = (await asOwner(emu, "GET", `${base}/users`)).body.values;
  return {
    groups: Object.fromEntries(groups.map((g: any) => [g.group.slug, g.permission])),
    users: Object.fromEntries(users.map((u: any) => [u.user.account_id, u.permission])),
  };
}

const grantPath = (uuid: string, collection: "groups" | "users", who: string) => `/repositories/${ws}/${enc(uuid)}/permissions-config/${collection}/${who}`;

test("lifecycle: create sets exactly the declared grants, refresh is clean and costs one list call per collection, update and delete", async () => {
  const { uuid } = await newRepository("Access Lifecycle");
  const args = { workspace: ws, repository: uuid, groups: { [GROUPS.developers]: "write" }, users: { [bob.account_id]: "read" } };
  const { id, outs } = await create("RepositoryAccess", args);
  expect(id).toBe(`${ws}/${uuid}`);
  expect(outs).toEqual({ ...args, repositoryUuid: uuid, managedArguments: ["groups", "repository", "users", "workspace"] });
  expect(await liveGrants(uuid)).toEqual({ groups: args.groups, users: args.users });

  const { read, diff } = await refreshAndDiff("RepositoryAccess", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

  const cost = await refreshCost(emu, "RepositoryAccess", id, outs);
  expect(cost.byRoute).toEqual({
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/groups": 1,
    "GET /repositories/{workspace}/{repo_slug}/permissions-config/users": 1,
  });
  console.log(`refresh cost: RepositoryAccess = ${cost.calls} API call(s) (one list call per collection page)`);

  const next = { ...args, groups: { [GROUPS.developers]: "admin", [GROUPS.contractors]: "read" }, users: { [alice.account_id]: "write" } };
  const news = await checked("RepositoryAccess", next);
  expect((await p.diff(id, outs, news)).changes).toBe(true);
  const { outs: after } = await p.update(id, outs, news);
  expect(await liveGrants(uuid)).toEqual({ groups: next.groups, users: next.users });

  await p.delete(id, after);
  expect(await liveGrants(uuid)).toEqual({ groups: {}, users: {} });
});

test("grants added by hand are drift naming the group and the user, and update removes them", async () => {
  const { uuid } = await newRepository("Access Drift");
  const args = { workspace: ws, repository: uuid, groups: { [GROUPS.developers]: "read" }, users: {} };
  const { id, outs } = await create("RepositoryAccess", args);
  await asOwner(emu, "PUT", grantPath(uuid, "groups", GROUPS.contractors), { permission: "admin" });
  await asOwner(emu, "PUT", grantPath(uuid, "users", bob.account_id), { permission: "write" });

  const { read, diff } = await refreshAndDiff("RepositoryAccess", id, outs, args);
  expect(read.inputs).toEqual({ workspace: ws, repository: uuid, groups: { developers: "read", contractors: "admin" }, users: { [bob.account_id]: "write" } });
  expect(diff?.changes).toBe(true);

  await p.update(id, read.props!, await checked("RepositoryAccess", args));
  expect(await liveGrants(uuid)).toEqual({ groups: { developers: "read" }, users: {} });
  const clean = await refreshAndDiff("RepositoryAccess", id, outs, args);
  expect(clean.diff?.changes).toBe(false);
});

test("creating takes over the repository's grants: those not declared are removed", async () => {
  const { uuid } = await newRepository("Access Takeover");
  await asOwner(emu, "PUT", grantPath(uuid, "groups", GROUPS.administrators), { permission: "admin" });
  await asOwner(emu, "PUT", grantPath(uuid, "users", alice.account_id), { permission: "admin" });
  await create("RepositoryAccess", { workspace: ws, repository: uuid, groups: { [GROUPS.developers]: "write" }, users: { [alice.account_id]: "read" } });
  expect(await liveGrants(uuid)).toEqual({ groups: { developers: "write" }, users: { [alice.account_id]: "read" } });
});

test("a collection left unset is not managed: neither read nor changed", async () => {
  const { uuid } = await newRepository("Access Groups Only");
  await asOwner(emu, "PUT", grantPath(uuid, "users", bob.account_id), { permission: "admin" });
  const args = { workspace: ws, repository: uuid, groups: { [GROUPS.developers]: "read" } };
  const { id, outs } = await create("RepositoryAccess", args);
  expect(outs.users).toBeUndefined();
  const cost = await refreshCost(emu, "RepositoryAccess", id, outs);
  expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/permissions-config/groups": 1 });
  await p.delete(id, outs);
  expect(await liveGrants(uuid)).toEqual({ groups: {}, users: { [bob.account_id]: "admin" } });
});

test("users declared by {uuid} compare with the live grants without a perpetual diff", async () => {
  const { uuid } = await newRepository("Access By Uuid");
  const args = { workspace: ws, repository: uuid, users: { [alice.uuid]: "write" } };
  const { id, outs } = await create("RepositoryAccess", args);
  const { read, diff } = await refreshAndDiff("RepositoryAccess", id, outs, args);
  expect(read.inputs).toMatchObject({ users: { [alice.uuid]: "write" } });
  expect(diff?.changes).toBe(false);
});

test("the ID is the repository's UUID even when a slug is given, so a rename changes nothing", async () => {
  const { uuid, state } = await newRepository("Access Renamed");
  const args = { workspace: ws, repository: "access-renamed", groups: { [GROUPS.developers]: "write" } };
  const { id, outs } = await create("RepositoryAccess", args);
  expect(id).toBe(`${ws}/${uuid}`);
  await provider("Repository").update(uuid, state, await checked("Repository", { workspace: ws, name: "Access Renamed Again" }));
  const { read, diff } = await refreshAndDiff("RepositoryAccess", id, outs, args);
  expect(read.props).toMatchObject({ groups: { developers: "write" } });
  expect(diff?.changes).toBe(false);
});

test("Bitbucket's rules come back as messages: the owner, a non-member, an unknown group", async () => {
  const { uuid } = await newRepository("Access Rules");
  const attempt = (args: Record<string, unknown>) => create("RepositoryAccess", { workspace: ws, repository: uuid, ...args });
  await expect(attempt({ users: { [USERS.acmeOwner.account_id]: "admin" } })).rejects.toThrow(/owns workspace acme.*not its owner/s);
  await expect(attempt({ users: { [USERS.mallory.account_id]: "read" } })).rejects.toThrow(/not a member of workspace acme.*invite them first/s);
  await expect(attempt({ groups: { ghosts: "read" } })).rejects.toThrow(/Cannot grant group ghosts access.*Is ghosts a group of workspace acme\?/s);
});

test("check names each bad key and permission; an access token is refused at preview", async () => {
  const r = await p.check({}, { workspace: ws, repository: "r", groups: { "Dev Team": "read", developers: "owner" }, users: { "not a user!": "read" } });
  expect(r.failures?.map((f) => f.property).sort()).toEqual(["groups.Dev Team", "groups.developers", "users.not a user!"]);
  expect(r.failures?.find((f) => f.property === "groups.developers")?.reason).toMatch(/must be one of read, write, admin/);

  configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token });
  try {
    const refused = await p.check({}, { workspace: ws, repository: "r", groups: { developers: "read" } });
    expect(refused.failures).toEqual([{ property: "groups", reason: expect.stringMatching(/groups cannot be managed with an access token/) }]);
  } finally {
    configure(ownerConfig(emu));
  }
  expect((await p.check({}, { workspace: ws, repository: "r", groups: { developers: "read" } })).failures).toBeUndefined();
});
