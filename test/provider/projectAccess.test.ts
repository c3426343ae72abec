import { CREDENTIALS, GROUPS, PROJECTS, USERS, WORKSPACES } from "../../emulator";
import { configure } from "../../provider/runtime";
import { asOwner, checked, create, Emulator, ownerConfig, provider, refreshAndDiff, refreshCost, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("ProjectAccess");
const ws = WORKSPACES.acme.slug;
const { alice, bob } = USERS;
const base = (key: string) => `/workspaces/${ws}/projects/${key}/permissions-config`;

/** The project's explicit grants as two maps (users by account id). */
async function liveGrants(key: string) {
  const groups = (await asOwner(emu, "GET", `${base(key)}/groups`)).body.values;
  const users = (await asOwner(emu, "GET", `${base(key)}/users`)).body.values;
  return {
    groups: Object.fromEntries(groups.map((g: any) => [g.group.slug, g.permission])),
    users: Object.fromEntries(users.map((u: any) => [u.user.account_id, u.permission])),
  };
}

test("lifecycle: create takes over the project's grants, refresh is clean and costs one list call per collection, update and delete", async () => {
  const key = PROJECTS.plat.key;
  const args = { workspace: ws, project: key, groups: { [GROUPS.developers]: "create-repo" }, users: { [alice.account_id]: "admin" } };
  const { id, outs } = await create("ProjectAccess", args);
  expect(id).toBe(`${ws}/${key}`);
  // The seed's other grants on PLAT (administrators, bob) were not declared: gone.
  expect(await liveGrants(key)).toEqual({ groups: args.groups, users: args.users });

  const { read, diff } = await refreshAndDiff("ProjectAccess", id, outs, args);
  expect(read.props).toEqual(outs);
  expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
  const cost = await refreshCost(emu, "ProjectAccess", id, outs);
  expect(cost.byRoute).toEqual({
    "GET /workspaces/{workspace}/projects/{project_key}/permissions-config/groups": 1,
    "GET /workspaces/{workspace}/projects/{project_key}/permissions-config/users": 1,
  });
  console.log(`refresh cost: ProjectAccess = ${cost.calls} API call(s) (one list call per collection page)`);

  const next = { ...args, groups: { [GROUPS.developers]: "read", [GROUPS.administrators]: "admin" }, users: {} };
  const { outs: after } = await p.update(id, outs, await checked("ProjectAccess", next));
  expect(await liveGrants(key)).toEqual({ groups: next.groups, users: {} });

  await p.delete(id, after);
  expect(await liveGrants(key)).toEqual({ groups: {}, users: {} });
});

test("grants added by hand are drift naming them, and update removes them", async () => {
  const key = PROJECTS.web.key;
  const args = { workspace: ws, project: key, groups: { [GROUPS.developers]: "read" }, users: {} };
  const { id, outs } = await create("ProjectAccess", args);
  await asOwner(emu, "PUT", `${base(key)}/groups/${GROUPS.contractors}`, { permission: "write" });
  await asOwner(emu, "PUT", `${base(key)}/users/${bob.account_id}`, { permission: "create-repo" });

  const { read, diff } = await refreshAndDiff("ProjectAccess", id, outs, args);
  expect(read.inputs).toEqual({
    workspace: ws,
    project: key,
    groups: { developers: "read", contractors: "write" },
    users: { [bob.account_id]: "create-repo" },
  });
  expect(diff?.changes).toBe(true);
  await p.update(id, read.props!, await checked("ProjectAccess", args));
  expect(await liveGrants(key)).toEqual({ groups: { developers: "read" }, users: {} });
});

test("a project that does not exist reads as gone; rules and access tokens are refused with reasons", async () => {
  expect(await p.read(`${ws}/NOPE`, { workspace: ws, project: "NOPE", groups: {} })).toEqual({});
  await expect(create("ProjectAccess", { workspace: ws, project: PROJECTS.web.key, users: { [USERS.mallory.account_id]: "read" } })).rejects.toThrow(
    /not a member of workspace acme/,
  );

  const bad = await p.check({}, { workspace: ws, project: "web-site", groups: { developers: "owner" } });
  expect(bad.failures?.map((f) => f.property).sort()).toEqual(["groups.developers", "project"]);
  expect(bad.failures?.find((f) => f.property === "groups.developers")?.reason).toMatch(/read, write, create-repo, admin/);

  configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessToken.token });
  try {
    const refused = await p.check({}, { workspace: ws, project: "WEB", users: {} });
    expect(refused.failures?.[0]).toMatchObject({ property: "users", reason: expect.stringMatching(/access token/) });
  } finally {
    configure(ownerConfig(emu));
  }
});
