// Project against the emulator: lifecycle, drift on every field, refresh cost, check, taking over an
// existing project, the refused delete of a project holding repositories, the drift command's search
// for unmanaged projects, and Repository.projectKey taking a Project's `key` output.
import * as pulumi from "@pulumi/pulumi";
import { CREDENTIALS, PROJECTS, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import type { ManagedResource } from "../../provider/drift/compare";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { Project, Repository, type RepositoryArgs } from "../../provider/registry";
import { asOwner, checked, clearCounters, create, Emulator, enc, FAST, provider, refreshAndDiff, refreshCost, requests, startWithProvider } from "./helpers";
import { setOptions } from "../../provider/runtime";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("Project");
const ws = WORKSPACES.acme.slug;
const project = (key: string) => `/workspaces/${ws}/projects/${enc(key)}`;

const ops = { workspace: ws, key: "OPS", name: "Operations", description: "Runbooks", isPrivate: true };

describe("Project lifecycle", () => {
  test("create, read, no-op diff, rename and settings in place, key change replaces, delete, then read reports it gone", async () => {
    const { id, outs } = await create("Project", ops);
    expect(id).toMatch(/^\{[0-9a-f-]{36}\}$/);
    const { managedArguments, ...state } = outs;
    expect(state).toEqual({ ...ops, uuid: id, htmlUrl: expect.stringContaining("/projects/OPS") });
    expect(managedArguments).toEqual(Object.keys(ops).sort());

    const { read, diff } = await refreshAndDiff("Project", id, outs, ops);
    expect(read).toMatchObject({ id, props: state, inputs: ops });
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    const news = await checked("Project", { ...ops, name: "Operations team", description: "", isPrivate: false });
    expect(await p.diff(id, outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: updated } = await p.update(id, outs, news);
    expect(updated).toMatchObject({ key: "OPS", name: "Operations team", description: "", isPrivate: false, uuid: id });
    expect((await asOwner(emu, "GET", project("OPS"))).body).toMatchObject({ name: "Operations team", description: "", is_private: false, uuid: id });

    // A new key is a new project: the old one is deleted first (names are unique in a workspace).
    expect(await p.diff(id, updated, await checked("Project", { ...ops, key: "OPS2" }))).toEqual({
      changes: true,
      replaces: ["key"],
      deleteBeforeReplace: true,
    });
    expect(await p.diff(id, updated, await checked("Project", { ...ops, workspace: "globex" }))).toMatchObject({ replaces: ["workspace"] });

    await p.delete(id, updated);
    expect((await asOwner(emu, "GET", project("OPS"))).status).toBe(404);
    expect(await p.read(id, updated)).toEqual({});
    // Deleting what is already gone succeeds.
    await p.delete(id, updated);
  });

  test("get reads a project by `workspace/KEY`, `workspace/{uuid}` or `{uuid}` with the workspace", async () => {
    const { uuid, key } = PROJECTS.plat;
    for (const [id, state] of [
      [`${ws}/${key}`, undefined],
      [`${ws}/${uuid}`, undefined],
      [uuid, { workspace: ws }],
    ] as const) {
      const read = await p.read(id, state);
      expect(read).toMatchObject({ id: uuid, props: { workspace: ws, key, name: PROJECTS.plat.name, uuid } });
    }
  });
});

describe("Project drift", () => {
  test("a refresh costs one request and shows every field changed outside Pulumi; a new key is found by UUID", async () => {
    const args = { workspace: ws, key: "DRIFT", name: "Drifting", description: "before", isPrivate: true };
    const { id, outs } = await create("Project", args);
    const cost = await refreshCost(emu, "Project", id, outs);
    expect(cost.calls).toBe(1);
    expect(cost.byRoute).toEqual({ "GET /workspaces/{workspace}/projects/{project_key}": 1 });

    const changes: [string, Record<string, unknown>, Record<string, unknown>][] = [
      ["name", { name: "Drifted" }, { name: "Drifted" }],
      ["description", { description: "after" }, { description: "after" }],
      ["isPrivate", { is_private: false }, { isPrivate: false }],
    ];
    let state = outs;
    for (const [field, body, seen] of changes) {
      expect((await asOwner(emu, "PUT", project("DRIFT"), body)).status).toBe(200);
      const { read, diff } = await refreshAndDiff("Project", id, state, args);
      expect(read.inputs).toMatchObject(seen);
      expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
      expect((await p.diff(id, read.props, await checked("Project", args))).changes).toBe(true);
      state = read.props as Record<string, unknown>;
      expect(field in (read.inputs as object)).toBe(true);
    }

    // The key changed outside Pulumi: the project is still this resource (found by UUID), the key is drift.
    expect((await asOwner(emu, "PUT", project("DRIFT"), { key: "MOVED" })).status).toBe(200);
    const { read, diff } = await refreshAndDiff("Project", id, state, args);
    expect(read).toMatchObject({ id, props: { key: "MOVED", uuid: id } });
    expect(diff).toMatchObject({ changes: true, replaces: ["key"] });
    // Then the state knows the new key: one request again.
    expect((await refreshCost(emu, "Project", id, read.props as Record<string, unknown>)).calls).toBe(1);
    await p.delete(id, read.props as Record<string, unknown>);
  });
});

describe("Project check", () => {
  test.each([
    [{ ...ops, key: "1OPS" }, "key"],
    [{ ...ops, key: "OPS-1" }, "key"],
    [{ ...ops, name: "  " }, "name"],
    [{ ...ops, isPrivate: "yes" }, "isPrivate"],
    [{ ...ops, workspace: "acme/other" }, "workspace"],
    [{ workspace: ws, name: "No key" }, "key"],
  ])("refuses %j naming %s", async (news, field) => {
    const { failures } = await p.check({}, news);
    expect(failures?.map((f) => f.property)).toEqual([field]);
  });
});

describe("Project over an existing project", () => {
  test("without adopt, 'already exists' says how to take it over and how to recover; nothing is changed", async () => {
    const err = await create("Project", { workspace: ws, key: PROJECTS.plat.key, name: "Another platform" }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/already exists.*set adopt: true on this Project.*BITBUCKET_ADOPT_EXISTING=true pulumi up/s);
    expect((await asOwner(emu, "GET", project(PROJECTS.plat.key))).body.name).toBe(PROJECTS.plat.name);
  });

  test("with adopt it is taken over: nothing written when it matches, only what differs otherwise, and said", async () => {
    const notes: string[] = [];
    setOptions({ ...FAST, notify: (m) => notes.push(m) });
    const live = (await asOwner(emu, "GET", project(PROJECTS.web.key))).body;
    const same = { workspace: ws, key: live.key, name: live.name, description: live.description, isPrivate: live.is_private, adopt: true };
    await clearCounters(emu);
    const { id, outs } = await create("Project", same);
    expect(id).toBe(PROJECTS.web.uuid);
    expect(outs).toMatchObject({ key: "WEB", name: live.name });
    expect((await requests(emu)).map((r) => r.method)).toEqual(["GET"]);
    expect(notes).toEqual([]);

    await clearCounters(emu);
    const taken = await create("Project", { ...same, description: "Taken over" });
    expect(taken.outs).toMatchObject({ description: "Taken over", name: live.name });
    expect((await requests(emu)).map((r) => r.method)).toEqual(["GET", "PUT"]);
    expect(notes).toEqual([expect.stringMatching(/^Project: acme\/WEB already existed .*description.*taken over by this resource/)]);
    setOptions(FAST);
  });
});

describe("Project delete", () => {
  test("a project holding repositories is not deleted, and the error says to move or delete them first", async () => {
    const { id, outs } = await create("Project", { workspace: ws, key: "FULL", name: "Full" });
    expect((await asOwner(emu, "POST", `/repositories/${ws}/held-repo`, { scm: "git", project: { key: "FULL" } })).status).toBe(200);
    await expect(p.delete(id, outs)).rejects.toThrow(
      "Cannot delete the project acme/FULL: Bitbucket deletes only empty projects, and it holds 1 repository (acme/held-repo). Move or delete its 1 repository first",
    );
    expect((await asOwner(emu, "GET", project("FULL"))).status).toBe(200);
    expect((await asOwner(emu, "DELETE", `/repositories/${ws}/held-repo`)).status).toBe(204);
    await p.delete(id, outs);
    expect((await asOwner(emu, "GET", project("FULL"))).status).toBe(404);
  });
});

describe("Project in the drift command's search", () => {
  test("in a workspace where the stack holds a Project, the projects it does not hold are reported (--scope workspace)", async () => {
    const { id, outs } = await create("Project", { workspace: ws, key: "MANAGED", name: "Managed" });
    expect((await asOwner(emu, "POST", `/workspaces/${ws}/projects`, { key: "BYHAND", name: "Made by hand" })).status).toBe(201);
    const api = createClient({
      apiUrl: emu.apiUrl,
      credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password },
    }).api;
    const held: ManagedResource = {
      urn: "urn:pulumi:prod::acme::pulumi-nodejs:dynamic/bitbucket:Project::managed",
      name: "managed",
      type: "bitbucket:Project",
      kind: "Project",
      status: "in sync",
      differences: [],
      live: { id, custom: true, inputs: {}, outputs: outs },
    };
    // The default scope is the stack's own projects: the workspace's other projects (another stack's, say) are not searched.
    expect((await findUnmanaged(api, [held])).filter((o) => o.kind === "project")).toEqual([]);
    const found = (await findUnmanaged(api, [held], { scope: "workspace" })).filter((o) => o.kind === "project");
    const names = found.map((o) => o.repository);
    expect(names).toEqual(expect.arrayContaining(["BYHAND", PROJECTS.plat.key, PROJECTS.web.key]));
    expect(names).not.toContain("MANAGED");
    expect(found.find((o) => o.repository === "BYHAND")?.detail).toBe('"Made by hand", not in the stack');
    // --project narrows the search to those keys.
    expect(
      (await findUnmanaged(api, [held], { scope: "workspace", projects: ["BYHAND"] })).filter((o) => o.kind === "project").map((o) => o.repository),
    ).toEqual(["BYHAND"]);
  });
});

describe("Repository.projectKey takes a Project's key output", () => {
  test("the repository is declared with the project's key", async () => {
    const registered: Record<string, Record<string, unknown>> = {};
    pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered[args.name] = args.inputs;
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      false,
    );
    const ops = new Project("ops", { workspace: ws, key: "OPS", name: "Operations" });
    const args: RepositoryArgs = { workspace: ws, name: "runbooks", projectKey: ops.key };
    const repo = new Repository("runbooks", args);
    await new Promise<void>((resolve) => repo.urn.apply(() => resolve()));
    expect(registered.runbooks).toMatchObject({ projectKey: "OPS" });
  });
});
