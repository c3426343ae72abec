// getUser and the Pipelines OIDC reads (getPipelinesOidcConfiguration, getPipelinesOidcKeys) against the
// emulator's seed, with the acme owner's client.
import { USERS } from "../../../emulator";
import { getPipelinesOidcConfiguration, getPipelinesOidcKeys, getPipelinesOidcKeysOutput, getUser } from "../../../provider";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();

describe("getUser", () => {
  test("by account id and by {uuid}: the user's public profile, in one request", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getUser({ user: USERS.bob.account_id }, { client: setup.client }));
    expect(result).toMatchObject({ uuid: USERS.bob.uuid, accountId: USERS.bob.account_id, displayName: USERS.bob.display_name, nickname: "bob", type: "user" });
    expect(sent).toEqual([`GET /2.0/users/${encodeURIComponent(USERS.bob.account_id)}`]);
    expect(await getUser({ user: USERS.bob.uuid }, { client: setup.client })).toEqual(result);
  });

  test("an unknown user is a 404 naming the request", async () => {
    await expect(getUser({ user: "{5eed9999-0000-4000-8000-000000000000}" }, { client: setup.client })).rejects.toThrow(
      /GET .*\/users\/\{5eed9999.*failed with 404/,
    );
  });

  test.each(["../user", "bob smith", ""])("user %j is refused before any request, naming the argument", async (user) => {
    const { sent } = await withRequests(setup.emu, () =>
      expect(getUser({ user }, { client: setup.client })).rejects.toThrow(/^getUser: Invalid arguments: user must be an Atlassian account id/),
    );
    expect(sent).toEqual([]);
  });
});

describe("Pipelines OIDC", () => {
  test("getPipelinesOidcConfiguration: the issuer and keys URL of the workspace's identity provider, and the whole document", async () => {
    const result = await getPipelinesOidcConfiguration({ workspace: "acme" }, { client: setup.client });
    const issuer = `${setup.emu.apiUrl}/workspaces/acme/pipelines-config/identity/oidc`;
    expect(result).toMatchObject({ workspace: "acme", issuer, jwksUri: `${issuer}/keys.json` });
    expect(result.configuration).toMatchObject({ issuer, id_token_signing_alg_values_supported: ["RS256"] });
  });

  test("getPipelinesOidcKeys: the signing keys as JSON Web Keys; the Output form gives the same", async () => {
    const { keys } = await getPipelinesOidcKeys({ workspace: "acme" }, { client: setup.client });
    expect(keys).toEqual([expect.objectContaining({ kty: "RSA", alg: "RS256", use: "sig", kid: expect.any(String), n: expect.any(String), e: "AQAB" })]);
    const viaOutput = await new Promise((resolve) => getPipelinesOidcKeysOutput({ workspace: "acme" }, { client: setup.client }).apply(resolve));
    expect(viaOutput).toEqual({ workspace: "acme", keys });
  });

  test("an unknown workspace is a 404; a bad workspace is refused naming the argument", async () => {
    await expect(getPipelinesOidcConfiguration({ workspace: "nowhere" }, { client: setup.client })).rejects.toThrow(/failed with 404/);
    await expect(getPipelinesOidcKeys({ workspace: ".." }, { client: setup.client })).rejects.toThrow(/^getPipelinesOidcKeys: Invalid arguments: workspace/);
  });
});
