// After a refresh the engine stores what read reports as the resource's inputs. Arguments the program
// leaves unset must not appear there, or every later diff would show them as removals.
import { WORKSPACES } from "../../emulator";
import { MANAGED_ARGUMENTS } from "../../provider/runtime";
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
  expect(outs).toHaveProperty("hasWiki");

  await asOwner(emu, "PUT", `/repositories/${ws}/${enc(id)}`, { description: "changed by hand", has_wiki: true });
  const read = await provider("Repository").read(id, outs);
  expect(read.inputs).toEqual({ workspace: ws, name: "Managed Args", description: "changed by hand" });
  expect(read.props).toMatchObject({ hasWiki: true, [MANAGED_ARGUMENTS]: ["description", "name", "workspace"] });
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
  expect(read.inputs).toMatchObject({ workspace: ws, name: "Managed Get", hasWiki: expect.any(Boolean) });
});
