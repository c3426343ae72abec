import { CREDENTIALS, REPOSITORIES } from "../../emulator/seed";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("pipelines-config");
const call = ctx.call;
const PATH = "/repositories/acme/platform-api/pipelines_config";

test("GET answers the repository's pipelines configuration: disabled until someone enables it", async () => {
  const res = await call("GET", PATH);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ type: "repository_pipelines_configuration", enabled: false, repository: { uuid: REPOSITORIES.platformApi.uuid } });
});

test("PUT {enabled} switches Pipelines on and off, answers the new configuration, and GET reads it back", async () => {
  const on = await call("PUT", PATH, { enabled: true });
  expect(on.status).toBe(200);
  expect(on.body.enabled).toBe(true);
  expect((await call("GET", PATH)).body.enabled).toBe(true);
  expect((await call("PUT", PATH, { enabled: false })).body.enabled).toBe(false);
  expect((await call("GET", PATH)).body.enabled).toBe(false);
  // Another repository is not affected.
  await call("PUT", PATH, { enabled: true });
  expect((await call("GET", "/repositories/acme/website/pipelines_config")).body.enabled).toBe(false);
});

test("PUT takes the shape GET answers; read-only keys are ignored", async () => {
  const current = (await call("GET", PATH)).body;
  const res = await call("PUT", PATH, { ...current, enabled: true });
  expect(res.body).toMatchObject({ enabled: true, repository: { uuid: REPOSITORIES.platformApi.uuid } });
});

test("a non-boolean enabled is a 400 and changes nothing", async () => {
  const res = await call("PUT", PATH, { enabled: "yes" });
  expect(res.status).toBe(400);
  expect(res.body.error.message).toMatch(/^enabled: /);
  expect((await call("GET", PATH)).body.enabled).toBe(false);
});

test("needs admin rights: a member gets 403, the workspace access token may, an unknown repository is 404", async () => {
  expect((await call("GET", PATH, undefined, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("PUT", PATH, { enabled: true }, CREDENTIALS.alice)).status).toBe(403);
  expect((await call("PUT", PATH, { enabled: true }, CREDENTIALS.acmeAccessToken)).status).toBe(200);
  expect((await call("GET", "/repositories/acme/ghost/pipelines_config")).status).toBe(404);
});
