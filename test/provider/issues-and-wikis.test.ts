// Bitbucket Cloud's issue tracker and wikis were sunset on 2026-08-20. `hasIssues` / `hasWiki` stay as
// arguments of Repository and Fork so that programs setting them false keep working without a diff;
// true is refused at preview; nothing about them is sent to Bitbucket or read back from it.
import { REPOSITORIES, WORKSPACES } from "../../emulator";
import { repositoryBody } from "../../provider/resources/repository";
import { CREATE_ONLY_ARGUMENTS } from "../../provider/runtime";
import { create, Emulator, provider, refreshAndDiff, startWithProvider } from "./helpers";

let emu: Emulator;
beforeAll(async () => {
  emu = await startWithProvider();
});
afterAll(() => emu.stop());

const ws = WORKSPACES.acme.slug;
const VALID = {
  Repository: { workspace: ws, name: "Sunset Check" },
  Fork: { workspace: ws, repository: REPOSITORIES.platformApi.uuid, name: "Sunset Check Fork" },
} as const;
const cases = (["Repository", "Fork"] as const).flatMap((kind) => (["hasIssues", "hasWiki"] as const).map((field) => [kind, field] as const));

test.each(cases)("%s: %s true is refused at preview, naming the argument and the sunset", async (kind, field) => {
  const result = await provider(kind).check({}, { ...VALID[kind], [field]: true });
  expect(result.failures).toEqual([
    {
      property: field,
      reason: expect.stringMatching(
        new RegExp(
          `^${field} cannot be true: Bitbucket Cloud's (issue tracker|wiki) was sunset on 2026-08-20 and a repository can no longer have one\\. Remove the argument \\(false is accepted and changes nothing\\) \\(got true\\)\\.$`,
        ),
      ),
    },
  ]);
});

test.each(cases)("%s: %s false passes the check", async (kind, field) => {
  expect((await provider(kind).check({}, { ...VALID[kind], [field]: false })).failures).toBeUndefined();
});

test("neither argument reaches a request body", () => {
  expect(repositoryBody({ name: "x", hasIssues: false, hasWiki: false, description: "d" })).toEqual({ name: "x", description: "d" });
});

test.each([
  ["Repository", { workspace: ws, name: "Sunset Program", hasIssues: false, hasWiki: false }],
  ["Fork", { workspace: ws, repository: REPOSITORIES.platformApi.uuid, name: "Sunset Program Fork", hasIssues: false, hasWiki: false }],
] as const)("a %s program that still sets them false: created, and every refresh is clean and reports them as set", async (kind, program) => {
  const { id, outs } = await create(kind, program);
  expect(outs[CREATE_ONLY_ARGUMENTS]).toEqual({ hasIssues: false, hasWiki: false });
  let state = outs;
  for (let refresh = 0; refresh < 2; refresh++) {
    const { read, diff } = await refreshAndDiff(kind, id, state, program);
    expect(read.inputs).toMatchObject({ hasIssues: false, hasWiki: false });
    expect(diff).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    state = read.props as Record<string, unknown>;
  }
  await provider(kind).delete(id, state);
});

describe("whatever Bitbucket reports about them, a program never gets a diff from them", () => {
  const program = { workspace: ws, name: "Sunset Diff" };
  const live = { ...program, slug: "sunset-diff", uuid: "{5eed7777-0000-4000-8000-000000000000}", fullName: "acme/sunset-diff" };

  test.each([
    ["the fields are gone from the API's answer", live],
    ["a state from before the sunset holds them true", { ...live, hasIssues: true, hasWiki: true }],
    ["a state from before the sunset holds them false", { ...live, hasIssues: false, hasWiki: false }],
  ])("%s: a program with them false, or without them, has no diff", async (_, olds) => {
    for (const news of [program, { ...program, hasIssues: false, hasWiki: false }])
      expect(await provider("Repository").diff(live.uuid, olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });
});
