import { CREDENTIALS } from "../../emulator/seed";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("variables");
const call = ctx.call;
const REPOSITORY = "/repositories/acme/platform-api/pipelines_config/variables";
const WORKSPACE = "/workspaces/acme/pipelines-config/variables";

describe.each([
  ["repository", REPOSITORY],
  ["workspace", WORKSPACE],
])("%s pipeline variables", (_holder, path) => {
  test("POST adds a variable (201, with a UUID); GET lists it and gets it by UUID; PUT changes it; DELETE removes it", async () => {
    const added = await call("POST", path, { key: "DEPLOY_ENV", value: "prod", secured: false });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ type: "pipeline_variable", key: "DEPLOY_ENV", value: "prod", secured: false, uuid: expect.stringMatching(/^\{.+\}$/) });
    const at = `${path}/${encodeURIComponent(added.body.uuid)}`;
    expect((await call("GET", path)).body.values).toEqual([added.body]);
    expect((await call("GET", at)).body).toEqual(added.body);
    const changed = await call("PUT", at, { key: "DEPLOY_ENV", value: "staging", secured: false });
    expect(changed.body).toMatchObject({ value: "staging" });
    expect((await call("DELETE", at)).status).toBe(204);
    expect((await call("GET", at)).status).toBe(404);
  });

  test("a secured value is never rendered: not by POST, GET, the list nor PUT", async () => {
    const added = await call("POST", path, { key: "TOKEN", value: "s3cr3t-value", secured: true });
    const at = `${path}/${encodeURIComponent(added.body.uuid)}`;
    const answers = [added, await call("GET", at), await call("GET", path), await call("PUT", at, { value: "an0ther-s3cr3t" })];
    for (const res of answers) expect(JSON.stringify(res.body)).not.toMatch(/s3cr3t/);
    expect(added.body).toMatchObject({ key: "TOKEN", secured: true });
    expect(added.body).not.toHaveProperty("value");
  });

  test("a key already used is 409, whatever the value; keys are case-sensitive", async () => {
    await call("POST", path, { key: "REGION", value: "eu" });
    const again = await call("POST", path, { key: "REGION", value: "us" });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already exists/);
    expect((await call("POST", path, { key: "region", value: "us" })).status).toBe(201);
    const other = await call("POST", path, { key: "OTHER", value: "x" });
    expect((await call("PUT", `${path}/${encodeURIComponent(other.body.uuid)}`, { key: "REGION" })).status).toBe(409);
  });

  test.each([["1ST"], ["WITH-DASH"], ["WITH SPACE"], [""], [42]])("a key %p is a 400 naming the key", async (key) => {
    const res = await call("POST", path, { key, value: "x" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^key: /);
    expect((await call("GET", path)).body.values).toEqual([]);
  });

  test("a member who is not an admin gets 403", async () => {
    expect((await call("GET", path, undefined, CREDENTIALS.alice)).status).toBe(403);
    expect((await call("POST", path, { key: "A", value: "b" }, CREDENTIALS.alice)).status).toBe(403);
  });
});

test("the spec's older /teams/{username}/pipelines_config/variables is not served (Bitbucket serves /workspaces/…/pipelines-config)", async () => {
  expect((await ctx.api.request("GET", "/teams/acme/pipelines_config/variables")).status).toBe(404);
});

test("repository variables of another repository, or of the workspace, are apart", async () => {
  await call("POST", REPOSITORY, { key: "A", value: "1" });
  expect((await call("GET", "/repositories/acme/website/pipelines_config/variables")).body.values).toEqual([]);
  expect((await call("GET", WORKSPACE)).body.values).toEqual([]);
});
