import { CREDENTIALS, PROJECTS, REPOSITORIES, USERS, WORKSPACES } from "../../emulator/seed";
import { PageTrail } from "../../provider/client/paginate";
import { admin } from "../support/emulator-client";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("repositories");
const call = ctx.call;

describe("GET /repositories/{workspace}/{repo_slug}", () => {
  test("returns the seeded repository with the fields the provider reads", async () => {
    const res = await call("GET", "/repositories/acme/platform-api");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      type: "repository",
      uuid: REPOSITORIES.platformApi.uuid,
      full_name: "acme/platform-api",
      slug: "platform-api",
      scm: "git",
      is_private: true,
      fork_policy: "allow_forks",
      project: { key: "PLAT", uuid: PROJECTS.plat.uuid, type: "project" },
      mainbranch: { name: "main", type: "branch" },
      workspace: { slug: "acme", uuid: WORKSPACES.acme.uuid },
    });
    expect(res.body.links.clone.map((c: { name: string }) => c.name)).toEqual(["https", "ssh"]);
  });

  test("addresses workspace and repository by {uuid}", async () => {
    const path = `/repositories/${encodeURIComponent(WORKSPACES.acme.uuid)}/${encodeURIComponent(REPOSITORIES.platformApi.uuid)}`;
    const res = await call("GET", path);
    expect(res.status).toBe(200);
    expect(res.body.full_name).toBe("acme/platform-api");
  });

  test("answers 404 for a repository that does not exist", async () => {
    const res = await call("GET", "/repositories/acme/nope");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ type: "error", error: { message: expect.any(String) } });
  });

  test("answers 404 for a workspace that does not exist", async () => {
    expect((await call("GET", "/repositories/nobody/platform-api")).status).toBe(404);
  });

  test("without credentials answers a public repository and 403 for a private one; 401 with a wrong token", async () => {
    expect((await call("GET", "/repositories/acme/website", undefined, null)).status).toBe(200);
    expect((await call("GET", "/repositories/acme/platform-api", undefined, null)).status).toBe(403);
    const wrong = await call("GET", "/repositories/acme/website", undefined, { kind: "basic", username: "owner@acme.test", password: "wrong" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
  });

  test("answers 403 for a private repository the caller cannot see (a non-member)", async () => {
    expect((await call("GET", "/repositories/acme/platform-api", undefined, CREDENTIALS.mallory)).status).toBe(403);
  });

  test("a public repository is readable by anyone authenticated", async () => {
    expect((await call("GET", "/repositories/acme/website", undefined, CREDENTIALS.mallory)).status).toBe(200);
  });

  test("a workspace access token reads its own workspace, and not another's private repositories", async () => {
    expect((await call("GET", "/repositories/acme/platform-api", undefined, CREDENTIALS.acmeAccessToken)).status).toBe(200);
    expect((await call("GET", "/repositories/globex/core-services", undefined, CREDENTIALS.acmeAccessToken)).status).toBe(403);
  });
});

describe("POST /repositories/{workspace}/{repo_slug}", () => {
  test("creates with 200 as the spec declares (not 201), in the oldest project when no project.key is given", async () => {
    const res = await call("POST", "/repositories/acme/new-service", { is_private: true, description: "d", language: "Go" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ slug: "new-service", name: "new-service", project: { key: "PLAT" }, language: "go", description: "d" });
    expect(res.body.uuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect((await call("GET", "/repositories/acme/new-service")).status).toBe(200);
  });

  test("puts the repository in the project given by project.key", async () => {
    const res = await call("POST", "/repositories/acme/site2", { project: { key: "WEB" }, fork_policy: "no_public_forks" });
    expect(res.body.project.key).toBe("WEB");
    expect(res.body.fork_policy).toBe("no_public_forks");
  });

  test("a new repository has a main branch with a commit and a README", async () => {
    await call("POST", "/repositories/acme/fresh", {});
    const branches = await call("GET", "/repositories/acme/fresh/refs/branches");
    expect(branches.body.values.map((b: { name: string }) => b.name)).toEqual(["main"]);
    const src = await call("GET", "/repositories/acme/fresh/src");
    expect(src.body.values.map((e: { path: string }) => e.path)).toEqual(["README.md"]);
  });

  test("refuses an invalid fork_policy with 400 and the spec's error shape", async () => {
    const res = await call("POST", "/repositories/acme/bad", { fork_policy: "sometimes" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/fork_policy/);
  });

  test("refuses an unknown project key, a non-git scm and a non-boolean is_private with 400", async () => {
    expect((await call("POST", "/repositories/acme/bad", { project: { key: "NOPE" } })).status).toBe(400);
    expect((await call("POST", "/repositories/acme/bad", { scm: "hg" })).status).toBe(400);
    expect((await call("POST", "/repositories/acme/bad", { is_private: "yes" })).status).toBe(400);
  });

  test("refuses a slug that is taken with 400", async () => {
    const res = await call("POST", "/repositories/acme/platform-api", {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/already exists/);
  });

  test("refuses a body that is not JSON with 400", async () => {
    const res = await fetch(`${ctx.emu.apiUrl}/repositories/acme/x`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from("owner@acme.test:acme-api-token").toString("base64")}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });

  test("refuses a JSON body that is not an object with 400", async () => {
    const res = await call("POST", "/repositories/acme/array-body", ["not", "an", "object"]);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/JSON object/);
  });

  test("a member without the privilege to create repositories gets 400, as the spec says (not 403)", async () => {
    const res = await call("POST", "/repositories/acme/alice-repo", {}, CREDENTIALS.alice);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/permission/);
  });

  test("answers 401 without credentials", async () => {
    expect((await call("POST", "/repositories/acme/anon", {}, null)).status).toBe(401);
  });
});

describe("PUT /repositories/{workspace}/{repo_slug}", () => {
  test("updates fields with 200", async () => {
    const res = await call("PUT", "/repositories/acme/website", { description: "new", is_private: true, website: "https://www.acme.test" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: "new", is_private: true, website: "https://www.acme.test", slug: "website" });
    expect(res.headers.get("location")).toBeNull();
  });

  test("creates with 201 when the repository does not exist", async () => {
    const res = await call("PUT", "/repositories/acme/put-created", { description: "via put" });
    expect(res.status).toBe(201);
    expect(res.body.slug).toBe("put-created");
  });

  test("renaming re-slugs the repository and answers the new URL in Location", async () => {
    const res = await call("PUT", `/repositories/acme/${encodeURIComponent(REPOSITORIES.website.uuid)}`, { name: "Marketing Site ø" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "Marketing Site ø", slug: "marketing-site-o", full_name: "acme/marketing-site-o", uuid: REPOSITORIES.website.uuid });
    expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}/repositories/acme/marketing-site-o`);
    expect((await call("GET", "/repositories/acme/website")).status).toBe(404);
    expect((await call("GET", "/repositories/acme/marketing-site-o")).status).toBe(200);
  });

  test("a name change that keeps the slug still answers Location", async () => {
    const res = await call("PUT", "/repositories/acme/website", { name: "WEBSITE" });
    expect(res.body.slug).toBe("website");
    expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}/repositories/acme/website`);
  });

  test("renaming to a name whose slug is taken is refused with 400 and changes nothing", async () => {
    const res = await call("PUT", "/repositories/acme/website", { name: "Platform API" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/already exists/);
    expect((await call("GET", "/repositories/acme/website")).body.name).toBe("Website");
  });

  test("updating: a member without admin rights gets 403 (a status the spec does not declare for PUT)", async () => {
    expect((await call("PUT", "/repositories/acme/platform-api", { description: "x" }, CREDENTIALS.alice)).status).toBe(403);
  });

  test("PUT by an unknown {uuid} is 404, not a create", async () => {
    expect((await call("PUT", `/repositories/acme/${encodeURIComponent("{00000000-0000-4000-8000-000000000000}")}`, {})).status).toBe(404);
  });
});

describe("DELETE /repositories/{workspace}/{repo_slug}", () => {
  test("deletes with 204; the repository is then 404", async () => {
    const res = await call("DELETE", "/repositories/acme/website");
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect((await call("GET", "/repositories/acme/website")).status).toBe(404);
  });

  test("a member without admin rights gets 403", async () => {
    expect((await call("DELETE", "/repositories/acme/platform-api", undefined, CREDENTIALS.alice)).status).toBe(403);
  });

  test("deleting what does not exist is 404", async () => {
    expect((await call("DELETE", "/repositories/acme/ghost")).status).toBe(404);
  });
});

describe("GET /repositories/{workspace}: pagination, q and sort", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 12; i++) await call("POST", `/repositories/acme/svc-${String(i).padStart(2, "0")}`, { language: i % 2 ? "go" : "python" });
  });

  test("pages with page/pagelen, size and an absolute next URL until it is absent", async () => {
    const seen: string[] = [];
    // The provider's rule for following `next` (PageTrail): a loop here fails instead of spinning.
    let url: string | undefined = ctx.api.url("/repositories/acme?pagelen=5");
    const trail = new PageTrail("GET", url, 10);
    while (url) {
      const res = await call("GET", url);
      expect(res.body.pagelen).toBe(5);
      expect(res.body.size).toBe(15);
      seen.push(...res.body.values.map((r: { slug: string }) => r.slug));
      if (res.body.next) expect(res.body.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/2\.0\/repositories\/acme\?pagelen=5&page=\d$/);
      url = trail.follow(url, res.body);
    }
    expect(trail.pages).toBe(3);
    expect(new Set(seen).size).toBe(15);
  });

  test("pagelen above 100 is refused with 400", async () => {
    expect((await call("GET", "/repositories/acme?pagelen=101")).status).toBe(400);
    expect((await call("GET", "/repositories/acme?pagelen=100")).status).toBe(200);
  });

  test("filters with q on top-level and dotted fields, AND/OR and ~", async () => {
    const q = async (expr: string) =>
      (await call("GET", `/repositories/acme?pagelen=100&q=${encodeURIComponent(expr)}`)).body.values.map((r: { slug: string }) => r.slug).sort();
    expect(await q('language = "go" AND name ~ "svc-0"')).toEqual(["svc-01", "svc-03", "svc-05", "svc-07", "svc-09"]);
    expect(await q('project.key = "WEB"')).toEqual(["website"]);
    expect(await q('slug = "website" OR slug = "platform-api"')).toEqual(["platform-api", "website"]);
    expect(await q('name !~ "svc" AND is_private = false')).toEqual(["website"]);
    expect(await q("created_on < 2021-01-01T00:00:00Z")).toEqual(["platform-api"]);
  });

  test("an invalid q is refused with 400", async () => {
    expect((await call("GET", `/repositories/acme?q=${encodeURIComponent('name === "x"')}`)).status).toBe(400);
  });

  test("sorts with sort=field and sort=-field", async () => {
    const slugs = async (sort: string) => (await call("GET", `/repositories/acme?pagelen=3&sort=${sort}`)).body.values.map((r: { slug: string }) => r.slug);
    expect(await slugs("slug")).toEqual(["platform-api", "platform-api-experiments", "svc-01"]);
    expect(await slugs("-slug")).toEqual(["website", "svc-12", "svc-11"]);
  });

  test("a non-member sees only the public repositories", async () => {
    const res = await call("GET", "/repositories/acme?pagelen=100", undefined, CREDENTIALS.mallory);
    expect(res.body.values.map((r: { slug: string }) => r.slug)).toEqual(["website"]);
  });

  test("an unknown workspace is 404", async () => {
    expect((await call("GET", "/repositories/nobody")).status).toBe(404);
  });
});

describe("GET /workspaces/{workspace} and GET /user", () => {
  test("returns the workspace by slug and by {uuid}", async () => {
    const res = await call("GET", "/workspaces/acme");
    expect(res.body).toMatchObject({ type: "workspace", slug: "acme", uuid: WORKSPACES.acme.uuid });
    expect((await call("GET", `/workspaces/${encodeURIComponent(WORKSPACES.acme.uuid)}`)).body.slug).toBe("acme");
  });

  test("a workspace the caller is not part of is 404", async () => {
    expect((await call("GET", "/workspaces/acme", undefined, CREDENTIALS.globexOwner)).status).toBe(404);
  });

  test("GET /user is the caller; API token users, OAuth not needed", async () => {
    const res = await call("GET", "/user", undefined, CREDENTIALS.alice);
    expect(res.body).toMatchObject({ uuid: USERS.alice.uuid, account_id: USERS.alice.account_id, nickname: "alice" });
  });
});

test("admin counters count this suite's requests by spec template", async () => {
  await admin(ctx.emu.url, "DELETE", "/requests");
  await call("GET", "/repositories/acme/website");
  await call("GET", "/repositories/acme/platform-api");
  const counters = await admin(ctx.emu.url, "GET", "/counters");
  expect(counters).toEqual({ total: 2, byRoute: { "GET /repositories/{workspace}/{repo_slug}": 2 } });
});

describe("a public repository cannot have fork_policy no_public_forks", () => {
  const refused = (res: { status: number; body: any }) => {
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^fork_policy: a public repository cannot have fork_policy no_public_forks/);
  };

  test("POST and PUT-create refuse it and create nothing", async () => {
    refused(await call("POST", "/repositories/acme/open-but-closed", { is_private: false, fork_policy: "no_public_forks" }));
    refused(await call("PUT", "/repositories/acme/open-but-closed", { is_private: false, fork_policy: "no_public_forks" }));
    expect((await call("GET", "/repositories/acme/open-but-closed")).status).toBe(404);
  });

  test("an update that would make it so is refused and changes nothing, whichever field it changes", async () => {
    refused(await call("PUT", "/repositories/acme/website", { fork_policy: "no_public_forks" }));
    await call("PUT", "/repositories/acme/platform-api", { fork_policy: "no_public_forks" });
    refused(await call("PUT", "/repositories/acme/platform-api", { is_private: false }));
    expect((await call("GET", "/repositories/acme/website")).body).toMatchObject({ is_private: false, fork_policy: "allow_forks" });
    expect((await call("GET", "/repositories/acme/platform-api")).body).toMatchObject({ is_private: true, fork_policy: "no_public_forks" });
  });

  test("private with no_public_forks, and public with the other policies, are accepted", async () => {
    expect((await call("POST", "/repositories/acme/closed", { is_private: true, fork_policy: "no_public_forks" })).status).toBe(200);
    expect((await call("POST", "/repositories/acme/open-a", { is_private: false, fork_policy: "allow_forks" })).status).toBe(200);
    expect((await call("POST", "/repositories/acme/open-b", { is_private: false, fork_policy: "no_forks" })).status).toBe(200);
  });

  test("a public fork asking for no_public_forks is refused; a fork of a no_public_forks parent must be private", async () => {
    refused(await call("POST", "/repositories/acme/website/forks", { name: "web-copy", fork_policy: "no_public_forks" }));
    await call("PUT", "/repositories/acme/platform-api", { fork_policy: "no_public_forks" });
    const publicFork = await call("POST", "/repositories/acme/platform-api/forks", { name: "api-copy", is_private: false });
    expect(publicFork.status).toBe(400);
    expect(publicFork.body.error.message).toMatch(/must be private/);
    const privateFork = await call("POST", "/repositories/acme/platform-api/forks", { name: "api-copy" });
    expect(privateFork.status).toBe(201);
    expect(privateFork.body).toMatchObject({ is_private: true, fork_policy: "no_public_forks" });
  });
});
