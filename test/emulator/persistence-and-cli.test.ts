import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { seedState, startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { admin, Client } from "../support/emulator-client";
import { expectConforms, reportConformance } from "./spec-conformance";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-emulator-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => reportConformance("persistence-and-cli"));

test("--data persists the state as JSON across a restart", async () => {
  const dataFile = path.join(dir, "state.json");
  const first = await startEmulator({ quiet: true, dataFile });
  const created = await new Client(first.apiUrl).post("/repositories/acme/persisted", { description: "kept" });
  expectConforms(created);
  await first.stop();
  expect(JSON.parse(fs.readFileSync(dataFile, "utf8")).repositories.some((r: { slug: string }) => r.slug === "persisted")).toBe(true);
  // No temp files from the atomic writes are left behind.
  expect(fs.readdirSync(dir)).toEqual(["state.json"]);

  const second = await startEmulator({ quiet: true, dataFile });
  try {
    const res = await new Client(second.apiUrl).get("/repositories/acme/persisted");
    expectConforms(res);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ description: "kept", uuid: created.body.uuid });
  } finally {
    await second.stop();
  }
});

test("every successful write is on disk before the response, not only at stop", async () => {
  const dataFile = path.join(dir, "state.json");
  const emu = await startEmulator({ quiet: true, dataFile });
  try {
    await new Client(emu.apiUrl).delete("/repositories/acme/website");
    const onDisk = JSON.parse(fs.readFileSync(dataFile, "utf8"));
    expect(onDisk.repositories.some((r: { slug: string }) => r.slug === "website")).toBe(false);
  } finally {
    await emu.stop();
  }
});

test("seed empty has the accounts and workspaces but no repositories", async () => {
  const emu = await startEmulator({ quiet: true, seed: "empty" });
  try {
    const res = await new Client(emu.apiUrl).get("/repositories/acme");
    expectConforms(res);
    expect(res.body.size).toBe(0);
  } finally {
    await emu.stop();
  }
});

test("a data file written before projects had grants still loads", async () => {
  const dataFile = path.join(dir, "old.json");
  const old = seedState();
  for (const ws of old.workspaces)
    for (const p of ws.projects) {
      const legacy = p as Partial<typeof p>;
      delete legacy.description;
      delete legacy.updated_on;
      delete legacy.groupPermissions;
      delete legacy.userPermissions;
    }
  fs.writeFileSync(dataFile, JSON.stringify(old));
  const emu = await startEmulator({ quiet: true, dataFile });
  try {
    const client = new Client(emu.apiUrl);
    const project = await client.get("/workspaces/acme/projects/PLAT");
    expectConforms(project);
    expect(project.body).toMatchObject({ key: "PLAT", description: "" });
    expect((await client.put("/workspaces/acme/projects/PLAT/permissions-config/groups/developers", { permission: "read" })).status).toBe(200);
  } finally {
    await emu.stop();
  }
});

/**
 * Written by the emulator of commit 76d323b (layer layout: store.ts, render.ts) from the default seed plus
 * a project, a repository with a hook, grants, override settings, Pipelines on, and a fork.
 */
const DATA_BEFORE_FAMILIES = path.join(__dirname, "..", "fixtures", "emulator-data", "before-families.json");

test("a data file written before the family layout loads, serves its objects, and is written back unchanged", async () => {
  const dataFile = path.join(dir, "data.json");
  fs.copyFileSync(DATA_BEFORE_FAMILIES, dataFile);
  const emu = await startEmulator({ quiet: true, dataFile });
  try {
    const client = new Client(emu.apiUrl);
    const repo = await client.get("/repositories/acme/fixture-repo");
    expectConforms(repo);
    expect(repo.body).toMatchObject({ description: "written by the emulator before the family layout", project: { key: "DATA" }, is_private: false });
    const hooks = await client.get("/repositories/acme/fixture-repo/hooks");
    expect(hooks.body.values).toEqual([expect.objectContaining({ url: "https://example.com/hook", events: ["repo:push"], secret_set: true })]);
    expect((await client.get("/repositories/acme/fixture-repo/permissions-config/groups/developers")).body.permission).toBe("write");
    expect((await client.get("/repositories/acme/fixture-repo/permissions-config/users/712020:5eed0000-0000-4000-8000-000000000002")).body.permission).toBe(
      "admin",
    );
    expect((await client.get("/workspaces/acme/projects/DATA/permissions-config/groups/contractors")).body.permission).toBe("create-repo");
    expect((await client.get("/repositories/acme/fixture-repo/override-settings")).body.override_settings).toEqual({
      default_merge_strategy: true,
      branching_model: false,
    });
    expect((await client.get("/repositories/acme/fixture-repo/pipelines_config")).body.enabled).toBe(true);
    expect((await client.get("/repositories/acme/fixture-repo/forks")).body.values.map((r: { slug: string }) => r.slug)).toEqual(["fixture-fork"]);
  } finally {
    await emu.stop();
  }
  // Nothing was changed: the state is written back in the very format it was read in.
  expect(fs.readFileSync(dataFile, "utf8")).toBe(fs.readFileSync(DATA_BEFORE_FAMILIES, "utf8"));
});

function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolve(m[0]);
    });
    child.once("exit", (code) => reject(new Error(`emulator exited with ${code}: ${out}`)));
  });
}

test("the CLI prints its URLs and credentials, serves the API, persists with --data, and stops on SIGTERM", async () => {
  const dataFile = path.join(dir, "cli.json");
  const cli = path.join(__dirname, "..", "..", "emulator", "cli.ts");
  const child = spawn(
    process.execPath,
    [
      require.resolve("ts-node/dist/bin.js"),
      "--transpile-only",
      cli,
      "--port",
      "0",
      "--data",
      dataFile,
      "--fork-delay-ms",
      "0",
      "--rate-limit",
      "1000/3600",
      "--rate-limit-retry-after",
      "--extra-repositories",
      "2",
    ],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const line = await waitForLine(child, /Bitbucket Cloud emulator listening on (http:\/\/127\.0\.0\.1:\d+) \(API: \1\/2\.0\)/);
    const base = /http:\/\/127\.0\.0\.1:\d+/.exec(line)![0];
    const client = new Client(`${base}/2.0`, CREDENTIALS.owner);
    const res = await client.put("/repositories/acme/website", { description: "from the CLI" });
    expectConforms(res);
    expect(res.status).toBe(200);
    // The rate limit is on: Bitbucket tells only access tokens about it.
    expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    expect((await client.get("/repositories/acme/website", { auth: CREDENTIALS.acmeAccessToken })).headers.get("x-ratelimit-limit")).toBe("1000");
    expect((await admin(base, "GET", "/config")).rateLimit).toEqual({ limit: 1000, windowMs: 3_600_000, retryAfter: true });
    expect((await client.get("/repositories/acme/generated-002")).status).toBe(200);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }
  const saved = JSON.parse(fs.readFileSync(dataFile, "utf8"));
  expect(saved.repositories.find((r: { slug: string }) => r.slug === "website").description).toBe("from the CLI");
});
