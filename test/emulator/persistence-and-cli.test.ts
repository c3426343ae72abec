import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { seedState, startEmulator } from "../../emulator";
import { CREDENTIALS } from "../../emulator/seed";
import { Client } from "../support/emulator-client";
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
    expect(res.headers.get("x-ratelimit-limit")).toBe("1000");
    expect((await client.get("/repositories/acme/generated-002")).status).toBe(200);
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }
  const saved = JSON.parse(fs.readFileSync(dataFile, "utf8"));
  expect(saved.repositories.find((r: { slug: string }) => r.slug === "website").description).toBe("from the CLI");
});
