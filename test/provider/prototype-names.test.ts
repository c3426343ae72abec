// Group slugs and webhook titles come from Bitbucket and from the program; spelled like a property every
// JavaScript object inherits (`constructor`, `toString`, `__proto__`…) they are data like any other: an
// undeclared grant or hook by such a name is drift that `up` removes, and drift reports name it.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPOSITORIES, seedState, WORKSPACES } from "../../emulator";
import { fieldDifferences } from "../../provider/drift/compare";
import { asOwner, create, Emulator, enc, provider, startWithProvider } from "./helpers";

const NAMES = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty", "prototype"];
const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi.uuid;

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  // The seed plus a group of each name in acme, each granted read on platform-api (a data file is the
  // emulator's way to start from any state).
  const state = seedState();
  const acme = state.workspaces.find((w) => w.slug === ws)!;
  const platformApi = state.repositories.find((r) => r.uuid === repo)!;
  for (const name of NAMES) {
    acme.groups.push({ slug: name, name: `Group ${name}`, memberUuids: [] });
    Object.defineProperty(platformApi.groupPermissions, name, { value: "read", enumerable: true, writable: true, configurable: true });
  }
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "prototype-names-"));
  fs.writeFileSync(path.join(dir, "state.json"), JSON.stringify(state));
  emu = await startWithProvider({ dataFile: path.join(dir, "state.json") });
});
afterAll(async () => {
  await emu.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function liveGroupGrants(): Promise<[string, string][]> {
  const res = await asOwner(emu, "GET", `/repositories/${ws}/${enc(repo)}/permissions-config/groups?pagelen=100`);
  return res.body.values.map((g: { group: { slug: string }; permission: string }) => [g.group.slug, g.permission]).sort();
}

test("the emulator lists the grants of groups named like Object.prototype properties", async () => {
  expect((await liveGroupGrants()).map(([slug]) => slug)).toEqual(expect.arrayContaining(NAMES));
});

test("RepositoryAccess deletes undeclared grants of groups named like Object.prototype properties, and keeps a declared one", async () => {
  const args = { workspace: ws, repository: repo, groups: { developers: "admin", constructor: "write" } };
  const { id, outs } = await create("RepositoryAccess", args);
  expect(await liveGroupGrants()).toEqual([
    ["constructor", "write"],
    ["developers", "admin"],
  ]);
  const read = await provider("RepositoryAccess").read(id, outs);
  expect(read.props?.groups).toEqual(args.groups);
});

test("RepositoryWebhooks deletes undeclared hooks titled like Object.prototype properties; one declared so has no secret", async () => {
  const hooks = `/repositories/${ws}/${enc(repo)}/hooks`;
  for (const title of NAMES)
    expect((await asOwner(emu, "POST", hooks, { description: title, url: "https://ci.example.com/x", events: ["repo:push"] })).status).toBe(201);
  const webhooks = { ci: { url: "https://ci.example.com/ci", events: ["repo:push"] }, valueOf: { url: "https://ci.example.com/v", events: ["repo:push"] } };
  const { outs } = await create("RepositoryWebhooks", { workspace: ws, repository: repo, webhooks });
  const live = (await asOwner(emu, "GET", hooks)).body.values;
  expect(live.map((h: { description: string; secret_set: boolean }) => [h.description, h.secret_set]).sort()).toEqual([
    ["ci", false],
    ["valueOf", false],
  ]);
  expect(outs.secrets ?? {}).toEqual({});
});

test.each(NAMES)("drift names an undeclared grant of group %s as absent from the program", (name) => {
  const groups = JSON.parse(`{"developers": "write", "${name}": "admin"}`);
  const live = { id: "x", custom: true, inputs: { groups }, outputs: { groups } };
  expect(fieldDifferences({ groups: { developers: "write" } }, live)).toEqual([{ field: `groups.${name}`, declared: "(absent)", live: '"admin"' }]);
});
