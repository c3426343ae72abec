// A credential without a scope a call needs: Bitbucket answers 403 with `detail` {required, granted}
// (an object, where other errors have a string). The provider's error names the scopes to add, for
// resources and read functions alike, instead of failing on the object.
import { CREDENTIALS, REPOSITORIES, WORKSPACES } from "../../emulator";
import { createClient } from "../../provider/client";
import { getRepository } from "../../provider/functions";
import { configure } from "../../provider/runtime";
import { admin, create, Emulator, startWithProvider, useOwner } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());
afterEach(() => {
  useOwner(emu);
  emu.reset();
});

const ws = WORKSPACES.acme.slug;
const repo = REPOSITORIES.platformApi.slug;
const readOnly = () =>
  configure({
    "bitbucket:apiUrl": emu.apiUrl,
    "bitbucket:email": CREDENTIALS.ownerReadRepository.username,
    "bitbucket:apiToken": CREDENTIALS.ownerReadRepository.password,
  });
const withoutWebhooks = () => configure({ "bitbucket:apiUrl": emu.apiUrl, "bitbucket:accessToken": CREDENTIALS.acmeAccessTokenWithoutWebhooks.token });
const basic = (c: { username: string; password: string }) => ({ kind: "basic" as const, email: c.username, apiToken: c.password });
const hook = { workspace: ws, repository: repo, url: "https://ci.example.com/scoped", events: ["repo:push"] };

test.each([
  // Creation lists the repository's hooks first (to take over one a lost answer made).
  ["Webhook", hook, "read:webhook:bitbucket"],
  ["Repository", { workspace: ws, name: "Scoped Out" }, "admin:repository:bitbucket"],
  [
    "RepositoryWebhooks",
    { workspace: ws, repository: REPOSITORIES.platformApi.uuid, webhooks: { ci: { url: hook.url, events: hook.events } } },
    "read:webhook:bitbucket",
  ],
] as const)("%s with an API token that may only read repositories: the error names the scopes to add", async (kind, args, scopes) => {
  readOnly();
  const err = await create(kind, args).then(
    () => undefined,
    (e: Error) => e,
  );
  expect(err?.message).toContain("failed with 403: Your credentials lack one or more required privilege scopes");
  expect(err?.message).toContain(`Missing scopes: ${scopes}`);
  expect(err?.message).toContain("(granted: read:repository:bitbucket");
  expect(err?.message).toMatch(/Create an API token with the scopes [a-z:, ]+ and set it as bitbucket:apiToken/);
  expect(err?.message).not.toContain("[object Object]");
});

test("a Webhook with a token that may read hooks but not write them: the error names the one to add", async () => {
  await admin(emu, "PUT", "/scopes", { credential: CREDENTIALS.ownerReadRepository.password, scopes: ["read:repository:bitbucket", "read:webhook:bitbucket"] });
  readOnly();
  await expect(create("Webhook", hook)).rejects.toThrow(
    /Missing scopes: write:webhook:bitbucket \(granted: read:repository:bitbucket, read:webhook:bitbucket\)\. Create an API token with the scopes write:webhook:bitbucket/,
  );
});

test("a Webhook with an access token without the webhook scope: the error names webhook", async () => {
  withoutWebhooks();
  await expect(create("Webhook", hook)).rejects.toThrow(/Missing scopes: webhook \(granted: repository, .*Create an access token with the scopes webhook/);
});

test("a read function with a read-only token reads; one it lacks the scope for says which", async () => {
  const client = createClient({ apiUrl: emu.apiUrl, credentials: basic(CREDENTIALS.ownerReadRepository) });
  expect((await getRepository({ workspace: ws, repository: repo }, { client })).slug).toBe(repo);
  await expect(client.reads.pullRequests(ws, repo)).rejects.toThrow(/Missing scopes: read:pullrequest:bitbucket \(granted: read:repository:bitbucket\)/);
  await expect(client.reads.currentUser()).rejects.toMatchObject({
    status: 403,
    scopes: { required: ["read:user:bitbucket"], granted: ["read:repository:bitbucket"] },
  });
});

test("a token created without scopes is refused with Bitbucket's 401 and the credentials hint", async () => {
  const client = createClient({ apiUrl: emu.apiUrl, credentials: basic(CREDENTIALS.ownerUnscoped) });
  await expect(client.api.getRepository(ws, repo)).rejects.toThrow(
    /failed with 401: Token is invalid, expired, or not supported for this endpoint\. Authentication failed: check the credentials/,
  );
});
