// Bitbucket Cloud's issue tracker and wikis were sunset on 2026-08-20. The repository fields stay in
// the API: `has_issues` / `has_wiki` read false on every repository, false is accepted on create, update
// and fork (it changes nothing), and true is refused naming the field and the sunset.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { seedState, startEmulator } from "../../emulator";
import { REPOSITORIES } from "../../emulator/seed";
import { Client } from "../support/emulator-client";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("issues-and-wikis");
const call = ctx.call;
const FIELDS = ["has_issues", "has_wiki"] as const;
const SUNSET = /was sunset on 2026-08-20: a repository can no longer have one\. Send false or leave has_(issues|wiki) out/;

test("every repository reads has_issues and has_wiki false, in a repository and in listings", async () => {
  const seeded = [
    ...(await call("GET", "/repositories/acme")).body.values,
    ...(await call("GET", "/repositories/globex", undefined, { kind: "basic", username: "owner@globex.test", password: "globex-api-token" })).body.values,
  ];
  expect(seeded.length).toBe(5);
  for (const repo of seeded)
    expect({ repo: repo.full_name, has_issues: repo.has_issues, has_wiki: repo.has_wiki }).toEqual({
      repo: repo.full_name,
      has_issues: false,
      has_wiki: false,
    });
  expect((await call("GET", `/repositories/acme/${REPOSITORIES.platformApi.slug}`)).body).toMatchObject({ has_issues: false, has_wiki: false });
});

describe.each(FIELDS)("%s", (field) => {
  test("true is refused on create with 400 naming the field and the sunset; nothing is created", async () => {
    const res = await call("POST", "/repositories/acme/tracked", { [field]: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(new RegExp(`^${field}: `));
    expect(res.body.error.message).toMatch(SUNSET);
    expect(res.body.error.detail).toBe(`Invalid value for field "${field}"`);
    expect((await call("GET", "/repositories/acme/tracked")).status).toBe(404);
    expect((await call("PUT", "/repositories/acme/tracked-by-put", { [field]: true })).status).toBe(400);
  });

  test("true is refused on update, and nothing else in the body is applied", async () => {
    const res = await call("PUT", "/repositories/acme/website", { description: "changed", [field]: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(SUNSET);
    expect((await call("GET", "/repositories/acme/website")).body.description).toBe("acme.test");
  });

  test("true is refused on a fork", async () => {
    const res = await call("POST", "/repositories/acme/platform-api/forks", { name: "tracked-fork", [field]: true });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(SUNSET);
  });

  test("false is accepted on create, update and fork, and reads false", async () => {
    expect((await call("POST", "/repositories/acme/untracked", { [field]: false })).body[field]).toBe(false);
    const updated = await call("PUT", "/repositories/acme/website", { description: "changed", [field]: false });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ description: "changed", [field]: false });
    const fork = await call("POST", "/repositories/acme/platform-api/forks", { name: "untracked-fork", [field]: false });
    expect(fork.status).toBe(201);
    expect(fork.body[field]).toBe(false);
  });

  test("a value that is not a boolean is still refused as such", async () => {
    const res = await call("PUT", "/repositories/acme/website", { [field]: "yes" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`${field}: must be a boolean`);
  });
});

test("a data file written before the sunset, holding has_issues and has_wiki true, reads false", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sunset-"));
  const file = path.join(dir, "state.json");
  const state = seedState() as unknown as { repositories: Record<string, unknown>[] };
  for (const repo of state.repositories) Object.assign(repo, { has_issues: true, has_wiki: true });
  fs.writeFileSync(file, JSON.stringify(state));
  const emu = await startEmulator({ quiet: true, dataFile: file });
  try {
    const res = await new Client(emu.apiUrl).get("/repositories/acme/platform-api");
    expect(res.body).toMatchObject({ has_issues: false, has_wiki: false });
  } finally {
    await emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
