import { CREDENTIALS } from "../../emulator/seed";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("deployments");
const call = ctx.call;
const ENVIRONMENTS = "/repositories/acme/platform-api/environments";
const variablesOf = (uuid: string) => `/repositories/acme/platform-api/deployments_config/environments/${encodeURIComponent(uuid)}/variables`;

async function addEnvironment(body: Record<string, unknown> = {}) {
  const res = await call("POST", ENVIRONMENTS, { name: "Production", environment_type: { name: "Production" }, ...body });
  expect(res.status).toBe(201);
  return res.body;
}

test("POST creates an environment (201 + Location) with its type, rank and restrictions; GET lists it and gets it", async () => {
  const env = await addEnvironment({ restrictions: { admin_only: true } });
  expect(env).toMatchObject({
    type: "deployment_environment",
    name: "Production",
    rank: 0,
    environment_type: { name: "Production" },
    restrictions: { admin_only: true },
  });
  expect((await call("GET", ENVIRONMENTS)).body.values).toEqual([env]);
  expect((await call("GET", `${ENVIRONMENTS}/${encodeURIComponent(env.uuid)}`)).body).toEqual(env);
  // The next of its type ranks after it.
  expect((await addEnvironment({ name: "Production EU" })).rank).toBe(1);
});

test("an environment type outside Test, Staging, Production is a 400 naming environment_type", async () => {
  for (const environment_type of [{ name: "Dev" }, "Production", undefined]) {
    const res = await call("POST", ENVIRONMENTS, { name: "x", environment_type });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^environment_type: /);
  }
});

test("a name already used (whatever its case) is 409", async () => {
  await addEnvironment();
  const res = await call("POST", ENVIRONMENTS, { name: "production", environment_type: { name: "Test" } });
  expect(res.status).toBe(409);
});

test("POST …/changes (202, no body) changes the name, rank and restriction; not the type", async () => {
  const env = await addEnvironment();
  const at = `${ENVIRONMENTS}/${encodeURIComponent(env.uuid)}`;
  const res = await call("POST", `${at}/changes`, { name: "Prod", rank: 3, restrictions: { admin_only: true } });
  expect(res.status).toBe(202);
  expect((await call("GET", at)).body).toMatchObject({ name: "Prod", rank: 3, restrictions: { admin_only: true } });
  const retype = await call("POST", `${at}/changes`, { environment_type: { name: "Test" } });
  expect(retype.status).toBe(400);
  expect(retype.body.error.message).toMatch(/^environment_type: /);
});

test("DELETE removes it and its variables; an unknown environment is 404 everywhere", async () => {
  const env = await addEnvironment();
  await call("POST", variablesOf(env.uuid), { key: "A", value: "1" });
  expect((await call("DELETE", `${ENVIRONMENTS}/${encodeURIComponent(env.uuid)}`)).status).toBe(204);
  expect((await call("GET", `${ENVIRONMENTS}/${encodeURIComponent(env.uuid)}`)).status).toBe(404);
  expect((await call("GET", variablesOf(env.uuid))).status).toBe(404);
  expect((await call("POST", variablesOf(env.uuid), { key: "A", value: "1" })).status).toBe(404);
});

test("deployment variables: keys once per environment (409), secured values never rendered", async () => {
  const prod = await addEnvironment();
  const test = await addEnvironment({ name: "Test", environment_type: { name: "Test" } });
  const added = await call("POST", variablesOf(prod.uuid), { key: "DB_PASSWORD", value: "pr0d-s3cr3t", secured: true });
  expect(added.status).toBe(201);
  expect(added.body).toMatchObject({ type: "deployment_variable", key: "DB_PASSWORD", secured: true });
  expect(JSON.stringify([added.body, (await call("GET", variablesOf(prod.uuid))).body])).not.toMatch(/s3cr3t/);
  expect((await call("POST", variablesOf(prod.uuid), { key: "DB_PASSWORD", value: "x" })).status).toBe(409);
  expect((await call("POST", variablesOf(test.uuid), { key: "DB_PASSWORD", value: "x" })).status).toBe(201);
});

test("reading environments needs read access; changing them needs admin rights", async () => {
  const env = await addEnvironment();
  expect((await call("GET", ENVIRONMENTS, undefined, CREDENTIALS.alice)).status).toBe(200);
  expect((await call("POST", ENVIRONMENTS, { name: "x", environment_type: { name: "Test" } }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("GET", variablesOf(env.uuid), undefined, CREDENTIALS.alice)).status).toBe(403);
});
