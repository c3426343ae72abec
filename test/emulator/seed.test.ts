// The seeded data the read functions, imports and benchmarks rely on, and the generated repositories.
import { generatedGroupSlug, generatedMember, generatedRepository, seedState, startEmulator } from "../../emulator";
import { hookEvents } from "../../emulator/spec";
import { Client } from "../support/emulator-client";
import { expectConforms } from "./spec-conformance";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("seed");
const call = ctx.call;
const WEBSITE = "/repositories/acme/website";

describe("the default seed", () => {
  test("pull requests in every state", async () => {
    const res = await call("GET", `${WEBSITE}/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED`);
    expect(res.body.values.map((p: any) => [p.id, p.state])).toEqual([
      [1, "MERGED"],
      [2, "OPEN"],
      [3, "DECLINED"],
      [4, "SUPERSEDED"],
      [5, "OPEN"],
    ]);
  });

  test("branches, tags and a merge commit with two parents", async () => {
    expect((await call("GET", `${WEBSITE}/refs/branches`)).body.values.map((b: any) => b.name)).toEqual([
      "main",
      "develop",
      "feature/dark-mode",
      "release/2.x",
    ]);
    expect((await call("GET", `${WEBSITE}/refs/tags`)).body.values.map((t: any) => t.name)).toEqual(["v1.0.0", "v2.0.0"]);
    const [merge] = (await call("GET", `${WEBSITE}/commits`)).body.values;
    expect(merge.message).toMatch(/^Merge branch 'feature\/dark-mode'/);
    expect(merge.parents).toHaveLength(2);
  });

  test("nested directories in the source tree", async () => {
    const res = await call("GET", `${WEBSITE}/src/main/src/?max_depth=2`);
    expect(res.body.values.map((e: any) => e.path)).toEqual(["src/index.ts", "src/theme", "src/theme/dark.css", "src/theme/light.css"]);
  });

  test("watchers and forks", async () => {
    expect((await call("GET", `${WEBSITE}/watchers`)).body.size).toBe(2);
    expect((await call("GET", "/repositories/acme/platform-api/forks")).body.values.map((r: any) => r.full_name)).toEqual(["acme/platform-api-experiments"]);
  });
});

describe("generated repositories (seed.extraRepositories)", () => {
  const REPOS = Array.from({ length: 50 }, (_, k) => generatedRepository(k + 1));

  test("are the same on every start, and vary settings, hooks and grants", () => {
    expect(generatedRepository(7)).toEqual(generatedRepository(7));
    expect(new Set(REPOS.map((r) => r.uuid)).size).toBe(50);
    expect(new Set(REPOS.map((r) => r.is_private))).toEqual(new Set([true, false]));
    expect(new Set(REPOS.map((r) => r.fork_policy))).toEqual(new Set(["allow_forks", "no_public_forks", "no_forks"]));
    expect(new Set(REPOS.map((r) => r.language)).size).toBe(5);
    expect(new Set(REPOS.map((r) => r.mainbranch))).toEqual(new Set(["main", "master"]));
    expect(new Set(REPOS.map((r) => r.hooks.length))).toEqual(new Set([0, 1, 2]));
    expect(REPOS.some((r) => r.hooks.some((h) => h.secret !== null))).toBe(true);
    expect(REPOS.some((r) => r.hooks.some((h) => !h.active))).toBe(true);
    expect(REPOS.filter((r) => Object.keys(r.groupPermissions).length).length).toBeGreaterThan(25);
    expect(REPOS.filter((r) => Object.keys(r.userPermissions).length).length).toBeGreaterThan(15);
    expect(REPOS.some((r) => r.overrideSettings.default_merge_strategy)).toBe(true);
    expect(REPOS.some((r) => r.pipelinesEnabled)).toBe(true);
  });

  test("follow Bitbucket's rules: no public repository with no_public_forks, public ones in the public project, events from the spec", () => {
    const events = hookEvents();
    for (const r of REPOS) {
      expect(!r.is_private && r.fork_policy === "no_public_forks").toBe(false);
      expect(r.projectKey).toBe(r.is_private ? "PLAT" : "WEB");
      for (const h of r.hooks) expect(h.events.every((e) => events.includes(e))).toBe(true);
    }
  });

  test("startEmulator({ seed: { extraRepositories: 50 } }) serves them beside the default seed, and reset brings them back", async () => {
    const emu = await startEmulator({ quiet: true, seed: { extraRepositories: 50 } });
    try {
      const api = new Client(emu.apiUrl);
      const list = await api.get("/repositories/acme?pagelen=100");
      expectConforms(list);
      expect(list.body.size).toBe(53);
      const hooks = await api.get("/repositories/acme/generated-002/hooks");
      expectConforms(hooks);
      expect(hooks.body.values.map((h: any) => [h.url, h.secret_set])).toEqual([
        ["https://hooks.acme.test/generated-002/1", true],
        ["https://hooks.acme.test/generated-002/2", false],
      ]);
      await api.delete("/repositories/acme/generated-002");
      emu.reset();
      expect((await api.get("/repositories/acme/generated-002")).status).toBe(200);
    } finally {
      await emu.stop();
    }
  });

  test("an empty base with extra repositories holds only the generated ones; a bad count is refused", () => {
    expect(seedState({ base: "empty", extraRepositories: 3 }).repositories.map((r) => r.slug)).toEqual(["generated-001", "generated-002", "generated-003"]);
    expect(() => seedState({ extraRepositories: 2.5 })).toThrow(/whole number/);
    expect(() => seedState({ extraRepositories: -1 })).toThrow(/whole number/);
  });
});

describe("generated members and groups (seed.extraMembers, seed.extraGroups), for the benchmark's grants", () => {
  test("are members and groups of acme that a repository grant may name; a bad count is refused", async () => {
    const emu = await startEmulator({ quiet: true, seed: { base: "empty", extraRepositories: 1, extraMembers: 4, extraGroups: 4 } });
    try {
      const api = new Client(emu.apiUrl);
      for (let i = 1; i <= 4; i++) {
        const grants = "/repositories/acme/generated-001/permissions-config";
        expect((await api.put(`${grants}/users/${encodeURIComponent(generatedMember(i).account_id)}`, { permission: "read" })).status).toBe(200);
        expect((await api.put(`${grants}/groups/${generatedGroupSlug(i)}`, { permission: "write" })).status).toBe(200);
      }
      expect(new Set(Array.from({ length: 4 }, (_, i) => generatedMember(i + 1).uuid)).size).toBe(4);
    } finally {
      await emu.stop();
    }
    expect(() => seedState({ extraMembers: -1 })).toThrow(/extraMembers must be a whole number/);
    expect(() => seedState({ extraGroups: 1.5 })).toThrow(/extraGroups must be a whole number/);
  });
});
