// The cost of a run: every request the client sends is counted by method and family, with what the
// rate-limit headers said; the provider keeps it in `bitbucket:costReport` after each operation.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CREDENTIALS, REPOSITORIES, startEmulator, WORKSPACES } from "../../emulator";
import { createClient, describeCost, RequestLedger } from "../../provider/client";
import { familyOf } from "../../provider/client/cost";
import { configure, runCost, startNewRun } from "../../provider/runtime";
import { clearCounters, counters, create, Emulator, FAST, ownerConfig, provider, script, startWithProvider, useOwner } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi;
const owner = { kind: "basic" as const, email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password };

test("a request's family is the fixed segments of its route", () => {
  expect(familyOf("/repositories/{workspace}/{repo_slug}/hooks/{uid}")).toBe("repositories/hooks");
  expect(familyOf("/repositories/{workspace}/{repo_slug}")).toBe("repositories");
  expect(familyOf("/workspaces/{workspace}/projects/{project_key}/permissions-config/users/{selected_user_id}")).toBe(
    "workspaces/projects/permissions-config/users",
  );
});

test("the ledger counts what the emulator received, by method and family, retries and 429s included", async () => {
  const ledger = new RequestLedger();
  const c = createClient({ apiUrl: emu.apiUrl, credentials: owner }, { retry: FAST.retry, ledger, notify: () => undefined });
  await script(emu, [
    { method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}/hooks`, status: 503 },
    { method: "GET", pathPrefix: `/repositories/${ws}/${repo.slug}/permissions-config/groups`, status: 429, retryAfterSeconds: 0 },
  ]);
  await clearCounters(emu);
  await c.api.getRepository(ws, repo.slug);
  await c.api.listHooks(ws, repo.slug);
  await c.api.repositoryGrants.groups.list(ws, repo.slug);
  const { total } = await counters(emu);
  expect(ledger.cost()).toEqual({
    requests: total,
    byMethod: { GET: total },
    byFamily: { "GET repositories": 1, "GET repositories/hooks": 2, "GET repositories/permissions-config/groups": 2 },
    rateLimited: 1,
  });
  expect(total).toBe(5);
  expect(describeCost(ledger.cost())).toBe(
    "5 API requests (GET 5); 1 answered 429 (rate limited); Bitbucket sent no rate-limit headers (it sends them to access tokens only)",
  );
});

test("with an access token, the cost says what X-RateLimit-Limit, -Resource and -NearLimit said", async () => {
  const limited = await startEmulator({ port: 0, quiet: true, rateLimit: { limit: 100, windowMs: 3_600_000 } });
  try {
    const ledger = new RequestLedger();
    const c = createClient({ apiUrl: limited.apiUrl, credentials: { kind: "bearer", accessToken: CREDENTIALS.acmeAccessToken.token } }, { ledger });
    await c.api.getRepository(ws, repo.slug);
    await c.api.getRepository(ws, repo.slug);
    expect(ledger.cost().rateLimit).toEqual({ limit: 100, resource: "api", nearLimit: false });
    expect(describeCost(ledger.cost())).toBe(
      "2 API requests (GET 2); rate-limit budget 100 requests (api), not nearly spent, at most 98 left after this run's",
    );
  } finally {
    await limited.stop();
  }
});

describe("the provider's cost report (bitbucket:costReport)", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bb-cost-"));
  });
  afterAll(() => {
    useOwner(emu);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test("is rewritten after each operation with the run's requests and operations", async () => {
    const file = path.join(dir, "cost.json");
    startNewRun();
    configure({ ...ownerConfig(emu), "bitbucket:costReport": file });
    await clearCounters(emu);
    const { id, outs } = await create("Repository", { workspace: ws, name: "Costed" });
    const afterCreate = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(afterCreate).toEqual({
      requests: 1,
      byMethod: { POST: 1 },
      byFamily: { "POST repositories": 1 },
      rateLimited: 0,
      byKind: { Repository: 1 },
      operations: { create: 1, read: 0, update: 0, delete: 0 },
    });
    await Promise.all([
      provider("Webhook").create({ workspace: ws, repository: id, url: "https://ci.example.com/costed", events: ["repo:push"] }),
      provider("Repository").read(id, outs),
    ]);
    await provider("Repository").delete(id, outs);
    const written = JSON.parse(fs.readFileSync(file, "utf8"));
    expect(written).toEqual({ ...runCost(), operations: { create: 2, read: 1, update: 0, delete: 1 } });
    expect(written.requests).toBe((await counters(emu)).total);
    expect(written.byFamily).toEqual({ "DELETE repositories": 1, "GET repositories": 1, "POST repositories": 1, "POST repositories/hooks": 1 });
    // Counted for the kind whose operation sent them, however the operations interleave.
    expect(written.byKind).toEqual({ Repository: 3, Webhook: 1 });
    expect(fs.readdirSync(dir)).toEqual(["cost.json"]);
  });

  test("unset: no file is written", async () => {
    startNewRun();
    useOwner(emu);
    const before = fs.readdirSync(dir);
    await create("Repository", { workspace: ws, name: "Not Costed" });
    expect(fs.readdirSync(dir)).toEqual(before);
    expect(runCost().requests).toBe(1);
  });
});
