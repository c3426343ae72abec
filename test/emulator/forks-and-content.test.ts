import { CREDENTIALS, REPOSITORIES, USERS } from "../../emulator/seed";
import { expectConforms, expectMatchesDefinition, expectMatchesSchema } from "./spec-conformance";
import { startEmulator } from "../../emulator";
import { Client } from "../support/emulator-client";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("forks-and-content");
const call = ctx.call;

describe("forks", () => {
  test("POST creates a fork with 201, Location, parent, and the overridable fields", async () => {
    const res = await call(
      "POST",
      "/repositories/acme/platform-api/forks",
      {
        name: "Platform API (Globex)",
        workspace: { slug: "globex" },
        description: "our fork",
        fork_policy: "no_forks",
        language: "TypeScript",
        mainbranch: { name: "main" },
        is_private: true,
        project: { key: "CORE" },
      },
      CREDENTIALS.owner,
    );
    // The owner of acme is not an admin of globex: a fork into another workspace needs rights there.
    expect(res.status).toBe(403);

    const ok = await call(
      "POST",
      "/repositories/acme/website/forks",
      {
        name: "Website (Globex)",
        workspace: { slug: "globex" },
        description: "our fork",
        language: "TypeScript",
        has_wiki: false,
        project: { key: "CORE" },
      },
      CREDENTIALS.globexOwner,
    );
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({
      slug: "website-globex",
      full_name: "globex/website-globex",
      description: "our fork",
      language: "typescript",
      has_wiki: false,
      project: { key: "CORE" },
      parent: { full_name: "acme/website", uuid: REPOSITORIES.website.uuid },
      scm: "git",
    });
    expect(ok.headers.get("location")).toBe(`${ctx.emu.apiUrl}/repositories/globex/website-globex`);
  });

  test("a fork defaults to the parent's workspace, name and privacy, and carries its history", async () => {
    const res = await call("POST", "/repositories/acme/platform-api/forks", { name: "platform-api-copy" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ full_name: "acme/platform-api-copy", is_private: true, parent: { full_name: "acme/platform-api" } });
    const branches = await call("GET", "/repositories/acme/platform-api-copy/refs/branches");
    expect(branches.body.values.map((b: { name: string }) => b.name)).toEqual(["main", "develop"]);
  });

  test("a taken fork name is 400; a no_forks parent refuses forks with 400", async () => {
    expect((await call("POST", "/repositories/acme/platform-api/forks", {})).status).toBe(400);
    await call("PUT", "/repositories/acme/platform-api", { fork_policy: "no_forks" });
    expect((await call("POST", "/repositories/acme/platform-api/forks", { name: "another" })).status).toBe(400);
  });

  test("GET forks lists the forks; size gives the count", async () => {
    const res = await call("GET", "/repositories/acme/platform-api/forks?pagelen=1");
    expect(res.body.size).toBe(1);
    expect(res.body.values[0].full_name).toBe("acme/platform-api-experiments");
    const website = await call("GET", "/repositories/acme/website/forks", undefined, CREDENTIALS.globexOwner);
    expect(website.body.values.map((r: { full_name: string }) => r.full_name)).toEqual(["globex/website-fork"]);
  });

  test("a new fork answers 404 to every request addressed to it until forkReadyDelayMs has passed", async () => {
    const slow = await startEmulator({ quiet: true, forkReadyDelayMs: 400 });
    try {
      const client = new Client(slow.apiUrl);
      const created = await client.post("/repositories/acme/platform-api/forks", { name: "slow-fork" });
      expect(created.status).toBe(201);
      expectConforms(created);
      const byUuid = `/repositories/acme/${encodeURIComponent(created.body.uuid)}`;
      for (const path of ["/repositories/acme/slow-fork", byUuid, "/repositories/acme/slow-fork/refs/branches"]) {
        const early = await client.get(path);
        expectConforms(early);
        expect(early.status).toBe(404);
      }
      await new Promise((r) => setTimeout(r, 450));
      expect((await client.get("/repositories/acme/slow-fork")).status).toBe(200);
      expect((await client.get(byUuid)).status).toBe(200);
    } finally {
      await slow.stop();
    }
  });
});

describe("read endpoints", () => {
  test("watchers: size gives the count", async () => {
    const res = await call("GET", "/repositories/acme/platform-api/watchers?pagelen=1");
    expect(res.body.size).toBe(3);
    expect(res.body.values[0].uuid).toBe(USERS.acmeOwner.uuid);
  });

  test("branches, with q and sort", async () => {
    const res = await call("GET", "/repositories/acme/platform-api/refs/branches");
    expect(res.body.values.map((b: any) => [b.name, b.target.hash.length])).toEqual([
      ["main", 40],
      ["develop", 40],
    ]);
    const filtered = await call("GET", `/repositories/acme/platform-api/refs/branches?q=${encodeURIComponent('name = "develop"')}`);
    expect(filtered.body.values.map((b: any) => b.name)).toEqual(["develop"]);
    const sorted = await call("GET", "/repositories/acme/platform-api/refs/branches?sort=-name");
    expect(sorted.body.values.map((b: any) => b.name)).toEqual(["main", "develop"]);
  });

  test("tags", async () => {
    const res = await call("GET", "/repositories/acme/platform-api/refs/tags");
    expect(res.body.values).toHaveLength(1);
    expect(res.body.values[0]).toMatchObject({ type: "tag", name: "v1.0.0", message: "First release\n" });
  });

  test("commits, newest first, with parents", async () => {
    const res = await call("GET", "/repositories/acme/platform-api/commits");
    const values = res.body.values;
    expect(values).toHaveLength(4);
    expect(values[0].message).toBe("Work in progress on the API\n");
    expect(values[0].parents[0].hash).toBe(values[1].hash);
    expect(values[3].parents).toEqual([]);
  });

  test("pull requests: OPEN by default, state= selects others", async () => {
    const open = await call("GET", "/repositories/acme/platform-api/pullrequests");
    expect(open.body.values.map((p: any) => [p.id, p.state])).toEqual([[2, "OPEN"]]);
    const all = await call("GET", "/repositories/acme/platform-api/pullrequests?state=OPEN&state=MERGED");
    expect(all.body.size).toBe(2);
  });

  test("src: root listing, a directory, a file's raw content and its meta", async () => {
    const root = await call("GET", "/repositories/acme/platform-api/src");
    expect(root.body.values.map((e: any) => [e.type, e.path])).toEqual([
      ["commit_file", "README.md"],
      ["commit_directory", "docs"],
      ["commit_directory", "src"],
    ]);
    const dir = await call("GET", "/repositories/acme/platform-api/src/main/src/");
    expect(dir.body.values.map((e: any) => e.path)).toEqual(["src/index.ts"]);
    const file = await call("GET", "/repositories/acme/platform-api/src/main/src/index.ts");
    expect(file.contentType).toMatch(/^text\/plain/);
    expect(file.text).toBe("export const ready = true;\n");
    const meta = await ctx.api.get("/repositories/acme/platform-api/src/v1.0.0/README.md?format=meta");
    expectMatchesDefinition(meta, "commit_file", "format=meta on a file answers the file's entry; the spec declares only the directory listing");
    expect(meta.body).toMatchObject({ type: "commit_file", path: "README.md" });
    expect((await call("GET", "/repositories/acme/platform-api/src/main/nope.txt")).status).toBe(404);
    expect((await call("GET", "/repositories/acme/platform-api/src/no-such-branch/README.md")).status).toBe(404);
  });

  test("read endpoints need read access: 403 for a non-member on a private repository, and without credentials", async () => {
    for (const path of ["refs/branches", "refs/tags", "commits", "commits/main", "pullrequests", "src", "watchers", "forks"]) {
      expect((await call("GET", `/repositories/acme/platform-api/${path}`, undefined, CREDENTIALS.mallory)).status).toBe(403);
      expect((await call("GET", `/repositories/acme/platform-api/${path}`, undefined, null)).status).toBe(403);
      expect((await call("GET", `/repositories/acme/website/${path}`, undefined, null)).status).toBe(200);
    }
  });
});

describe("commits from a revision, include / exclude, path", () => {
  // acme/website: c1 README -> c2 skeleton -> c3 CI (main, v1.0.0) -> c4 (develop); c3 -> c5 dark mode
  // (feature/dark-mode); c3 -> c6 release prep; c7 merges c5 into c6 (release/2.x, v2.0.0).
  const COMMITS = "/repositories/acme/website/commits";
  const HISTORY = {
    c1: "Initial commit",
    c2: "Add service skeleton",
    c3: "Add CI pipeline",
    c4: "Work in progress on the API",
    c5: "Dark mode",
    c6: "Prepare the 2.0 release",
    c7: "Merge branch 'feature/dark-mode' into release/2.x",
  };
  const list = async (path: string) => {
    const res = await call("GET", path);
    expect(res.status).toBe(200);
    const byMessage = Object.fromEntries(Object.entries(HISTORY).map(([k, m]) => [m, k]));
    return res.body.values.map((c: { message: string }) => byMessage[c.message.trim()]);
  };

  test("without a revision: every commit reachable from a branch or a tag, newest first", async () => {
    expect(await list(COMMITS)).toEqual(["c7", "c6", "c5", "c4", "c3", "c2", "c1"]);
  });

  test("from a branch (a slash in its name encoded), a tag, a full and a short commit hash", async () => {
    expect(await list(`${COMMITS}/release%2F2.x`)).toEqual(["c7", "c6", "c5", "c3", "c2", "c1"]);
    expect(await list(`${COMMITS}/develop`)).toEqual(["c4", "c3", "c2", "c1"]);
    expect(await list(`${COMMITS}/v1.0.0`)).toEqual(["c3", "c2", "c1"]);
    const branches = (await call("GET", "/repositories/acme/website/refs/branches")).body.values;
    const darkMode: string = branches.find((b: { name: string }) => b.name === "feature/dark-mode").target.hash;
    expect(await list(`${COMMITS}/${darkMode}`)).toEqual(["c5", "c3", "c2", "c1"]);
    expect(await list(`${COMMITS}/${darkMode.slice(0, 12)}`)).toEqual(["c5", "c3", "c2", "c1"]);
  });

  test("include and exclude: `git log a b ^c`", async () => {
    expect(await list(`${COMMITS}/develop?exclude=main`)).toEqual(["c4"]);
    expect(await list(`${COMMITS}?include=feature/dark-mode&include=develop&exclude=main`)).toEqual(["c5", "c4"]);
    expect(await list(`${COMMITS}/v2.0.0?exclude=feature/dark-mode`)).toEqual(["c7", "c6"]);
  });

  test("path: the commits that changed that file, or a file under that directory; a clean merge changes none", async () => {
    expect(await list(`${COMMITS}/release%2F2.x?path=src/theme`)).toEqual(["c6", "c5"]);
    expect(await list(`${COMMITS}/release%2F2.x?path=src/theme/`)).toEqual(["c6", "c5"]);
    expect(await list(`${COMMITS}/release%2F2.x?path=README.md`)).toEqual(["c6", "c3", "c1"]);
    expect(await list(`${COMMITS}?path=docs`)).toEqual(["c4", "c2"]);
    expect(await list(`${COMMITS}/main?path=docs`)).toEqual(["c2"]);
    // A path prefix that is not a directory boundary selects nothing.
    expect(await list(`${COMMITS}?path=src/the`)).toEqual([]);
  });

  test("pages follow the revision and the filters", async () => {
    const first = await call("GET", `${COMMITS}/release%2F2.x?path=README.md&pagelen=2`);
    expect(first.body.size).toBe(3);
    const next = await call("GET", first.body.next);
    expect(next.body.values.map((c: { message: string }) => c.message)).toEqual(["Initial commit\n"]);
  });

  test("an unknown revision, included or excluded: 404", async () => {
    expect((await call("GET", `${COMMITS}/no-such-branch`)).status).toBe(404);
    expect((await call("GET", `${COMMITS}/main?exclude=no-such-tag`)).status).toBe(404);
    expect((await call("GET", `${COMMITS}?include=no-such-tag`)).status).toBe(404);
  });
});

describe("src formats and depth", () => {
  const SRC = "/repositories/acme/platform-api/src/main";
  const paths = (res: { body: any }) => res.body.values.map((e: { type: string; path: string }) => `${e.type === "commit_directory" ? "d" : "f"} ${e.path}`);

  test("format=meta on a directory answers the directory's own entry, with self and meta links", async () => {
    const res = await ctx.api.get(`${SRC}/docs/architecture/?format=meta`);
    expect(res.status).toBe(200);
    expectMatchesDefinition(res, "treeentry", "format=meta on a directory answers the directory's entry; the spec declares only the listing");
    expect(res.body).toMatchObject({ type: "commit_directory", path: "docs/architecture" });
    expect(res.body.links.self.href).toMatch(/\/src\/[0-9a-f]{40}\/docs\/architecture\/$/);
    expect(res.body.links.meta.href).toMatch(/\/docs\/architecture\/\?format=meta$/);
    expect(res.body).not.toHaveProperty("values");
  });

  test("without max_depth a listing holds the direct contents only; max_depth walks breadth-first", async () => {
    expect(paths(await call("GET", `${SRC}/docs/`))).toEqual(["d docs/architecture", "f docs/guide.md"]);
    expect(paths(await call("GET", `${SRC}/docs/?max_depth=2`))).toEqual([
      "d docs/architecture",
      "f docs/guide.md",
      "d docs/architecture/decisions",
      "f docs/architecture/overview.md",
    ]);
    expect(paths(await call("GET", `${SRC}/docs/?max_depth=3`))).toEqual([
      "d docs/architecture",
      "f docs/guide.md",
      "d docs/architecture/decisions",
      "f docs/architecture/overview.md",
      "f docs/architecture/decisions/0001-typescript.md",
    ]);
    const root = await call("GET", "/repositories/acme/platform-api/src?max_depth=10&pagelen=100");
    expect(root.body.size).toBe(9);
  });

  test("max_depth that is not a positive integer is a 400", async () => {
    for (const bad of ["0", "-1", "two", "1.5"]) expect((await call("GET", `${SRC}/docs/?max_depth=${bad}`)).status).toBe(400);
  });

  test("format=rendered answers a markdown file as HTML beside its raw text", async () => {
    const res = await ctx.api.get(`${SRC}/docs/architecture/overview.md?format=rendered`);
    expect(res.status).toBe(200);
    expectMatchesSchema(
      res,
      { type: "object", required: ["raw", "markup", "html"], properties: { raw: { type: "string" }, markup: { type: "string" }, html: { type: "string" } } },
      "{raw, markup, html}",
      "format=rendered answers the rendered file; the spec declares only the listing and has no definition for it",
    );
    expect(res.body).toMatchObject({
      raw: "# Architecture\n\nOne **service**, one database.\n",
      markup: "markdown",
      html: "<h1>Architecture</h1>\n<p>One <strong>service</strong>, one database.</p>\n",
    });
  });

  test("format=rendered on a file type it does not support, or on a directory, is a 400; an unknown format is a 400", async () => {
    expect((await call("GET", `${SRC}/src/index.ts?format=rendered`)).status).toBe(400);
    expect((await call("GET", `${SRC}/docs/?format=rendered`)).status).toBe(400);
    expect((await call("GET", `${SRC}/README.md?format=yaml`)).status).toBe(400);
  });
});
