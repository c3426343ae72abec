import { REPOSITORIES, slugify, WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import {
  asOwner,
  checked,
  counters,
  create,
  clearCounters,
  Emulator,
  enc,
  ownerConfig,
  provider,
  refreshAndDiff,
  refreshCost,
  requests,
  script,
  startWithProvider,
  useOwner,
} from "./helpers";
import { configure } from "../../provider/runtime";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const p = provider("Repository");
const ws = WORKSPACES.acme.slug;

const full = {
  workspace: ws,
  name: "Billing Service",
  description: "Bills things",
  isPrivate: true,
  forkPolicy: "no_public_forks",
  language: "TypeScript",
  website: "https://billing.acme.test",
  projectKey: "WEB",
  mainBranch: "main",
};

describe("Repository lifecycle", () => {
  test("create, read, no-op diff, update, delete, then read reports it gone", async () => {
    const { id, outs, inputs } = await create("Repository", full);
    expect(id).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(outs).toMatchObject({
      workspace: ws,
      name: "Billing Service",
      slug: "billing-service",
      description: "Bills things",
      isPrivate: true,
      forkPolicy: "no_public_forks",
      language: "typescript",
      website: "https://billing.acme.test",
      projectKey: "WEB",
      mainBranch: "main",
      uuid: id,
      fullName: "acme/billing-service",
    });
    expect(outs.htmlUrl).toEqual(expect.any(String));
    expect(outs.cloneUrlHttps).toEqual(expect.stringContaining("billing-service"));
    expect(outs.cloneUrlSsh).toEqual(expect.any(String));
    // Outputs are plain JSON: nothing undefined.
    expect(Object.values(outs).every((v) => v !== undefined)).toBe(true);

    const { read, diff } = await refreshAndDiff("Repository", id, outs, full);
    expect(read.id).toBe(id);
    expect(read.props).toEqual(outs);
    expect(read.inputs).toMatchObject({ workspace: ws, name: "Billing Service", language: "typescript" });
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const news = await checked("Repository", { ...full, description: "Bills everything", language: "Go" });
    const d = await p.diff(id, outs, news);
    expect(d).toMatchObject({ changes: true, replaces: [] });
    const { outs: updated } = await p.update(id, outs, news);
    expect(updated).toMatchObject({ description: "Bills everything", language: "go", uuid: id, slug: "billing-service" });
    const live = await asOwner(emu, "GET", `/repositories/${ws}/${enc(id)}`);
    expect(live.body).toMatchObject({ description: "Bills everything", language: "go" });

    await p.delete(id, updated);
    expect((await asOwner(emu, "GET", `/repositories/${ws}/${enc(id)}`)).status).toBe(404);
    expect(await p.read(id, updated)).toEqual({});
    // Deleting what is already gone succeeds (a resource removed by hand can leave the state).
    await expect(p.delete(id, updated)).resolves.toBeUndefined();
    expect(inputs).toMatchObject({ language: "typescript" });
  });

  test("fields left unset are not managed: no diff whatever their live value", async () => {
    const args = { workspace: ws, name: "Minimal Repo" };
    const { id, outs } = await create("Repository", args);
    expect(outs.slug).toBe("minimal-repo");
    expect(outs.projectKey).toBe("PLAT"); // the workspace's oldest project
    await asOwner(emu, "PUT", `/repositories/${ws}/${enc(id)}`, { description: "changed by hand" });
    const { read, diff } = await refreshAndDiff("Repository", id, outs, args);
    expect(read.props).toMatchObject({ description: "changed by hand" });
    expect(diff?.changes).toBe(false);
    await p.delete(id, outs);
  });
});

describe("Repository rename", () => {
  test("a name change renames in place: same ID, new slug from Location, no replacement and no drift after", async () => {
    const args = { workspace: ws, name: "Old Name" };
    const { id, outs } = await create("Repository", args);
    expect(outs.slug).toBe("old-name");
    const renamed = await checked("Repository", { ...args, name: "New Name!" });
    expect(await p.diff(id, outs, renamed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await clearCounters(emu);
    const { outs: after } = await p.update(id, outs, renamed);
    expect(after).toMatchObject({ uuid: id, name: "New Name!", slug: "new-name", fullName: "acme/new-name" });
    // One PUT, addressed by UUID; the slug came back in Location.
    const log = await requests(emu);
    expect(log.map((r) => `${r.method} ${r.path}`)).toEqual([`PUT /2.0/repositories/acme/${enc(id)}`]);
    expect((await asOwner(emu, "GET", `/repositories/${ws}/old-name`)).status).toBe(404);
    expect((await asOwner(emu, "GET", `/repositories/${ws}/new-name`)).body.uuid).toBe(id);

    const { read, diff } = await refreshAndDiff("Repository", id, after, { ...args, name: "New Name!" });
    expect(read.id).toBe(id);
    expect(diff?.changes).toBe(false);
    await p.delete(id, after);
  });

  test("an explicit slug is a creation-time choice: a rename re-slugs without a perpetual diff; a new slug replaces", async () => {
    const args = { workspace: ws, name: "Pretty Name", slug: "custom-slug" };
    const { id, outs } = await create("Repository", args);
    expect(outs).toMatchObject({ slug: "custom-slug", requestedSlug: "custom-slug", name: "Pretty Name" });
    expect((await p.diff(id, outs, await checked("Repository", args))).changes).toBe(false);

    const renamed = { ...args, name: "Prettier Name" };
    const { outs: after } = await p.update(id, outs, await checked("Repository", renamed));
    expect(after).toMatchObject({ slug: "prettier-name", requestedSlug: "custom-slug" });
    const { read, diff } = await refreshAndDiff("Repository", id, after, renamed);
    expect(read.props).toMatchObject({ requestedSlug: "custom-slug" });
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // Naming the live slug explicitly is not a change either.
    expect((await p.diff(id, after, await checked("Repository", { ...renamed, slug: "prettier-name" }))).changes).toBe(false);
    // A slug that is neither: a new repository.
    expect(await p.diff(id, after, await checked("Repository", { ...renamed, slug: "another-slug", allowReplace: true }))).toEqual({
      changes: true,
      replaces: ["slug"],
      deleteBeforeReplace: false,
    });
    await p.delete(id, after);
  });

  test("a rename onto a taken slug fails with the API's message and a hint", async () => {
    const { id, outs } = await create("Repository", { workspace: ws, name: "Soon Clashing" });
    const news = await checked("Repository", { workspace: ws, name: "Website" });
    await expect(p.update(id, outs, news)).rejects.toThrow(
      `PUT ${emu.apiUrl}/repositories/acme/${id} failed with 400: Repository with this Slug and Owner already exists`,
    );
    await p.delete(id, outs);
  });
});

describe("Repository diff", () => {
  test("a workspace change would replace the repository: refused, naming it, unless allowReplace is set", async () => {
    const olds = { workspace: ws, name: "X", slug: "x", uuid: "{u}", fullName: "acme/x" };
    await expect(p.diff("{u}", olds, { workspace: "globex", name: "X" })).rejects.toThrow(
      /^Refusing to replace the repository acme\/x: changing workspace "acme" → "globex" would make Pulumi delete it, with its git history.*set allowReplace: true/,
    );
    // Unknown at preview: could be a new workspace, so it is refused too.
    await expect(p.diff("{u}", olds, { workspace: UNKNOWN, name: "X" })).rejects.toThrow(/changing workspace "acme" → a value known only during the update/);
    expect(await p.diff("{u}", olds, { workspace: "globex", name: "X", allowReplace: true })).toEqual({
      changes: true,
      replaces: ["workspace"],
      deleteBeforeReplace: false,
    });
    expect((await p.diff("{u}", olds, { workspace: UNKNOWN, name: "X", allowReplace: true })).replaces).toEqual(["workspace"]);
  });

  test("a new slug would replace the repository: refused unless allowReplace is set", async () => {
    const olds = { workspace: ws, name: "X", slug: "x", requestedSlug: "x", uuid: "{u}", fullName: "acme/x" };
    await expect(p.diff("{u}", olds, { workspace: ws, name: "X", slug: "y" })).rejects.toThrow(/changing slug "x" → "y"/);
  });

  test("diff is pure: no API call", async () => {
    await clearCounters(emu);
    await p.diff("{u}", { workspace: ws, name: "A", slug: "a" }, { workspace: ws, name: "B", description: "d" });
    expect((await counters(emu)).total).toBe(0);
  });

  test("adopt does not cause a diff", async () => {
    const olds = { workspace: ws, name: "A", slug: "a", uuid: "{u}" };
    expect((await p.diff("{u}", olds, { workspace: ws, name: "A", adopt: true })).changes).toBe(false);
  });
});

describe("Repository drift", () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ["name", { name: "Renamed By Hand" }, { name: "Renamed By Hand" }],
    ["description", { description: "by hand" }, { description: "by hand" }],
    // Bitbucket refuses a public repository with fork_policy no_public_forks: going public by hand changes both.
    ["isPrivate", { is_private: false, fork_policy: "allow_forks" }, { isPrivate: false, forkPolicy: "allow_forks" }],
    ["forkPolicy", { fork_policy: "no_forks" }, { forkPolicy: "no_forks" }],
    ["language", { language: "go" }, { language: "go" }],
    ["website", { website: "https://elsewhere.test" }, { website: "https://elsewhere.test" }],
    ["projectKey", { project: { key: "PLAT" } }, { projectKey: "PLAT" }],
    ["mainBranch", { mainbranch: { name: "develop" } }, { mainBranch: "develop" }],
  ];
  let id: string;
  let state: Record<string, unknown>;
  const args = { ...full, name: "Drift Target", mainBranch: "main" };
  beforeAll(async () => {
    ({ id, outs: state } = await create("Repository", args));
  });
  afterAll(() => p.delete(id, state));

  test.each(cases)("drift in %s is seen by refresh and corrected by update", async (field, apiChange, expected) => {
    expect((await asOwner(emu, "PUT", `/repositories/${ws}/${enc(id)}`, apiChange)).status).toBe(200);
    const { read, diff } = await refreshAndDiff("Repository", id, state, args);
    expect(read.props).toMatchObject(expected);
    expect(read.inputs).toMatchObject(expected);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs } = await p.update(id, read.props, await checked("Repository", args));
    state = outs as Record<string, unknown>;
    expect(state[field]).toEqual((await checked("Repository", args))[field]);
    expect((await refreshAndDiff("Repository", id, state, args)).diff?.changes).toBe(false);
  });
});

describe("Repository adoption and get", () => {
  test("without adopt, an existing slug fails and says how to adopt", async () => {
    const { inputs } = { inputs: await checked("Repository", { workspace: ws, name: "Website" }) };
    await expect(p.create(inputs)).rejects.toThrow(/already exists.*set adopt: true/s);
  });

  test("adopt takes over an existing repository and sets it to the program's settings", async () => {
    const { id, outs } = await create("Repository", { workspace: ws, name: "Website", adopt: true, description: "Adopted" });
    expect(id).toBe(REPOSITORIES.website.uuid);
    expect(outs).toMatchObject({ slug: "website", description: "Adopted", isPrivate: false });
    expect((await asOwner(emu, "GET", `/repositories/${ws}/website`)).body.description).toBe("Adopted");
  });

  test("bitbucket:adoptExisting (the recovery run after a killed up) takes over what a killed run created, without adopt in the program", async () => {
    const orphan = (await asOwner(emu, "POST", `/repositories/${ws}/left-by-a-killed-run`, { scm: "git", name: "Left By A Killed Run", is_private: true }))
      .body;
    const inputs = await checked("Repository", { workspace: ws, name: "Left By A Killed Run", description: "recovered" });
    await expect(p.create(inputs)).rejects.toThrow(/set adopt: true.*BITBUCKET_ADOPT_EXISTING=true pulumi up/s);
    configure({ ...ownerConfig(emu), "bitbucket:adoptExisting": "true" });
    try {
      const { id, outs } = await p.create(inputs);
      expect({ id, description: outs.description }).toEqual({ id: orphan.uuid, description: "recovered" });
      await p.delete(id, outs);
    } finally {
      useOwner(emu);
    }
  });

  test("adopt creates when nothing exists", async () => {
    const { id, outs } = await create("Repository", { workspace: ws, name: "Fresh Adoptee", adopt: true });
    expect(outs.slug).toBe("fresh-adoptee");
    await p.delete(id, outs);
  });

  test("get reads by `workspace/{uuid}` and by {uuid} with the workspace in the state", async () => {
    const a = await p.read(`${ws}/${REPOSITORIES.platformApi.uuid}`, {});
    expect(a.id).toBe(REPOSITORIES.platformApi.uuid);
    expect(a.props).toMatchObject({ slug: "platform-api", workspace: ws, projectKey: "PLAT" });
    const b = await p.read(REPOSITORIES.platformApi.uuid, { workspace: ws });
    expect(b.props).toEqual(a.props);
    await expect(p.read(REPOSITORIES.platformApi.uuid, {})).rejects.toThrow(/workspace is unknown/);
  });
});

describe("Repository check", () => {
  test.each([
    [{ forkPolicy: "sometimes" }, "forkPolicy", /forkPolicy must be one of allow_forks, no_public_forks, no_forks \(got "sometimes"\)/],
    [{ slug: "Not A Slug" }, "slug", /slug must be a slug/],
    [{ slug: "x".repeat(63) }, "slug", /at most 62/],
    [{ name: "" }, "name", /name must not be empty/],
    [{ name: "!!!" }, "name", /letter or digit/],
    [{ workspace: "Acme Corp" }, "workspace", /workspace must be a workspace slug/],
    [{ website: "ftp://x.test" }, "website", /website .*http\(s\) URL/],
    [{ isPrivate: "yes" }, "isPrivate", /isPrivate must be a boolean/],
    [{ projectKey: "1abc" }, "projectKey", /project key/],
    [{ mainBranch: "bad branch" }, "mainBranch", /git branch name/],
  ])("%j fails on %s with a clear reason", async (patch, property, reason) => {
    const result = await p.check({}, { workspace: ws, name: "Valid", ...patch });
    expect(result.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });

  test("a missing required field is named", async () => {
    const result = await p.check({}, { workspace: ws });
    expect(result.failures).toEqual([{ property: "name", reason: "name is required." }]);
  });

  test("unknown values at preview pass through unvalidated; known ones are still checked", async () => {
    const ok = await p.check({}, { workspace: UNKNOWN, name: UNKNOWN, language: "Go" });
    expect(ok.failures).toBeUndefined();
    expect(ok.inputs).toEqual({ workspace: UNKNOWN, name: UNKNOWN, language: "go" });
    const bad = await p.check({}, { workspace: UNKNOWN, name: "ok", forkPolicy: "nope" });
    expect(bad.failures?.map((f) => f.property)).toEqual(["forkPolicy"]);
  });

  test("the derived slug follows Atlassian's rules", () => {
    expect(slugify("Føøbar Ünïcode  repo")).toBe("foobar-unicode-repo");
  });
});

describe("Repository refresh cost and resilience", () => {
  test("one refresh costs one API call", async () => {
    const { id, outs } = await create("Repository", { workspace: ws, name: "Cost Probe" });
    const { read, calls, byRoute } = await refreshCost(emu, "Repository", id, outs);
    expect(read.id).toBe(id);
    expect(calls).toBe(1);
    expect(byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}": 1 });
    console.log(`refresh cost: Repository = ${calls} API call(s)`);
    await p.delete(id, outs);
  });

  test("a create whose response is lost is retried (the slug is the key) and does not fail or duplicate", async () => {
    await script(emu, [{ method: "POST", pathPrefix: "/repositories/acme/lost-answer", lostResponse: true }]);
    await clearCounters(emu);
    const { id, outs } = await create("Repository", { workspace: ws, name: "Lost Answer" });
    const c = await counters(emu);
    expect(c.byRoute["POST /repositories/{workspace}/{repo_slug}"]).toBe(2);
    const all = await asOwner(emu, "GET", `/repositories/${ws}?q=${enc('name = "Lost Answer"')}`);
    expect(all.body.values.map((r: { uuid: string }) => r.uuid)).toEqual([id]);
    await p.delete(id, outs);
  });
});
