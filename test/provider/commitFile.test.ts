import { USERS, WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { MAX_CONTENT_BYTES } from "../../provider/resources/commitFile";
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
import { Client } from "../support/emulator-client";

const fixture = emulatorWithRepository("Owned");

const p = provider("CommitFile");
const ws = WORKSPACES.acme.slug;
const repoPath = () => `/repositories/${ws}/${enc(fixture.repoId)}`;
const POST_SRC = "POST /repositories/{workspace}/{repo_slug}/src";

/** The branch's file as Bitbucket serves it, or the status when it is not there. */
async function fileOn(branch: string, path: string): Promise<string | number> {
  const res = await new Client(fixture.emu.apiUrl).request("GET", `${repoPath()}/src/${enc(branch)}/${path}`);
  return res.status === 200 ? res.text : res.status;
}
const headOf = async (branch: string) =>
  (
    (await asOwner(fixture.emu, "GET", `${repoPath()}/refs/branches?pagelen=100`)).body.values as {
      name: string;
      target: { hash: string; message: string; author: { raw: string } };
    }[]
  ).find((b) => b.name === branch)?.target;
/** A commit by hand, outside the provider. */
async function commitByHand(branch: string, files: Record<string, string>, remove: string[] = []) {
  const form = new URLSearchParams([
    ["branch", branch],
    ...Object.entries(files).map(([k, v]): [string, string] => [`/${k}`, v]),
    ...remove.map((r): [string, string] => ["files", r]),
  ]);
  expect((await new Client(fixture.emu.apiUrl).request("POST", `${repoPath()}/src`, { form })).status).toBe(201);
}

describe("CommitFile lifecycle", () => {
  test("create commits the file; a refresh is one GET and shows no diff; new content is one commit on top; delete commits the removal", async () => {
    const args = {
      workspace: ws,
      repository: fixture.repoId,
      branch: "main",
      path: "CODEOWNERS",
      content: "* @acme/developers\n",
      message: "Own the code",
      author: "Platform Bot <bot@acme.test>",
    };
    const before = await headOf("main");
    const { id, outs } = await create("CommitFile", args);
    expect(id).toBe(`${ws}/${fixture.repoId}/main:CODEOWNERS`);
    const head = await headOf("main");
    expect(head).toMatchObject({ message: "Own the code", author: { raw: "Platform Bot <bot@acme.test>" } });
    expect(outs).toMatchObject({ ...args, repositoryUuid: fixture.repoId, commit: head!.hash });
    expect(await fileOn("main", "CODEOWNERS")).toBe(args.content);

    const cost = await refreshCost(fixture.emu, "CommitFile", id, outs);
    expect(cost.calls).toBe(1);
    expect(cost.byRoute).toEqual({ "GET /repositories/{workspace}/{repo_slug}/src/{commit}/{path}": 1 });
    const { read, diff } = await refreshAndDiff("CommitFile", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });

    const changed = await checked("CommitFile", { ...args, content: "* @acme/administrators\n", message: "Hand it over" });
    expect(await p.diff(id, outs, changed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    const { outs: after } = await p.update(id, outs, changed);
    const updated = await headOf("main");
    expect(updated).toMatchObject({ message: "Hand it over" });
    expect(after).toMatchObject({ content: "* @acme/administrators\n", commit: updated!.hash });
    expect(await fileOn("main", "CODEOWNERS")).toBe("* @acme/administrators\n");
    // History is kept: the first commit still holds the first content.
    expect(await fileOn(head!.hash, "CODEOWNERS")).toBe(args.content);
    expect(before!.hash).not.toBe(head!.hash);

    await clearCounters(fixture.emu);
    await p.delete(id, after);
    expect((await headOf("main"))!.message).toBe("Remove CODEOWNERS");
    expect(await fileOn("main", "CODEOWNERS")).toBe(404);
    expect(await p.read(id, after)).toEqual({});
    // Gone already: deleting again commits nothing.
    await clearCounters(fixture.emu);
    await p.delete(id, after);
    expect((await counters(fixture.emu)).byRoute[POST_SRC]).toBeUndefined();
  });

  test("a new message or author alone commits nothing; path and branch replace (old removed first)", async () => {
    const args = { workspace: ws, repository: fixture.repoId, branch: "main", path: "docs/owners.txt", content: "a\n" };
    const { id, outs } = await create("CommitFile", args);
    await clearCounters(fixture.emu);
    const { outs: after } = await p.update(id, outs, await checked("CommitFile", { ...args, message: "later", author: "A B <a@b.test>" }));
    expect((await counters(fixture.emu)).byRoute[POST_SRC]).toBeUndefined();
    expect(after).toMatchObject({ message: "later", author: "A B <a@b.test>", commit: outs.commit });
    for (const [patch, key] of [
      [{ path: "docs/other.txt" }, "path"],
      [{ branch: "develop" }, "branch"],
      [{ repository: "another" }, "repository"],
    ] as const)
      expect(await p.diff(id, after, await checked("CommitFile", { ...args, ...patch }))).toEqual({
        changes: true,
        replaces: [key],
        deleteBeforeReplace: true,
      });
    await p.delete(id, after);
  });

  test("a missing branch is created from the main branch's head, as Bitbucket does", async () => {
    const { id, outs } = await create("CommitFile", {
      workspace: ws,
      repository: fixture.repoId,
      branch: "config/pipelines",
      path: "bitbucket-pipelines.yml",
      content: "pipelines: {}\n",
    });
    expect(await fileOn("config/pipelines", "bitbucket-pipelines.yml")).toBe("pipelines: {}\n");
    expect(await fileOn("main", "bitbucket-pipelines.yml")).toBe(404);
    expect((await p.read(id, outs)).props).toEqual(outs);
    await p.delete(id, outs);
  });
});

describe("CommitFile drift", () => {
  const args = () => ({ workspace: ws, repository: fixture.repoId, branch: "main", path: "OWNERS", content: "team-a\n" });

  test("content changed by hand: the refresh reads it, the diff names content, update commits the program's back", async () => {
    const { id, outs } = await create("CommitFile", args());
    await commitByHand("main", { OWNERS: "someone-else\n" });
    const { read, diff } = await refreshAndDiff("CommitFile", id, outs, args());
    expect(read.props).toMatchObject({ content: "someone-else\n" });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    await p.update(id, read.props!, await checked("CommitFile", args()));
    expect(await fileOn("main", "OWNERS")).toBe("team-a\n");
    await p.delete(id, outs);
  });

  test("the file removed by hand reads as gone (up commits it again)", async () => {
    const { id, outs } = await create("CommitFile", args());
    await commitByHand("main", {}, ["OWNERS"]);
    expect(await p.read(id, outs)).toEqual({});
  });

  test("message and author are kept from the state on a refresh (Bitbucket keeps them in commits): no drift, no perpetual diff", async () => {
    const withMeta = { ...args(), message: "m", author: "A B <a@b.test>" };
    const { id, outs } = await create("CommitFile", withMeta);
    await commitByHand("main", { unrelated: "x" });
    const { read, diff } = await refreshAndDiff("CommitFile", id, outs, withMeta);
    expect(read.props).toEqual(outs);
    expect(diff!.changes).toBe(false);
    await p.delete(id, outs);
  });

  test("a rename of the repository underneath changes nothing (addressed by its UUID)", async () => {
    const bySlug = { ...args(), repository: String(fixture.repoState.slug), path: "RENAME" };
    const { id, outs } = await create("CommitFile", bySlug);
    expect(outs.repositoryUuid).toBe(fixture.repoId);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Owned Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("CommitFile", id, outs, bySlug);
    expect(read.id).toBe(id);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    await p.delete(id, outs);
    expect(await fileOn("main", "RENAME")).toBe(404);
  });

  test("get by workspace/slug/branch:path reads the file and learns the repository's UUID", async () => {
    const { id, outs } = await create("CommitFile", { ...args(), path: "dir/got.txt" });
    const read = await p.read(`${ws}/${fixture.repoState.slug}/main:dir/got.txt`, undefined);
    expect(read).toMatchObject({ id, props: { content: "team-a\n", repositoryUuid: fixture.repoId, branch: "main", path: "dir/got.txt" } });
    await p.delete(id, outs);
  });
});

describe("CommitFile creation never commits a change twice", () => {
  test("the branch already holds the content: taken over with 0 commits", async () => {
    await commitByHand("main", { ALREADY: "same\n" });
    await clearCounters(fixture.emu);
    const { id, outs } = await create("CommitFile", { workspace: ws, repository: fixture.repoId, branch: "main", path: "ALREADY", content: "same\n" });
    expect((await counters(fixture.emu)).byRoute[POST_SRC]).toBeUndefined();
    expect(outs).not.toHaveProperty("commit");
    await p.delete(id, outs);
  });

  test("other content there: one commit, and the take-over is said", async () => {
    const notices: string[] = [];
    useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      await commitByHand("main", { OTHER: "theirs\n" });
      await clearCounters(fixture.emu);
      const { id, outs } = await create("CommitFile", { workspace: ws, repository: fixture.repoId, branch: "main", path: "OTHER", content: "ours\n" });
      expect((await counters(fixture.emu)).byRoute[POST_SRC]).toBe(1);
      expect(notices.join("\n")).toMatch(/already had OTHER on main with other content.*taken over/);
      await p.delete(id, outs);
    } finally {
      useOwner(fixture.emu);
    }
  });

  test("a POST whose answer is lost: the file is read again, found as wanted, and not committed twice", async () => {
    await script(fixture.emu, [{ method: "POST", pathPrefix: `${repoPath()}/src`, lostResponse: true }]);
    const before = (await asOwner(fixture.emu, "GET", `${repoPath()}/commits/main?pagelen=100`)).body.values.length;
    await clearCounters(fixture.emu);
    const { id, outs } = await create("CommitFile", { workspace: ws, repository: fixture.repoId, branch: "main", path: "LOST", content: "once\n" });
    expect((await counters(fixture.emu)).byRoute[POST_SRC]).toBe(1);
    expect((await asOwner(fixture.emu, "GET", `${repoPath()}/commits/main?pagelen=100`)).body.values.length).toBe(before + 1);
    expect(await fileOn("main", "LOST")).toBe("once\n");
    await p.delete(id, outs);
  });
});

describe("CommitFile check", () => {
  const base = { workspace: ws, repository: "some-repo", branch: "main", path: "CODEOWNERS", content: "x" };
  test.each([
    ["path '/CODEOWNERS'", { path: "/CODEOWNERS" }, "path", /without a leading '\/' .*\(got "\/CODEOWNERS"\)\.$/],
    ["path 'a/../b'", { path: "a/../b" }, "path", /'\.\.' .*\(got "a\/\.\.\/b"\)\.$/],
    ["path 'dir/'", { path: "dir/" }, "path", /end in '\/'/],
    ["path '.git/config'", { path: ".git/config" }, "path", /'\.git'/],
    ["path ''", { path: "" }, "path", /must not be empty/],
    ["branch 'a..b'", { branch: "a..b" }, "branch", /git branch name/],
    ["branch 'has space'", { branch: "has space" }, "branch", /git branch name/],
    ["branch 'a:b'", { branch: "a:b" }, "branch", /git branch name/],
    ["content 'bin\\0ary'", { content: "bin\0ary" }, "content", /NUL character \(binary files are not supported\)/],
    ["content over the cap", { content: "x".repeat(MAX_CONTENT_BYTES + 1) }, "content", /^content must be at most 256 KiB/],
    ["author 'Just A Name'", { author: "Just A Name" }, "author", /Full Name <email>/],
    ["author x <email> y", { author: `x <${USERS.alice.email}> y` }, "author", /Full Name <email>/],
    ["message ''", { message: "" }, "message", /must not be empty/],
    ["repository '../x'", { repository: "../x" }, "repository", /repository/],
  ])("%s is refused, naming the field", async (_what, patch: Record<string, string>, property, reason) => {
    const r = await p.check({}, { ...base, ...patch });
    expect(r.failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
    if (property === "content") expect(r.failures![0].reason.length).toBeLessThan(600);
  });

  test("content of exactly the cap, multibyte text and an unknown content at preview pass", async () => {
    expect((await p.check({}, { ...base, content: "x".repeat(MAX_CONTENT_BYTES) })).failures).toBeUndefined();
    expect((await p.check({}, { ...base, content: "ünïcødé ✓\n" })).failures).toBeUndefined();
    expect((await p.check({}, { ...base, content: UNKNOWN })).failures).toBeUndefined();
  });
});
