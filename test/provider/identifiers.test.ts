// The identifier rules (provider/identifiers.ts): one table of accepted and refused spellings per
// identifier, and the same values refused by a resource's check, a read function's arguments and the
// CLI, through their real entry points.
import { CREDENTIALS } from "../../emulator";
import { getProject, getRepository, getWorkspace } from "../../provider";
import { buildProgram } from "../../provider/cli";
import { createClient } from "../../provider/client";
import { projectQuery } from "../../provider/resources/repository";
import { AccountRef, GroupSlug, ObjectUuid, ProjectKey, ProjectKeyOrUuid, Repository, Workspace } from "../../provider/identifiers";
import { Emulator, provider, startWithProvider } from "./helpers";

const UUID = "{0f9d1c3e-aaaa-4bbb-8ccc-123456789abc}";
const BARE_UUID = "0f9d1c3e-aaaa-4bbb-8ccc-123456789abc";
// A UUID without braces is a valid slug spelling (it names the object whose slug it is, not the UUID).
// What could change the endpoint or the query, refused by every identifier.
const ESCAPES = ["", ".", "..", "a/b", "a%2Fb", "%2E%2E", "a b", "a\nb", "a?b", "a#b", "a\\b"];

const TABLE = [
  {
    name: "workspace",
    schema: Workspace,
    accepted: ["acme", "acme-corp", "a_b.c", "0day", UUID, BARE_UUID, "Acme"],
    refused: [...ESCAPES, "-acme", ".acme", `{${BARE_UUID}`, "{not-a-uuid}"],
  },
  {
    name: "repository",
    schema: Repository,
    accepted: ["platform-api", "a.b_c", "-x", ".x", "x".repeat(62), UUID, BARE_UUID, "Platform-API"],
    refused: [...ESCAPES, "x".repeat(63), `{${BARE_UUID}`, `${BARE_UUID}}`],
  },
  { name: "project key", schema: ProjectKey, accepted: ["PLAT", "plat", "P_1", "A"], refused: [...ESCAPES, "1AB", "_AB", "PL-AT", UUID] },
  { name: "project key or {uuid}", schema: ProjectKeyOrUuid, accepted: ["PLAT", UUID], refused: [...ESCAPES, "1AB", BARE_UUID] },
  { name: "group slug", schema: GroupSlug, accepted: ["developers", "dev-ops_2", "0day"], refused: [...ESCAPES, "Developers", "-dev", UUID] },
  {
    name: "account id or user {uuid}",
    schema: AccountRef,
    accepted: ["557058:ba8948b2-1111-4222-8333-123456789abc", "5b10ac8d82e05b22cc7d4ef5", UUID],
    refused: [...ESCAPES, "557058:a/b", "a:b:c", BARE_UUID],
  },
  { name: "object {uuid}", schema: ObjectUuid, accepted: [UUID, UUID.toUpperCase()], refused: [...ESCAPES, BARE_UUID, `{${BARE_UUID}`, "{..}"] },
];

describe.each(TABLE)("$name", ({ schema, accepted, refused }) => {
  test.each(accepted)("accepts %j", (value) => {
    expect(schema.safeParse(value).success).toBe(true);
  });
  test.each(refused)("refuses %j, saying what is allowed", (value) => {
    const result = schema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].message).toMatch(/^must be an? /);
  });
});

test("workspace and repository slugs are accepted in any case and sent lowercase, as Bitbucket reports them", () => {
  expect(Workspace.parse("Acme")).toBe("acme");
  expect(Repository.parse("Platform-API")).toBe("platform-api");
  expect(Repository.parse(UUID.toUpperCase())).toBe(UUID);
});

test("a project key that is not one never reaches a BBQL query", () => {
  expect(projectQuery(["PLAT", "ops_1"])).toEqual({ q: 'project.key="PLAT" OR project.key="ops_1"' });
  expect(() => projectQuery(['PLAT" OR name~"x'])).toThrow(/must be a project key/);
});

describe("a resource's check, a read function's arguments and the CLI refuse the same values", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startWithProvider();
  });
  afterAll(() => emu.stop());

  // A client nothing is sent with: the arguments are refused before any request.
  const opts = () => ({
    client: createClient({ apiUrl: emu.apiUrl, credentials: { kind: "basic", email: CREDENTIALS.owner.username, apiToken: CREDENTIALS.owner.password } }),
  });
  const checkProjectAccess = (workspace: string, project: string) =>
    provider("ProjectAccess").check({}, { workspace, project, groups: { developers: "read" } });
  const cliImport = (args: string[]) => {
    const cli = buildProgram();
    cli.commands.find((c) => c.name() === "import")!.configureOutput({ writeErr: () => undefined });
    return () => cli.parse(["import", "-o", "/nonexistent-out", ...args], { from: "user" });
  };
  const cliOption = (long: string, value: string) => {
    const option = buildProgram()
      .commands.find((c) => c.name() === "import")!
      .options.find((o) => o.long === long)!;
    return option.parseArg!(value, long === "--project" ? [] : undefined);
  };

  test.each(["..", ".", "a/b", "a%2Fb", "-acme"])("workspace %j", async (workspace) => {
    const checked = await checkProjectAccess(workspace, "PLAT");
    expect(checked.failures).toEqual([expect.objectContaining({ property: "workspace", reason: expect.stringMatching(/must be a workspace slug/) })]);
    await expect(getWorkspace({ workspace }, opts())).rejects.toThrow(/getWorkspace: .*workspace must be a workspace slug/);
    expect(cliImport(["-w", workspace])).toThrow(/must be a workspace slug/);
  });

  test.each(["1AB", "_AB", "PL-AT", "a/b", ".."])("project key %j", async (key) => {
    const checked = await checkProjectAccess("acme", key);
    expect(checked.failures).toEqual([expect.objectContaining({ property: "project", reason: expect.stringMatching(/must be a project key/) })]);
    await expect(getProject({ workspace: "acme", key }, opts())).rejects.toThrow(/getProject: .*key must be a project key/);
    expect(cliImport(["-w", "acme", "--project", key])).toThrow(/must be a project key/);
  });

  test("and accept the same spellings: a workspace in any case becomes lowercase", async () => {
    const checked = await checkProjectAccess("Acme", "PLAT");
    expect(checked.failures).toBeUndefined();
    expect(checked.inputs).toMatchObject({ workspace: "acme", project: "PLAT" });
    expect((await getWorkspace({ workspace: "Acme" }, opts())).slug).toBe("acme");
    expect((await getRepository({ workspace: "Acme", repository: "ACME/Platform-API" }, opts())).fullName).toBe("acme/platform-api");
    expect(cliOption("--workspace", "Acme")).toBe("acme");
    expect(cliOption("--project", "PLAT")).toEqual(["PLAT"]);
  });
});
