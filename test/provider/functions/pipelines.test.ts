// getDeploymentEnvironments, getRepositoryVariables and getWorkspaceVariables against the emulator:
// what they return, and that a secured value is never among it.
import { CREDENTIALS } from "../../../emulator";
import { getDeploymentEnvironments, getDeploymentEnvironmentsOutput, getRepositoryVariables, getWorkspaceVariables } from "../../../provider";
import { Client } from "../../support/emulator-client";
import { withEmulator } from "./helpers";
import * as pulumi from "@pulumi/pulumi";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const SECRET = "s3cr3t-never-returned";

beforeAll(async () => {
  const api = new Client(setup.emu.apiUrl);
  for (const path of ["/repositories/acme/platform-api/pipelines_config/variables", "/workspaces/acme/pipelines-config/variables"]) {
    await api.request("POST", path, { body: { key: "REGION", value: "eu" } });
    await api.request("POST", path, { body: { key: "TOKEN", value: SECRET, secured: true } });
  }
  await api.request("POST", "/repositories/acme/platform-api/environments", {
    body: { name: "Production", environment_type: { name: "Production" }, restrictions: { admin_only: true } },
  });
});

test("getRepositoryVariables: keys, secured flags, values of the variables not secured; never a secured value", async () => {
  const result = await getRepositoryVariables({ repository: "acme/platform-api" }, opts());
  expect(result).toMatchObject({
    workspace: "acme",
    repository: "platform-api",
    variables: [
      { key: "REGION", secured: false, value: "eu" },
      { key: "TOKEN", secured: true },
    ],
  });
  expect(result.variables[1]).not.toHaveProperty("value");
  expect(JSON.stringify(result)).not.toContain(SECRET);
});

test("getWorkspaceVariables: the workspace's, secured values left out", async () => {
  const result = await getWorkspaceVariables({ workspace: "acme" }, opts());
  expect(result.variables.map((v) => v.key)).toEqual(["REGION", "TOKEN"]);
  expect(JSON.stringify(result)).not.toContain(SECRET);
});

test("getDeploymentEnvironments (and its Output form): name, type, rank, restriction, the uuid a DeploymentVariable takes", async () => {
  const result = await getDeploymentEnvironments({ workspace: "acme", repository: "platform-api" }, opts());
  expect(result.environments).toEqual([
    { uuid: expect.stringMatching(/^\{.+\}$/), name: "Production", environmentType: "Production", rank: 0, adminOnly: true },
  ]);
  const out = getDeploymentEnvironmentsOutput({ repository: "acme/platform-api" }, opts());
  const names = await new Promise((resolve) => out.environments.apply((e) => resolve(e.map((x) => x.name))));
  expect(names).toEqual(["Production"]);
  expect(pulumi.Output.isInstance(out)).toBe(true);
});

test("a missing repository is an error naming it; a non-admin is refused 403 for variables", async () => {
  await expect(getRepositoryVariables({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  const alice = setup.clientAs({ kind: "basic", email: CREDENTIALS.alice.username, apiToken: CREDENTIALS.alice.password });
  await expect(getRepositoryVariables({ repository: "acme/platform-api" }, { client: alice })).rejects.toMatchObject({ status: 403 });
  await expect(getWorkspaceVariables({ workspace: "a/b" }, opts())).rejects.toThrow(/getWorkspaceVariables: .*workspace/);
});
