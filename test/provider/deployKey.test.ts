import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CREDENTIALS, PROJECTS, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import { runImport } from "../../provider/cli/import";
import type { ManagedResource } from "../../provider/drift/compare";
import { findUnmanaged } from "../../provider/drift/unmanaged";
import { UNKNOWN } from "../../provider/resources/common";
import { PRIVATE_KEY, PRIVATE_MATERIAL, publicKey, publicKeyBody } from "../support/ssh-keys";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  useOwner,
  emulatorWithRepository,
} from "./helpers";

const fixture = emulatorWithRepository("Keyed");

const p = provider("DeployKey");
const pp = provider("ProjectDeployKey");
const ws = WORKSPACES.acme.slug;
const project = PROJECTS.plat.key;
const keysPath = () => `/repositories/${ws}/${enc(fixture.repoId)}/deploy-keys`;
const projectKeysPath = `/workspaces/${ws}/projects/${project}/deploy-keys`;
const liveKeys = async (path: string) =>
  (await asOwner(fixture.emu, "GET", path)).body.values as { id: number; key: string; label: string; comment?: string }[];

describe("DeployKey lifecycle", () => {
  test("create, read, no-op diff, label in place, key replaces, delete, read reports it gone", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: publicKey("life", "ci@build"), label: "CI" };
    const { id, outs } = await create("DeployKey", args);
    expect(id).toMatch(/^[0-9]+$/);
    expect(outs).toMatchObject({ workspace: ws, repository: fixture.repoId, repositoryUuid: fixture.repoId, key: args.key, label: "CI", keyId: id });

    const { read, diff } = await refreshAndDiff("DeployKey", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const relabelled = await checked("DeployKey", { ...args, label: "CI (main)" });
    expect(await p.diff(id, outs, relabelled)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await p.update(id, outs, relabelled);
    expect(after).toMatchObject({ label: "CI (main)", keyId: id, key: args.key });
    expect((await asOwner(fixture.emu, "GET", `${keysPath()}/${id}`)).body.label).toBe("CI (main)");

    expect(await p.diff(id, after, await checked("DeployKey", { ...args, key: publicKey("other") }))).toEqual({
      changes: true,
      replaces: ["key"],
      deleteBeforeReplace: false,
    });

    const cost = await refreshCost(fixture.emu, "DeployKey", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: DeployKey = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", `${keysPath()}/${id}`)).status).toBe(404);
    expect(await p.read(id, after)).toEqual({});
  });

  test("the comment is not part of the key: another comment (or none) is no diff, and the state keeps the program's spelling", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: publicKey("comment", "me@laptop") };
    const { id, outs } = await create("DeployKey", args);
    expect((await p.diff(id, outs, await checked("DeployKey", { ...args, key: publicKey("comment") }))).changes).toBe(false);
    // Bitbucket dropping the comment (or changing it) is no drift either.
    await asOwner(fixture.emu, "PUT", `${keysPath()}/${id}`, { key: publicKey("comment", "changed@elsewhere"), label: "" });
    const { read, diff } = await refreshAndDiff("DeployKey", id, outs, args);
    expect(read.props).toMatchObject({ key: args.key });
    expect(diff?.changes).toBe(false);
    await p.delete(id, outs);
  });

  test("drift: a label changed outside Pulumi is a diff that up puts back; a key deleted outside Pulumi reads as gone", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: publicKey("drift"), label: "deploy" };
    const { id, outs } = await create("DeployKey", args);
    await asOwner(fixture.emu, "PUT", `${keysPath()}/${id}`, { key: args.key, label: "hand-edited" });
    const { read, diff } = await refreshAndDiff("DeployKey", id, outs, args);
    expect(read.props).toMatchObject({ label: "hand-edited" });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: restored } = await p.update(id, read.props!, await checked("DeployKey", args));
    expect(restored).toMatchObject({ label: "deploy" });
    await asOwner(fixture.emu, "DELETE", `${keysPath()}/${id}`);
    expect(await p.read(id, restored)).toEqual({});
  });

  test("a rename of the repository underneath changes nothing (the key is addressed by the repository's UUID)", async () => {
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug), key: publicKey("rename") };
    const { id, outs } = await create("DeployKey", bySlug);
    expect(outs.repositoryUuid).toBe(fixture.repoId);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Keyed Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("DeployKey", id, outs, bySlug);
    expect(read.id).toBe(id);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await p.delete(id, outs);
    expect(await liveKeys(keysPath())).toEqual([]);
  });

  test("get by workspace/repository/id reads the key and the repository's UUID", async () => {
    const { id, outs } = await create("DeployKey", { workspace: ws, repository: fixture.repoId, key: publicKey("get"), label: "got" });
    const read = await p.read(`${ws}/${fixture.repoState.slug}/${id}`, undefined);
    expect(read.props).toMatchObject({ keyId: id, label: "got", repositoryUuid: fixture.repoId, key: `ssh-ed25519 ${publicKeyBody("get")}` });
    await p.delete(id, outs);
  });
});

describe("DeployKey creation never adds a key twice", () => {
  test("a POST whose answer is lost: the retry meets 'already added' and the key is taken over", async () => {
    const args = { workspace: ws, repository: fixture.repoId, key: publicKey("lost"), label: "lost" };
    await script(fixture.emu, [{ method: "POST", pathPrefix: keysPath(), lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id } = await create("DeployKey", args);
    const { byRoute } = await counters(fixture.emu);
    expect(byRoute["POST /repositories/{workspace}/{repo_slug}/deploy-keys"]).toBe(2);
    expect((await liveKeys(keysPath())).map((k) => String(k.id))).toEqual([id]);
    await p.delete(id, { workspace: ws, repository: fixture.repoId, repositoryUuid: fixture.repoId });
  });

  test("a key added by hand with another label and comment is taken over, relabelled, and said so", async () => {
    const notices: string[] = [];
    useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const added = (await asOwner(fixture.emu, "POST", keysPath(), { key: publicKey("hand", "by@hand"), label: "by hand" })).body;
      const { id, outs } = await create("DeployKey", { workspace: ws, repository: fixture.repoId, key: publicKey("hand"), label: "managed" });
      expect(id).toBe(String(added.id));
      expect(outs).toMatchObject({ label: "managed", key: publicKey("hand") });
      expect(notices.join("\n")).toMatch(new RegExp(`already had this key \\(deploy key ${id}, labelled "by hand"\\), now labelled "managed": taken over`));
      expect(await liveKeys(keysPath())).toHaveLength(1);
      await p.delete(id, outs);
    } finally {
      useOwner(fixture.emu);
    }
  });
});

describe("DeployKey check", () => {
  const base = { workspace: ws, repository: "some-repo", key: publicKey("check") };
  test.each([
    [{ key: `ssh-dss ${publicKeyBody("x")}` }, "key", /type is one of ssh-ed25519, ssh-rsa/],
    [{ key: `ssh-rsa ${publicKeyBody("x")}` }, "key", /not a ssh-rsa key/],
    [{ key: "ssh-ed25519 %%%" }, "key", /base64/],
    [{ key: `${publicKey("a")}\n${publicKey("b")}` }, "key", /one line/],
    [{ label: "x".repeat(256) }, "label", /at most 255/],
    [{ repository: "../x" }, "repository", /repository/],
  ])("%j fails on %s", async (patch, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("every accepted type passes, with or without a comment", async () => {
    for (const type of ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com"])
      expect((await p.check({}, { ...base, key: publicKey(type, "a comment with spaces", type) })).failures).toBeUndefined();
  });

  test("a private key is refused as one, and no message quotes it (check, create)", async () => {
    for (const provider of [p, pp]) {
      const r = await provider.check({}, { ...base, project: project, repository: undefined, key: PRIVATE_KEY });
      const failure = r.failures?.find((f) => f.property === "key");
      expect(failure?.reason).toMatch(/is a private key.*must never be shared/);
      expect(JSON.stringify(r.failures)).not.toContain(PRIVATE_MATERIAL);
    }
    const error = await p.create({ ...base, key: PRIVATE_KEY }).catch((e: Error) => e);
    expect(String(error)).toMatch(/private key/);
    expect(String(error)).not.toContain(PRIVATE_MATERIAL);
  });

  test("an unknown key at preview passes", async () => {
    expect((await p.check({}, { ...base, key: UNKNOWN })).failures).toBeUndefined();
  });
});

describe("ProjectDeployKey", () => {
  test("create, read, no-op diff, label or key replaces (delete first), delete; a refresh is one GET", async () => {
    const args = { workspace: ws, project, key: publicKey("project", "deploy@ci"), label: "all repositories" };
    const { id, outs } = await create("ProjectDeployKey", args);
    expect(outs).toMatchObject({ workspace: ws, project, key: args.key, label: "all repositories", keyId: id });
    const { read, diff } = await refreshAndDiff("ProjectDeployKey", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    expect((await pp.diff(id, outs, await checked("ProjectDeployKey", { ...args, key: publicKey("project") }))).changes).toBe(false);
    expect((await pp.diff(id, outs, await checked("ProjectDeployKey", { ...args, label: "other" }))).replaces).toEqual(["label"]);
    expect((await pp.diff(id, outs, await checked("ProjectDeployKey", { ...args, key: publicKey("other") }))).replaces).toEqual(["key"]);

    const cost = await refreshCost(fixture.emu, "ProjectDeployKey", id, outs);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: ProjectDeployKey = ${cost.calls} API call(s)`);

    expect((await pp.read(`${ws}/${project}/${id}`, undefined)).props).toMatchObject({ keyId: id, label: "all repositories" });
    await pp.delete(id, outs);
    expect(await liveKeys(projectKeysPath)).toEqual([]);
    expect(await pp.read(id, outs)).toEqual({});
  });

  test("a key added by hand with another label is taken over and added again with the program's label, never twice", async () => {
    await asOwner(fixture.emu, "POST", projectKeysPath, { key: publicKey("project-hand"), label: "by hand" });
    const { id, outs } = await create("ProjectDeployKey", { workspace: ws, project, key: publicKey("project-hand"), label: "managed" });
    expect((await liveKeys(projectKeysPath)).map((k) => [String(k.id), k.label])).toEqual([[id, "managed"]]);
    await pp.delete(id, outs);
  });

  test("a key without a label reads back with no diff (unset is the empty label)", async () => {
    const args = { workspace: ws, project, key: publicKey("no-label") };
    const { id, outs } = await create("ProjectDeployKey", args);
    expect(outs.label).toBe("");
    const { diff } = await refreshAndDiff("ProjectDeployKey", id, outs, args);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    await pp.delete(id, outs);
  });

  test("check refuses a bad project key and a bad public key, naming each", async () => {
    const r = await pp.check({}, { workspace: ws, project: "no/key", key: "ssh-ed25519" });
    expect(r.failures?.map((f) => f.property).sort()).toEqual(["key", "project"]);
  });
});

describe("DeployKey in drift's search and in import", () => {
  const managed = (kind: string, id: string, outputs: Record<string, unknown>): ManagedResource => ({
    urn: `urn:pulumi:prod::acme::pulumi-nodejs:dynamic/bitbucket:${kind}::${kind.toLowerCase()}`,
    name: kind.toLowerCase(),
    type: `bitbucket:${kind}`,
    kind,
    status: "in sync",
    differences: [],
    live: { id, custom: true, inputs: {}, outputs },
  });

  test("a key on a stack's repository that no DeployKey holds is reported (id, label, key type and start); a declared one is not", async () => {
    const declared = await create("DeployKey", { workspace: ws, repository: fixture.repoId, key: publicKey("declared"), label: "declared" });
    const byHand = (await asOwner(fixture.emu, "POST", keysPath(), { key: publicKey("by-hand", "x@y"), label: "by hand" })).body;
    const api = createClient({
      apiUrl: fixture.emu.apiUrl,
      credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password },
    }).api;
    const stack = [
      managed("Repository", fixture.repoId, { workspace: ws, uuid: fixture.repoId, slug: fixture.repoState.slug }),
      managed("DeployKey", declared.id, declared.outs),
    ];
    // --scope stack: what hangs off the stack's repositories (this state names no project for the default scope).
    const found = (await findUnmanaged(api, stack, { scope: "stack" })).filter((o) => o.kind === "deploy key");
    expect(found.map((o) => [o.id, o.detail])).toEqual([[String(byHand.id), `by hand (ssh-ed25519 ${publicKeyBody("by-hand").slice(0, 12)}…)`]]);
    await p.delete(declared.id, declared.outs);
    await asOwner(fixture.emu, "DELETE", `${keysPath()}/${byHand.id}`);
  });

  test("import declares a DeployKey per key of each imported repository, with its key and label", async () => {
    const added = (await asOwner(fixture.emu, "POST", keysPath(), { key: publicKey("imported", "ops@host"), label: 'say "hi"' })).body;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bb-import-keys-"));
    try {
      let stderr = "";
      const code = await runImport(
        { workspace: ws, project: [], match: [String(fixture.repoState.slug)], packageSpec: "^0.1.0", out, force: true },
        {
          stdout: { write: () => undefined },
          stderr: { write: (t: string) => (stderr += t) },
          env: { BITBUCKET_API_URL: fixture.emu.apiUrl, BITBUCKET_EMAIL: CREDENTIALS.owner.username, BITBUCKET_API_TOKEN: CREDENTIALS.owner.password },
        },
      );
      expect(code).toBe(0);
      const program = fs.readFileSync(path.join(out, "index.ts"), "utf8");
      expect(program).toContain(`new bitbucket.DeployKey("${fixture.repoState.slug}-deploy-key-1", {`);
      expect(program).toContain(`key: "${publicKey("imported", "ops@host")}"`);
      expect(program).toContain('label: "say \\"hi\\""');
      expect(stderr).toMatch(/1 deploy keys/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
      await asOwner(fixture.emu, "DELETE", `${keysPath()}/${added.id}`);
    }
  });
});
