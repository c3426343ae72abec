import { CREDENTIALS, REPOSITORIES, WORKSPACES } from "../../emulator";
import { MAX_FORK_POLLS } from "../../provider/resources/fork";
import { UNKNOWN } from "../../provider/resources/common";
import { configure, setOptions } from "../../provider/runtime";
import {
  admin,
  asOwner,
  checked,
  counters,
  create,
  clearCounters,
  Emulator,
  enc,
  FAST,
  ownerConfig,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  startWithProvider,
} from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider({ forkReadyDelayMs: 300 });
});
afterAll(() => emu.stop());

const p = provider("Fork");
const parent = REPOSITORIES.platformApi;
const ws = WORKSPACES.acme.slug;

describe("Fork lifecycle", () => {
  test("create waits until the fork is ready, then read, update (rename) and delete", async () => {
    const args = { workspace: ws, repository: parent.uuid, name: "Platform API Sandbox", description: "Experiments", mainBranch: "develop", isPrivate: true };
    await clearCounters(emu);
    const started = Date.now();
    const { id, outs } = await create("Fork", args);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    // Polled with backoff while the emulator answered 404, then found it.
    const c = await counters(emu);
    expect(c.byRoute["POST /repositories/{workspace}/{repo_slug}/forks"]).toBe(1);
    expect(c.byRoute["GET /repositories/{workspace}/{repo_slug}"]).toBeGreaterThan(1);
    expect(outs).toMatchObject({
      uuid: id,
      workspace: ws,
      repository: parent.uuid,
      targetWorkspace: ws,
      name: "Platform API Sandbox",
      slug: "platform-api-sandbox",
      description: "Experiments",
      mainBranch: "develop",
      isPrivate: true,
      parentUuid: parent.uuid,
      parentFullName: `${ws}/${parent.slug}`,
      language: "typescript", // inherited
    });

    const { read, diff } = await refreshAndDiff("Fork", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const renamed = await checked("Fork", { ...args, name: "Sandbox Two", language: "go" });
    expect(await p.diff(id, outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await p.update(id, outs, renamed);
    expect(after).toMatchObject({ uuid: id, slug: "sandbox-two", name: "Sandbox Two", language: "go", repository: parent.uuid, targetWorkspace: ws });
    expect((await refreshAndDiff("Fork", id, after, { ...args, name: "Sandbox Two", language: "go" })).diff?.changes).toBe(false);

    const cost = await refreshCost(emu, "Fork", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: Fork = ${cost.calls} API call(s)`);

    await p.delete(id, after);
    expect(await p.read(id, after)).toEqual({});
  });

  test("a fork into another workspace keeps the parent's name by default", async () => {
    // The globex owner forks acme's public website into globex.
    configure({ ...ownerConfig(emu), "bitbucket:email": CREDENTIALS.globexOwner.username, "bitbucket:apiToken": CREDENTIALS.globexOwner.password });
    try {
      const site = REPOSITORIES.website;
      const args = { workspace: ws, repository: site.uuid, targetWorkspace: WORKSPACES.globex.slug };
      const { id, outs } = await create("Fork", args);
      expect(outs).toMatchObject({
        targetWorkspace: "globex",
        name: "Website",
        slug: "website",
        fullName: "globex/website",
        projectKey: "CORE",
        parentUuid: site.uuid,
      });
      const { read, diff } = await refreshAndDiff("Fork", id, outs, args);
      expect(read.id).toBe(id);
      expect(diff?.changes).toBe(false);
      await p.delete(id, outs);
      expect(await p.read(id, outs)).toEqual({});
    } finally {
      configure(ownerConfig(emu));
    }
  });

  test("drift in a settable field is seen", async () => {
    const args = { workspace: ws, repository: parent.uuid, name: "Drifting Fork", language: "typescript" };
    const { id, outs } = await create("Fork", args);
    await asOwner(emu, "PUT", `/repositories/${ws}/${enc(id)}`, { language: "go", description: "hand" });
    const { read, diff } = await refreshAndDiff("Fork", id, outs, args);
    expect(read.props).toMatchObject({ language: "go", description: "hand" });
    expect(diff?.changes).toBe(true);
    await p.delete(id, outs);
  });

  test("a fork that never becomes ready gives a clear error and is still tracked (init failure with its id)", async () => {
    setOptions({ ...FAST, forkReadyTimeoutMs: 150 });
    await admin(emu, "PUT", "/config", { forkReadyDelayMs: 60_000 });
    const inputs = await checked("Fork", { workspace: ws, repository: parent.uuid, name: "Slow Fork" });
    const err = await p.create(inputs).catch((e) => e);
    setOptions(FAST);
    await admin(emu, "PUT", "/config", { forkReadyDelayMs: 300 });
    expect(err.message).toMatch(/was created but did not become ready within 0 s.*pulumi refresh/);
    expect(err.id).toMatch(/^\{/);
    expect(err.properties).toMatchObject({ name: "Slow Fork", targetWorkspace: ws });
  });

  test("the readiness wait is bounded in checks too: with no delay between them, it stops after MAX_FORK_POLLS", async () => {
    setOptions({ ...FAST, forkPollMs: 0, forkReadyTimeoutMs: 10_000 });
    await admin(emu, "PUT", "/config", { forkReadyDelayMs: 60_000 });
    const inputs = await checked("Fork", { workspace: ws, repository: parent.uuid, name: "Unready Fork" });
    await clearCounters(emu);
    const err = await p.create(inputs).catch((e) => e);
    const reads = (await counters(emu)).byRoute["GET /repositories/{workspace}/{repo_slug}"];
    setOptions(FAST);
    await admin(emu, "PUT", "/config", { forkReadyDelayMs: 300 });
    expect(err.message).toMatch(new RegExp(`did not become ready within \\d+ s \\(${MAX_FORK_POLLS} checks\\)`));
    expect(reads).toBe(MAX_FORK_POLLS);
  });

  test("a lost answer to the fork POST is not retried (no second fork)", async () => {
    await script(emu, [{ method: "POST", pathPrefix: `/repositories/${ws}/${parent.slug}/forks`, lostResponse: true }]);
    await clearCounters(emu);
    const inputs = await checked("Fork", { workspace: ws, repository: parent.slug, name: "Lost Fork" });
    await expect(p.create(inputs)).rejects.toThrow(/may or may not have been applied/);
    expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/forks"]).toBe(1);
  });
});

describe("Fork diff and check", () => {
  const olds = { workspace: ws, repository: parent.uuid, targetWorkspace: ws, name: "F", slug: "f" };

  test("a different parent (a parent recreated by hand has a new UUID) is refused, naming it and how to keep the fork", async () => {
    const err = await p.diff("{u}", olds, { workspace: ws, repository: REPOSITORIES.website.uuid, name: "F" }).catch((e) => e);
    expect(err.message).toContain(`Refusing to replace the fork {u}: changing repository "${parent.uuid}" → "${REPOSITORIES.website.uuid}"`);
    expect(err.message).toContain(`to keep this fork, set repository to "${parent.uuid}" (it is only used at creation)`);
    expect(err.message).toMatch(/set allowReplace: true on it\.$/);
    await expect(p.diff("{u}", olds, { workspace: ws, repository: UNKNOWN, name: "F" })).rejects.toThrow(
      /changing repository .* → a value known only during the update/,
    );
  });

  test("with allowReplace, a different parent or parent workspace replaces, deleting first (same name, same workspace)", async () => {
    expect(await p.diff("{u}", olds, { workspace: ws, repository: REPOSITORIES.website.uuid, name: "F", allowReplace: true })).toEqual({
      changes: true,
      replaces: ["repository"],
      deleteBeforeReplace: true,
    });
  });

  test("with allowReplace, a different target workspace replaces, without a clash", async () => {
    expect(await p.diff("{u}", olds, { workspace: ws, repository: parent.uuid, targetWorkspace: "globex", name: "F", allowReplace: true })).toEqual({
      changes: true,
      replaces: ["targetWorkspace"],
      deleteBeforeReplace: false,
    });
    // Unset target = the parent's workspace: no change.
    expect((await p.diff("{u}", olds, { workspace: ws, repository: parent.uuid, name: "F" })).changes).toBe(false);
  });

  test("name is required when forking into the parent's workspace", async () => {
    const r = await p.check({}, { workspace: ws, repository: parent.slug });
    expect(r.failures).toEqual([{ property: "name", reason: expect.stringMatching(/name is required when forking into the parent's own workspace/) }]);
    expect((await p.check({}, { workspace: ws, repository: parent.slug, targetWorkspace: "globex" })).failures).toBeUndefined();
    expect((await p.check({}, { workspace: ws, repository: parent.slug, targetWorkspace: UNKNOWN })).failures).toBeUndefined();
  });

  test("bad values name the field and the allowed values", async () => {
    const r = await p.check({}, { workspace: ws, repository: "Not Valid", name: "x", forkPolicy: "any" });
    expect(r.failures?.map((f) => f.property).sort()).toEqual(["forkPolicy", "repository"]);
    expect(r.failures?.find((f) => f.property === "forkPolicy")?.reason).toMatch(/allow_forks, no_public_forks, no_forks/);
  });
});

describe("Fork recovery", () => {
  test("bitbucket:adoptExisting takes over the fork a killed run made (same parent, same slug) and sets the program's settings", async () => {
    const orphan = (await asOwner(emu, "POST", `/repositories/${ws}/${parent.slug}/forks`, { name: "Killed Run Fork", workspace: { slug: ws } })).body;
    await new Promise((resolve) => setTimeout(resolve, 350)); // the recovery runs after the new fork became ready
    configure({ ...ownerConfig(emu), "bitbucket:adoptExisting": "true" });
    try {
      await clearCounters(emu);
      const { id, outs } = await create("Fork", {
        workspace: ws,
        repository: parent.uuid,
        name: "Killed Run Fork",
        description: "recovered",
      });
      expect({ id, description: outs.description }).toEqual({ id: orphan.uuid, description: "recovered" });
      expect((await counters(emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/forks"]).toBeUndefined();
      await p.delete(id, outs);
    } finally {
      setOptions(FAST);
      configure(ownerConfig(emu));
    }
  });
});
