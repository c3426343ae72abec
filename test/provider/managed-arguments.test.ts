// After a refresh the engine stores what read reports as the resource's inputs. Arguments the program
// leaves unset must not appear there, or every later diff would show them as removals.
import { REPOSITORIES, WORKSPACES } from "../../emulator";
import { CREATE_ONLY_ARGUMENTS, MANAGED_ARGUMENTS } from "../../provider/runtime";
import { RESOURCES, ResourceKind } from "../../provider/registry";
import { asOwner, create, Emulator, enc, provider, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;

test("a refresh reports as inputs only the arguments the program sets, with live values", async () => {
  const program = { workspace: ws, name: "Managed Args", description: "only this is managed" };
  const { id, outs } = await create("Repository", program);
  expect(outs[MANAGED_ARGUMENTS]).toEqual(["description", "name", "workspace"]);
  // The outputs still carry every live setting.
  expect(outs).toHaveProperty("forkPolicy");

  await asOwner(emu, "PUT", `/repositories/${ws}/${enc(id)}`, { description: "changed by hand", fork_policy: "no_forks" });
  const read = await provider("Repository").read(id, outs);
  expect(read.inputs).toEqual({ workspace: ws, name: "Managed Args", description: "changed by hand" });
  expect(read.props).toMatchObject({ forkPolicy: "no_forks", [MANAGED_ARGUMENTS]: ["description", "name", "workspace"] });
});

test("update records the arguments of the new program", async () => {
  const { id, outs } = await create("Webhook", {
    workspace: ws,
    repository: "platform-api",
    url: "https://ci.example.com/managed",
    events: ["repo:push"],
  });
  expect(outs[MANAGED_ARGUMENTS]).toEqual(["events", "repository", "url", "workspace"]);
  const news = { workspace: ws, repository: "platform-api", url: "https://ci.example.com/managed", events: ["repo:push"], active: false };
  const { outs: updated } = await provider("Webhook").update(id, outs, news);
  expect(updated[MANAGED_ARGUMENTS]).toEqual(["active", "events", "repository", "url", "workspace"]);
  const read = await provider("Webhook").read(id, updated);
  expect(Object.keys(read.inputs ?? {}).sort()).toEqual(["active", "events", "repository", "url", "workspace"]);
});

test("get (no list in the state) reports every argument, as an import needs", async () => {
  const { id } = await create("Repository", { workspace: ws, name: "Managed Get" });
  const read = await provider("Repository").read(id, { workspace: ws });
  expect(read.inputs).toMatchObject({ workspace: ws, name: "Managed Get", forkPolicy: expect.any(String) });
});

test.each([
  ["Repository", { workspace: ws, name: "Managed Adopt", adopt: true, allowReplace: true }],
  ["Fork", { workspace: ws, repository: REPOSITORIES.platformApi.uuid, name: "Managed Adopt Fork", adopt: true, allowReplace: true }],
] as const)("a refresh reports a %s's arguments only read at creation (adopt, allowReplace) as the program set them", async (kind, program) => {
  const { id, outs } = await create(kind, program);
  const read = await provider(kind).read(id, outs);
  // Exactly the program: nothing shows as removed.
  expect(read.inputs).toEqual(program);
  // A second refresh starts from the refreshed state.
  expect((await provider(kind).read(id, read.props)).inputs).toEqual(program);

  // An update to a program without them forgets them.
  const { adopt: _adopt, allowReplace: _allowReplace, ...without } = program;
  const news = { ...without, description: "no longer adopted" };
  const { outs: updated } = await provider(kind).update(id, read.props!, news);
  expect(updated).not.toHaveProperty(CREATE_ONLY_ARGUMENTS);
  expect((await provider(kind).read(id, updated)).inputs).toEqual(news);
});

// A program per kind whose field table has createOnly rows, setting every one of them.
const CREATE_ONLY_PROGRAMS: Partial<Record<ResourceKind, Record<string, unknown>>> = {
  Repository: { workspace: ws, name: "Table Create Only", slug: "table-create-only", hasIssues: false, hasWiki: false, adopt: true, allowReplace: true },
  Fork: {
    workspace: ws,
    repository: REPOSITORIES.platformApi.uuid,
    name: "Table Create Only Fork",
    hasIssues: false,
    hasWiki: false,
    adopt: true,
    allowReplace: true,
  },
  Project: { workspace: ws, key: "CREATEONLY", name: "Table Create Only", adopt: true },
};
const KINDS_WITH_CREATE_ONLY = (Object.keys(RESOURCES) as ResourceKind[]).filter((kind) => RESOURCES[kind].FIELDS.createOnlyKeys.length > 0);

test("the kinds whose field table flags createOnly rows are exactly those with a program below", () => {
  expect(KINDS_WITH_CREATE_ONLY.sort()).toEqual(Object.keys(CREATE_ONLY_PROGRAMS).sort());
});

test.each(KINDS_WITH_CREATE_ONLY)("every createOnly row of the %s field table is kept in the state and reported unchanged by a refresh", async (kind) => {
  const program = CREATE_ONLY_PROGRAMS[kind]!;
  const createOnly = RESOURCES[kind].FIELDS.createOnlyKeys;
  expect(createOnly.filter((key) => !Object.hasOwn(program, key))).toEqual([]);

  const { id, outs } = await create(kind, program);
  expect(outs[CREATE_ONLY_ARGUMENTS]).toEqual(Object.fromEntries(createOnly.map((key) => [key, program[key]])));
  const read = await provider(kind).read(id, outs);
  expect(read.inputs).toEqual(program);
});
