// Names that are also properties of every JavaScript object (`constructor`, `__proto__`, `toString`…)
// must be looked up as data: a slug, key, group, user, hook id or file path spelled so answers like any
// other unknown or new name (404, 400, or a creation), never 500 and never a property of Object.prototype.
// The cases come from the router's table, so a new route is covered as soon as it is added.
import { ROUTES } from "../../emulator/families";
import { SEEDED_PATH_PARAMS as VALID, useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("prototype-names");

const NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype"];

/** What the name is tried as: itself, and for a file path also as a directory and a file under one. */
const spellings = (param: string, name: string) => (param === "path" ? [name, `src/main/${name}`, `${name}/README.md`] : [name]);

/** One body that every write route can read: the fields it does not know it ignores or refuses with 400. */
const body = (name: string) => ({ name: `n-${name}`, permission: "read", url: "https://ci.example.com/hook", events: ["repo:push"] });

const cases = ROUTES.flatMap((route) => [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => [route.method, route.template, m[1]] as const));

test("every path parameter of every route has a seeded value here", () => {
  const params = new Set(cases.map(([, , param]) => param));
  expect([...params].filter((p) => !(p in VALID))).toEqual([]);
  expect(cases.length).toBeGreaterThan(60);
});

test.each(cases)("%s %s with {%s} named like an Object.prototype property: no 500", async (method, template, param) => {
  for (const name of NAMES)
    for (const value of spellings(param, name)) {
      ctx.emu.reset();
      const path = template.replace(/\{(\w+)\}/g, (_, p: string) =>
        p === param ? (p === "path" ? value : encodeURIComponent(value)) : encodeURIComponent(VALID[p]),
      );
      const res = await ctx.call(method, path, method === "PUT" || method === "POST" ? body(name) : undefined);
      expect({ path, status: res.status }).toEqual({ path, status: expect.any(Number) });
      expect({ path, serverError: res.status >= 500 }).toEqual({ path, serverError: false });
      // Reading or deleting what does not exist is 404; nothing of Object.prototype is found.
      if (method === "GET" || method === "DELETE") expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
});

describe("names inside bodies and queries", () => {
  test.each(NAMES)("override-settings refuses the setting %s as unknown (400), and stores nothing", async (name) => {
    const path = "/repositories/acme/platform-api/override-settings";
    const res = await ctx.call("PUT", path, JSON.parse(`{"override_settings": {"${name}": true}}`));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(name);
    expect((await ctx.call("GET", path)).body.override_settings).toEqual({ default_merge_strategy: false, branching_model: false });
  });

  test.each(NAMES)("a BBQL field or sort named %s reads no property of Object.prototype", async (name) => {
    // Inherited, `constructor` would read as "function Object() { [native code] }" and `__proto__` as "[object Object]".
    for (const q of [`${name} ~ "native code"`, `${name} ~ "[object"`, `__proto__.${name} ~ "native code"`])
      expect({ q, values: (await ctx.call("GET", `/repositories/acme?q=${encodeURIComponent(q)}`)).body.values }).toEqual({ q, values: [] });
    const sorted = await ctx.call("GET", `/repositories/acme?sort=${name}.name`);
    expect(sorted.status).toBe(200);
    expect(sorted.body.size).toBe(3);
  });
});
