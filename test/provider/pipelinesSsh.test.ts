import { WORKSPACES } from "../../emulator";
import { UNKNOWN } from "../../provider/resources/common";
import { PRIVATE_MATERIAL, publicKey, publicKeyBody, sshKeyPair } from "../support/ssh-keys";
import {
  asOwner,
  checked,
  clearCounters,
  counters,
  create,
  enc,
  FAST,
  provider,
  refreshAndDiff,
  refreshCost,
  script,
  useOwner,
  emulatorWithRepository,
} from "./helpers";

const fixture = emulatorWithRepository("Built");

const ws = WORKSPACES.acme.slug;
const ssh = () => `/repositories/${ws}/${enc(fixture.repoId)}/pipelines_config/ssh`;
const hosts = provider("PipelineKnownHost");
const pairs = provider("PipelineSshKeyPair");

describe("PipelineKnownHost", () => {
  const key = publicKey("github", "scanned");
  test("create, read, no-op diff, hostname and key in place, delete; a refresh is one GET", async () => {
    const args = { workspace: ws, repository: fixture.repoId, hostname: "[git.example.com]:2222", key };
    const { id, outs } = await create("PipelineKnownHost", args);
    expect(outs).toMatchObject({
      hostname: args.hostname,
      key,
      uuid: id,
      repositoryUuid: fixture.repoId,
      sha256Fingerprint: expect.stringMatching(/^SHA256:/),
    });
    const { read, diff } = await refreshAndDiff("PipelineKnownHost", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    // Another comment is the same key.
    expect((await hosts.diff(id, outs, await checked("PipelineKnownHost", { ...args, key: publicKey("github") }))).changes).toBe(false);

    const rekeyed = await checked("PipelineKnownHost", { ...args, hostname: "git.example.com", key: publicKey("github2", undefined, "ssh-rsa") });
    expect(await hosts.diff(id, outs, rekeyed)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await hosts.update(id, outs, rekeyed);
    expect(after).toMatchObject({ hostname: "git.example.com", key: publicKey("github2", undefined, "ssh-rsa"), uuid: id });

    const cost = await refreshCost(fixture.emu, "PipelineKnownHost", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: PipelineKnownHost = ${cost.calls} API call(s)`);
    await hosts.delete(id, after);
    expect(await hosts.read(id, after)).toEqual({});
  });

  test("drift: a key changed by hand is a diff that up puts back; a rename of the repository changes nothing", async () => {
    const args = { workspace: ws, repository: String(fixture.repoState.slug), hostname: "drift.example.com", key };
    const { id, outs } = await create("PipelineKnownHost", args);
    await asOwner(fixture.emu, "PUT", `${ssh()}/known_hosts/${enc(id)}`, {
      hostname: "drift.example.com",
      public_key: { key_type: "ssh-ed25519", key: publicKeyBody("other") },
    });
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Built Renamed" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("PipelineKnownHost", id, outs, args);
    expect(read.props).toMatchObject({ key: publicKey("other") });
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: restored } = await hosts.update(id, read.props!, await checked("PipelineKnownHost", args));
    expect(restored).toMatchObject({ key });
    await hosts.delete(id, restored);
  });

  test("a POST whose answer is lost: the retry meets 409 and the host is taken over, never added twice", async () => {
    const args = { workspace: ws, repository: fixture.repoId, hostname: "lost.example.com", key };
    await script(fixture.emu, [{ method: "POST", pathPrefix: `${ssh()}/known_hosts`, lostResponse: true }]);
    await clearCounters(fixture.emu);
    const { id, outs } = await create("PipelineKnownHost", args);
    expect((await counters(fixture.emu)).byRoute["POST /repositories/{workspace}/{repo_slug}/pipelines_config/ssh/known_hosts"]).toBe(2);
    expect((await asOwner(fixture.emu, "GET", `${ssh()}/known_hosts`)).body.values.map((h: { uuid: string }) => h.uuid)).toEqual([id]);
    await hosts.delete(id, outs);
  });

  test("a host added by hand with another key is taken over, rekeyed, and said so", async () => {
    const notices: string[] = [];
    useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const made = (
        await asOwner(fixture.emu, "POST", `${ssh()}/known_hosts`, {
          hostname: "hand.example.com",
          public_key: { key_type: "ssh-ed25519", key: publicKeyBody("hand") },
        })
      ).body;
      const { id, outs } = await create("PipelineKnownHost", { workspace: ws, repository: fixture.repoId, hostname: "hand.example.com", key });
      expect(id).toBe(made.uuid);
      expect(outs.key).toBe(key);
      expect(notices.join("\n")).toMatch(/already had the known host hand.example.com .* with another key, now the program's: taken over/);
      await hosts.delete(id, outs);
    } finally {
      useOwner(fixture.emu);
    }
  });

  const base = { workspace: ws, repository: "r", hostname: "git.example.com", key };
  test.each([
    [{ hostname: "git example.com" }, "hostname", /must be a host name or IP address, or `\[host\]:port`/],
    [{ hostname: "[git.example.com]:0" }, "hostname", /port must be 1-65535/],
    [{ key: `ssh-dss ${publicKeyBody("x")}` }, "key", /type is one of/],
    [{ key: "ssh-ed25519 %%" }, "key", /base64/],
  ])("check: %j fails on %s", async (patch, property, reason) => {
    expect((await hosts.check({}, { ...base, ...patch })).failures).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });
  test("check: IPv4, IPv6 and bracketed ports pass", async () => {
    for (const hostname of ["10.0.0.1", "[10.0.0.1]:22", "2001:db8::1", "[2001:db8::1]:2200", "bitbucket.org"])
      expect((await hosts.check({}, { ...base, hostname })).failures).toBeUndefined();
  });
});

describe("PipelineSshKeyPair", () => {
  test("create, read, no-op diff, a new private key in place, delete; the public key is read back; a refresh is one GET", async () => {
    const pair = sshKeyPair();
    const args = { workspace: ws, repository: fixture.repoId, privateKey: pair.openSsh };
    const { id, outs } = await create("PipelineSshKeyPair", args);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    expect(outs).toMatchObject({
      workspace: ws,
      repository: fixture.repoId,
      repositoryUuid: fixture.repoId,
      privateKey: pair.openSsh,
      publicKey: pair.publicKey,
    });
    const live = await asOwner(fixture.emu, "GET", `${ssh()}/key_pair`);
    expect(live.body.public_key).toBe(pair.publicKey);
    expect(JSON.stringify(live.body)).not.toContain("PRIVATE KEY");

    const { read, diff } = await refreshAndDiff("PipelineSshKeyPair", id, outs, args);
    expect(read.props).toEqual(outs);
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });

    const next = sshKeyPair();
    const rotated = await checked("PipelineSshKeyPair", { ...args, privateKey: next.pem });
    expect(await pairs.diff(id, outs, rotated)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: after } = await pairs.update(id, outs, rotated);
    expect(after.publicKey).toBe(next.publicKey);

    const cost = await refreshCost(fixture.emu, "PipelineSshKeyPair", id, after);
    expect(cost.calls).toBe(1);
    console.log(`refresh cost: PipelineSshKeyPair = ${cost.calls} API call(s)`);
    await pairs.delete(id, after);
    expect((await asOwner(fixture.emu, "GET", `${ssh()}/key_pair`)).status).toBe(404);
    expect(await pairs.read(id, after)).toEqual({});
  });

  test("drift: another pair set by hand reads as another private key (a diff, never its value); up puts the program's back", async () => {
    const pair = sshKeyPair();
    const args = { workspace: ws, repository: fixture.repoId, privateKey: pair.pem };
    const { id, outs } = await create("PipelineSshKeyPair", args);
    const other = sshKeyPair();
    await asOwner(fixture.emu, "PUT", `${ssh()}/key_pair`, { private_key: other.pem, public_key: other.publicKey });
    const { read, diff } = await refreshAndDiff("PipelineSshKeyPair", id, outs, args);
    expect(read.props).toMatchObject({ publicKey: other.publicKey, privateKey: "(another key pair, set outside Pulumi)" });
    expect(JSON.stringify(read)).not.toContain(other.pem.split("\n")[1]);
    expect(diff).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const { outs: restored } = await pairs.update(id, read.props!, await checked("PipelineSshKeyPair", args));
    expect(restored.publicKey).toBe(pair.publicKey);
    await pairs.delete(id, restored);
  });

  test("a rename of the repository underneath changes nothing (the pair is addressed by the repository's UUID)", async () => {
    const pair = sshKeyPair();
    const bySlug = { workspace: ws, repository: String(fixture.repoState.slug), privateKey: pair.pem };
    const { id, outs } = await create("PipelineSshKeyPair", bySlug);
    expect(id).toBe(`${ws}/${fixture.repoId}`);
    const { outs: renamed } = await provider("Repository").update(
      fixture.repoId,
      fixture.repoState,
      await checked("Repository", { workspace: ws, name: "Built Again" }),
    );
    fixture.repoState = renamed as Record<string, unknown>;
    const { read, diff } = await refreshAndDiff("PipelineSshKeyPair", id, outs, bySlug);
    expect(read.props).toMatchObject({ publicKey: pair.publicKey });
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    await pairs.delete(id, outs);
  });

  test("a pair already there is replaced and said so", async () => {
    const notices: string[] = [];
    useOwner(fixture.emu, { ...FAST, notify: (m) => notices.push(m) });
    try {
      const hand = sshKeyPair();
      await asOwner(fixture.emu, "PUT", `${ssh()}/key_pair`, { private_key: hand.pem, public_key: hand.publicKey });
      const pair = sshKeyPair();
      const { id, outs } = await create("PipelineSshKeyPair", { workspace: ws, repository: fixture.repoId, privateKey: pair.openSsh });
      expect(outs.publicKey).toBe(pair.publicKey);
      expect(notices.join("\n")).toMatch(/already had an SSH key pair .*now replaced by the program's: taken over/);
      await pairs.delete(id, outs);
    } finally {
      useOwner(fixture.emu);
    }
  });

  test("check: a public key, an encrypted key or garbage is refused naming privateKey, and no message quotes it", async () => {
    const base = { workspace: ws, repository: "r" };
    const encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI\n-----END ENCRYPTED PRIVATE KEY-----\n";
    for (const [privateKey, reason] of [
      [publicKey("pub"), /must be an unencrypted SSH private key/],
      [encrypted, /protected by a passphrase/],
      [`-----BEGIN PRIVATE KEY-----\n${PRIVATE_MATERIAL}\n-----END PRIVATE KEY-----`, /must be an unencrypted SSH private key/],
    ] as const) {
      const r = await pairs.check({}, { ...base, privateKey });
      expect(r.failures).toEqual([{ property: "privateKey", reason: expect.stringMatching(reason) }]);
      expect(JSON.stringify(r.failures)).not.toContain(PRIVATE_MATERIAL);
      expect(JSON.stringify(r.failures)).not.toContain("MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI");
    }
    expect((await pairs.check({}, { ...base, privateKey: UNKNOWN })).failures).toBeUndefined();
  });
});
