// getWorkspace, getProjects, getProject, getWorkspaceMembers, getCurrentUser, getRepositoryPermissions
// and getProjectPermissions against the emulator's seed; and where a read function's credentials come
// from when no client is passed.
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIALS, PROJECTS, USERS, WORKSPACES } from "../../../emulator";
import {
  getCurrentUser,
  getCurrentUserOutput,
  getProject,
  getProjectPermissions,
  getProjects,
  getRepositoryPermissions,
  getWorkspace,
  getWorkspaceMembers,
  getWorkspaceMembersOutput,
} from "../../../provider";
import { BitbucketApiError } from "../../../provider/client";
import { withEmulator } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });

describe("getWorkspace", () => {
  test("a workspace by slug or {uuid}", async () => {
    const acme = await getWorkspace({ workspace: "acme" }, opts());
    expect(acme).toMatchObject({ uuid: WORKSPACES.acme.uuid, slug: "acme", name: "Acme", isPrivate: true, htmlUrl: `${setup.emu.url}/acme/` });
    expect((await getWorkspace({ workspace: WORKSPACES.acme.uuid }, opts())).slug).toBe("acme");
  });

  test("one the caller does not belong to: 404", async () => {
    const err = await getWorkspace({ workspace: "globex" }, opts()).catch((e) => e);
    expect(err).toBeInstanceOf(BitbucketApiError);
    expect(err.status).toBe(404);
  });

  test("a workspace that is not a slug is refused, naming the field", async () => {
    await expect(getWorkspace({ workspace: "a/b" }, opts())).rejects.toThrow(/getWorkspace: .*workspace must be a workspace slug/);
    await expect(getWorkspace({ workspace: "." }, opts())).rejects.toThrow(/getWorkspace: .*workspace must be a workspace slug/);
  });
});

describe("getProjects and getProject", () => {
  test("the projects of a workspace; q, sort and a limit", async () => {
    const { projects } = await getProjects({ workspace: "acme", sort: "key" }, opts());
    expect(projects.map((p) => p.key)).toEqual(["PLAT", "WEB"]);
    expect(projects[0]).toMatchObject({ uuid: PROJECTS.plat.uuid, name: "Platform", isPrivate: true, description: "Services behind the public API" });
    expect((await getProjects({ workspace: "acme", q: 'name = "Web"' }, opts())).projects.map((p) => p.key)).toEqual(["WEB"]);
    expect((await getProjects({ workspace: "acme", limit: 1 }, opts())).projects).toHaveLength(1);
  });

  test("one project by key", async () => {
    expect(await getProject({ workspace: "acme", key: "WEB" }, opts())).toMatchObject({ key: "WEB", uuid: PROJECTS.web.uuid, isPrivate: false });
    await expect(getProject({ workspace: "acme", key: "NOPE" }, opts())).rejects.toMatchObject({ status: 404 });
    await expect(getProject({ workspace: "acme", key: "../x" }, opts())).rejects.toThrow(/getProject: .*key must be a project key/);
  });
});

describe("getWorkspaceMembers", () => {
  test("every member with the account id that UserPermission takes", async () => {
    const { members } = await getWorkspaceMembers({ workspace: "acme" }, opts());
    expect(members.map((m) => m.accountId).sort()).toEqual([USERS.acmeOwner.account_id, USERS.alice.account_id, USERS.bob.account_id].sort());
    expect(members.find((m) => m.nickname === "bob")).toMatchObject({ displayName: "Bob Brown", uuid: USERS.bob.uuid });
    const two = await new Promise<number>((resolve) =>
      getWorkspaceMembersOutput({ workspace: "acme", limit: 2 }, opts()).members.apply((m) => resolve(m.length)),
    );
    expect(two).toBe(2);
  });

  test("not a member: 404", async () => {
    const mallory = setup.clientAs({ kind: "basic", email: USERS.mallory.email, apiToken: CREDENTIALS.mallory.password });
    await expect(getWorkspaceMembers({ workspace: "acme" }, { client: mallory })).rejects.toMatchObject({ status: 404 });
  });
});

describe("getCurrentUser", () => {
  test("the account of the credentials", async () => {
    expect(await getCurrentUser({}, opts())).toMatchObject({ accountId: USERS.acmeOwner.account_id, uuid: USERS.acmeOwner.uuid, displayName: "Acme Owner" });
    const alice = setup.clientAs({ kind: "basic", email: USERS.alice.email, apiToken: CREDENTIALS.alice.password });
    const me = await new Promise<string | undefined>((resolve) => getCurrentUserOutput({}, { client: alice }).apply((u) => resolve(u.nickname)));
    expect(me).toBe("alice");
  });

  test("an access token has no user: 403", async () => {
    const token = setup.clientAs({ kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token });
    await expect(getCurrentUser({}, { client: token })).rejects.toMatchObject({ status: 403 });
  });
});

describe("getRepositoryPermissions", () => {
  test("the explicit group and user grants of a repository", async () => {
    const grants = await getRepositoryPermissions({ repository: "acme/platform-api" }, opts());
    expect(grants.groups.sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: "administrators", groupName: "Administrators", permission: "admin" },
      { group: "developers", groupName: "Developers", permission: "write" },
    ]);
    expect(grants.users).toHaveLength(1);
    expect(grants.users[0]).toMatchObject({ permission: "write", user: { accountId: USERS.alice.account_id, nickname: "alice" } });
  });

  test("needs admin rights: a member without them gets 403", async () => {
    const alice = setup.clientAs({ kind: "basic", email: USERS.alice.email, apiToken: CREDENTIALS.alice.password });
    await expect(getRepositoryPermissions({ repository: "acme/platform-api" }, { client: alice })).rejects.toMatchObject({ status: 403 });
  });

  test("of a missing repository: an error naming it", async () => {
    await expect(getRepositoryPermissions({ workspace: "acme", repository: "nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });
});

describe("getProjectPermissions", () => {
  test("the explicit group and user grants of a project, create-repo included", async () => {
    const grants = await getProjectPermissions({ workspace: "acme", key: "PLAT" }, opts());
    expect(grants.groups.sort((a, b) => a.group.localeCompare(b.group))).toEqual([
      { group: "administrators", groupName: "Administrators", permission: "admin" },
      { group: "developers", groupName: "Developers", permission: "write" },
    ]);
    expect(grants.users).toHaveLength(1);
    expect(grants.users[0]).toMatchObject({ permission: "create-repo", user: { accountId: USERS.bob.account_id } });
    expect((await getProjectPermissions({ workspace: "acme", key: "WEB" }, opts())).groups).toEqual([
      { group: "contractors", groupName: "Contractors", permission: "read" },
    ]);
  });

  test("needs admin rights on the project: 403 otherwise", async () => {
    const alice = setup.clientAs({ kind: "basic", email: USERS.alice.email, apiToken: CREDENTIALS.alice.password });
    await expect(getProjectPermissions({ workspace: "acme", key: "PLAT" }, { client: alice })).rejects.toMatchObject({ status: 403 });
  });
});

describe("credentials without an injected client", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    pulumi.runtime.setAllConfig({});
  });

  test("from the BITBUCKET_* environment", async () => {
    Object.assign(process.env, {
      BITBUCKET_API_URL: setup.emu.apiUrl,
      BITBUCKET_EMAIL: USERS.bob.email,
      BITBUCKET_API_TOKEN: CREDENTIALS.bob.password,
    });
    expect((await getCurrentUser()).nickname).toBe("bob");
  });

  test("from the bitbucket:* stack config (secrets included), which wins over the environment", async () => {
    Object.assign(process.env, { BITBUCKET_API_URL: setup.emu.apiUrl, BITBUCKET_EMAIL: USERS.bob.email, BITBUCKET_API_TOKEN: CREDENTIALS.bob.password });
    pulumi.runtime.setAllConfig(
      { "bitbucket:apiUrl": setup.emu.apiUrl, "bitbucket:email": USERS.alice.email, "bitbucket:apiToken": CREDENTIALS.alice.password },
      ["bitbucket:apiToken"],
    );
    expect((await getCurrentUser()).nickname).toBe("alice");
  });

  test("none at all: the read is anonymous, and what needs an account says which credentials to set", async () => {
    for (const k of Object.keys(process.env)) if (k.startsWith("BITBUCKET_")) delete process.env[k];
    process.env.BITBUCKET_API_URL = setup.emu.apiUrl;
    await expect(getCurrentUser()).rejects.toThrow(/failed with 401.*reading it needs credentials: set bitbucket:email \+ bitbucket:apiToken/);
  });
});
