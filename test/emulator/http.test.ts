// HTTP behaviour the fuzzer probed: HEAD, methods a path does not serve, and malformed `q`.
import { MAX_NESTING } from "../../emulator/bbql";
import { requests } from "../support/emulator-client";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("http");
const call = ctx.call;

describe("HEAD", () => {
  test.each([
    "/repositories/acme/website",
    "/repositories/acme",
    "/repositories/acme/platform-api/hooks",
    "/workspaces/acme",
    "/repositories/acme/platform-api/src/main/README.md",
  ])("HEAD %s answers as GET does, headers without a body", async (path) => {
    const get = await ctx.api.get(path);
    const head = await ctx.api.request("HEAD", path);
    expect(get.status).toBe(200);
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(get.text)));
  });

  test("HEAD of what does not exist is 404, of a private repository without credentials 403, and the log names the route", async () => {
    expect((await ctx.api.request("HEAD", "/repositories/acme/ghost")).status).toBe(404);
    expect((await ctx.api.request("HEAD", "/repositories/acme/platform-api", { auth: null })).status).toBe(403);
    const log = await requests(ctx.emu.url);
    expect(log.at(-1)).toMatchObject({ method: "HEAD", route: "/repositories/{workspace}/{repo_slug}", status: 403 });
  });
});

describe("a method the path does not serve", () => {
  test.each([
    ["PATCH", "/repositories/acme/website", "GET, HEAD, POST, PUT, DELETE"],
    ["DELETE", "/repositories/acme", "GET, HEAD"],
    ["POST", "/repositories/acme/platform-api/hooks/%7Bx%7D", "GET, HEAD, PUT, DELETE"],
    ["DELETE", "/repositories/acme/platform-api/override-settings", "GET, HEAD, PUT"],
    ["PUT", "/user", "GET, HEAD"],
  ])("%s %s answers 405 with Allow: %s and the spec's error body", async (method, path, allow) => {
    const res = await ctx.api.request(method, path, { body: method === "GET" ? undefined : {} });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe(allow);
    expect(res.body).toMatchObject({ type: "error", error: { message: expect.stringContaining(method) } });
  });

  test("nothing changes: a 405 DELETE leaves the repository in place", async () => {
    await ctx.api.request("DELETE", "/repositories/acme/website/forks");
    expect((await call("GET", "/repositories/acme/website")).status).toBe(200);
  });

  test("a path no route serves is still 404", async () => {
    expect((await ctx.api.request("PATCH", "/repositories/acme/website/nothing-here")).status).toBe(404);
  });
});

describe("malformed q", () => {
  const q = (expr: string) => call("GET", `/repositories/acme?q=${encodeURIComponent(expr)}`);

  test(`parentheses nested deeper than ${MAX_NESTING} are a 400, not a crash`, async () => {
    for (const depth of [MAX_NESTING + 1, 5000]) {
      const res = await q("(".repeat(depth) + 'slug = "website"' + ")".repeat(depth));
      expect(res.status).toBe(400);
      expect(res.body.error.detail).toMatch(/nested deeper/);
    }
    const ok = await q("(".repeat(MAX_NESTING) + 'slug = "website"' + ")".repeat(MAX_NESTING));
    expect(ok.body.values.map((r: { slug: string }) => r.slug)).toEqual(["website"]);
  });

  test.each(['slug = "\\q"', 'slug = "\\u12"', 'slug = "\\x41"', 'slug = "a\\'])("an invalid escape in a quoted value (%s) is a 400", async (expr) => {
    const res = await q(expr);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ type: "error", error: { message: "Invalid query" } });
  });

  test("valid escapes still match", async () => {
    expect((await q('slug = "web\\u0073ite"')).body.values.map((r: { slug: string }) => r.slug)).toEqual(["website"]);
  });
});

test("a Host header that makes no URL is a 400, and the emulator keeps serving", async () => {
  const { request } = await import("http");
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(`${ctx.emu.apiUrl}/repositories/acme/website`, { headers: { Host: "bad host" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
  expect(status).toBe(400);
  expect((await call("GET", "/repositories/acme/website")).status).toBe(200);
});
