// What the client added for the read functions: pagination with a limit, counts from a one-value
// page, repeated query parameters, multi-segment path parameters and the refusal of dot segments.
import { startEmulator } from "../../emulator";
import { createClient } from "../../provider/client";
import { buildUrl } from "../../provider/client/http";
import { countValues, NotAPageError, paginate } from "../../provider/client/paginate";
import { asOwner, clearCounters, Emulator, FAST, requests } from "./helpers";
import { OWNER } from "./functions/helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ port: 0, quiet: true });
});
afterAll(() => emu.stop());

const client = () => createClient({ apiUrl: emu.apiUrl, credentials: OWNER }, { retry: FAST.retry });
const list = { method: "GET" as const, route: "/repositories/{workspace}", params: { workspace: "acme" } };

describe("pagination with a limit", () => {
  test("stops once the limit is reached, mid-way through the pages", async () => {
    await clearCounters(emu);
    const two = await paginate<{ uuid: string }>(client().send, emu.apiUrl, { ...list, query: { pagelen: 1 } }, 2);
    expect(two).toHaveLength(2);
    expect(new Set(two.map((r) => r.uuid)).size).toBe(2);
    expect((await requests(emu)).map((r) => r.path)).toEqual(["/2.0/repositories/acme?pagelen=1", "/2.0/repositories/acme?pagelen=1&page=2"]);
  });

  test("asks for no more than the limit per page", async () => {
    await clearCounters(emu);
    expect(await paginate(client().send, emu.apiUrl, list, 1)).toHaveLength(1);
    expect((await requests(emu)).map((r) => r.path)).toEqual(["/2.0/repositories/acme?pagelen=1"]);
  });

  test("an answer that is not a page is an error, not an empty list", async () => {
    const readme = {
      method: "GET" as const,
      route: "/repositories/{workspace}/{repo_slug}/src/{commit}/{path}",
      params: { workspace: "acme", repo_slug: "platform-api", commit: "main", path: "README.md" },
    };
    await expect(paginate(client().send, emu.apiUrl, readme)).rejects.toBeInstanceOf(NotAPageError);
  });
});

test("a count is the `size` of a one-value page", async () => {
  await clearCounters(emu);
  const watchers = {
    method: "GET" as const,
    route: "/repositories/{workspace}/{repo_slug}/watchers",
    params: { workspace: "acme", repo_slug: "platform-api" },
  };
  expect(await countValues(client().send, emu.apiUrl, watchers)).toBe(3);
  expect((await requests(emu)).map((r) => r.path)).toEqual(["/2.0/repositories/acme/platform-api/watchers?pagelen=1"]);
  const all = (await asOwner(emu, "GET", "/repositories/acme?pagelen=100")).body.size;
  expect(await countValues(client().send, emu.apiUrl, list)).toBe(all);
});

describe("URLs", () => {
  const api = "https://api.bitbucket.org/2.0";
  const repo = { method: "GET" as const, route: "/repositories/{workspace}/{repo_slug}" };

  test.each([".", "..", ""])("a path parameter %j is refused: it would move the request elsewhere", (slug) => {
    expect(() => buildUrl(api, { ...repo, params: { workspace: "acme", repo_slug: slug } })).toThrow(/repo_slug/);
  });

  test("a slash inside a parameter stays inside it", () => {
    expect(buildUrl(api, { ...repo, params: { workspace: "acme", repo_slug: "a/../../user" } })).toBe(`${api}/repositories/acme/a%2F..%2F..%2Fuser`);
  });

  test("a multi-segment parameter keeps its slashes, encodes each segment, and refuses dot segments", () => {
    const src = { method: "GET" as const, route: "/r/{commit}/{path}", multiSegment: ["path"] };
    expect(buildUrl(api, { ...src, params: { commit: "feature/x", path: "docs/a b.md" } })).toBe(`${api}/r/feature%2Fx/docs/a%20b.md`);
    expect(() => buildUrl(api, { ...src, params: { commit: "main", path: "docs/../../x" } })).toThrow(/path/);
    expect(() => buildUrl(api, { ...src, params: { commit: "main", path: "docs//x" } })).toThrow(/path/);
  });

  test("an array query value repeats the parameter", () => {
    expect(buildUrl(api, { ...repo, params: { workspace: "a", repo_slug: "b" }, query: { state: ["OPEN", "MERGED"], q: undefined } })).toBe(
      `${api}/repositories/a/b?state=OPEN&state=MERGED`,
    );
  });
});
