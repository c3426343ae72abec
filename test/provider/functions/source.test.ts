// getFileTree and getFileContent against the emulator's seed (platform-api: README.md, src/index.ts,
// docs/guide.md, docs/architecture/overview.md, docs/architecture/decisions/0001-typescript.md).
import { getFileContent, getFileContentOutput, getFileTree, getTags } from "../../../provider";
import { withEmulator, withRequests } from "./helpers";

const setup = withEmulator();
const opts = () => ({ client: setup.client });
const repository = "acme/platform-api";

describe("getFileTree", () => {
  test("the root directory at the main branch by default (read from the repository first)", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getFileTree({ repository }, opts()));
    expect(result).toMatchObject({ workspace: "acme", repository: "platform-api", at: "main", path: "" });
    expect(result.entries).toEqual([
      { path: "README.md", type: "file", size: "# platform-api\n".length },
      { path: "docs", type: "directory" },
      { path: "src", type: "directory" },
    ]);
    expect(sent).toEqual(["GET /2.0/repositories/acme/platform-api", "GET /2.0/repositories/acme/platform-api/src/main/?pagelen=100"]);
  });

  test("depth 2 lists the subdirectories too, in one listing (max_depth)", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getFileTree({ repository, at: "main", depth: 2 }, opts()));
    expect(result.entries.map((e) => e.path)).toEqual(["README.md", "docs", "docs/architecture", "docs/guide.md", "src", "src/index.ts"]);
    expect(sent).toEqual(["GET /2.0/repositories/acme/platform-api/src/main/?pagelen=100&max_depth=2"]);
  });

  test("deeper: every level down to the depth, nothing below it", async () => {
    const { entries } = await getFileTree({ repository, path: "docs", depth: 3 }, opts());
    expect(entries).toEqual([
      { path: "docs/architecture", type: "directory" },
      { path: "docs/architecture/decisions", type: "directory" },
      { path: "docs/architecture/decisions/0001-typescript.md", type: "file", size: "# 1. Use TypeScript\n".length },
      { path: "docs/architecture/overview.md", type: "file", size: "# Architecture\n\nOne **service**, one database.\n".length },
      { path: "docs/guide.md", type: "file", size: "# Guide\n".length },
    ]);
    const two = await getFileTree({ repository, path: "docs", depth: 2 }, opts());
    expect(two.entries.map((e) => e.path)).not.toContain("docs/architecture/decisions/0001-typescript.md");
    expect(two.entries.map((e) => e.path)).toContain("docs/architecture/decisions");
  });

  test("at a branch whose name has a slash", async () => {
    const { entries } = await getFileTree({ repository: "acme/website", at: "release/2.x", path: "src/theme" }, opts());
    expect(entries.map((e) => e.path)).toEqual(["src/theme/dark.css", "src/theme/light.css"]);
  });

  test("a directory at a tag or a commit hash; a limit", async () => {
    const { tags } = await getTags({ repository }, opts());
    const hash = tags[0].target.hash;
    expect((await getFileTree({ repository, at: "v1.0.0", path: "src" }, opts())).entries.map((e) => e.path)).toEqual(["src/index.ts"]);
    expect((await getFileTree({ repository, at: hash, path: "/docs/" }, opts())).entries.map((e) => e.path)).toEqual(["docs/architecture", "docs/guide.md"]);
    const limited = await withRequests(setup.emu, () => getFileTree({ repository, at: "main", depth: 3, limit: 2 }, opts()));
    // Breadth-first: a limit keeps the shallower entries.
    expect(limited.result.entries.map((e) => e.path)).toEqual(["README.md", "docs"]);
    expect(limited.sent).toEqual(["GET /2.0/repositories/acme/platform-api/src/main/?pagelen=2&max_depth=3"]);
  });

  test("a file where a directory is expected, a missing directory, a missing revision: errors that say which", async () => {
    await expect(getFileTree({ repository, at: "main", path: "README.md" }, opts())).rejects.toThrow(
      /acme\/platform-api: "README.md" at "main" is a file, not a directory: read it with getFileContent/,
    );
    await expect(getFileTree({ repository, at: "main", path: "nowhere" }, opts())).rejects.toThrow(/acme\/platform-api has no directory "nowhere" at "main"/);
    await expect(getFileTree({ repository, at: "no-such-branch" }, opts())).rejects.toThrow(/acme\/platform-api has no directory "" at "no-such-branch"/);
  });

  test("of a missing repository: an error naming it, with or without a revision", async () => {
    await expect(getFileTree({ repository: "acme/nope" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
    await expect(getFileTree({ repository: "acme/nope", at: "main" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });

  test.each([
    [{ repository, path: "../other-repo" }, /getFileTree: .*path must be a path like/],
    [{ repository, path: "src/./x" }, /path must be a path like/],
    [{ repository, at: "../../x" }, /getFileTree: .*at must be a branch, tag or commit hash/],
    [{ repository, depth: 0 }, /getFileTree: .*depth must be at least 1/],
    [{ repository, depth: 50 }, /depth must be at most 20/],
  ])("refused before any request: %j", async (args, message) => {
    const { result, sent } = await withRequests(setup.emu, () => getFileTree(args as never, opts()).catch((e: Error) => e));
    expect((result as Error).message).toMatch(message);
    expect(sent).toEqual([]);
  });
});

describe("getFileContent", () => {
  test("a file's contents, size and commit, at the main branch by default", async () => {
    const { result, sent } = await withRequests(setup.emu, () => getFileContent({ repository, path: "src/index.ts" }, opts()));
    const { tags } = await getTags({ repository }, opts());
    expect(result).toEqual({
      workspace: "acme",
      repository: "platform-api",
      at: "main",
      path: "src/index.ts",
      content: "export const ready = true;\n",
      size: 27,
      commit: tags[0].target.hash, // main and v1.0.0 point at the same commit
    });
    expect(sent).toEqual([
      "GET /2.0/repositories/acme/platform-api",
      "GET /2.0/repositories/acme/platform-api/src/main/src/index.ts?format=meta",
      "GET /2.0/repositories/acme/platform-api/src/main/src/index.ts",
    ]);
  });

  test("at another branch", async () => {
    const { content, at } = await getFileContent({ repository, at: "develop", path: "README.md" }, opts());
    expect([at, content]).toEqual(["develop", "# platform-api\n"]);
  });

  test("a directory, a missing file: errors that say which", async () => {
    await expect(getFileContent({ repository, at: "main", path: "src" }, opts())).rejects.toThrow(
      /acme\/platform-api: "src" at "main" is a directory, not a file: list it with getFileTree/,
    );
    await expect(getFileContent({ repository, at: "main", path: "src/missing.ts" }, opts())).rejects.toThrow(
      /acme\/platform-api has no file "src\/missing.ts" at "main"/,
    );
    await expect(getFileContent({ repository: "acme/nope", path: "README.md" }, opts())).rejects.toThrow(/Repository acme\/nope was not found/);
  });

  test("a path is required and may not climb out", async () => {
    await expect(getFileContent({ repository, path: "" }, opts())).rejects.toThrow(/getFileContent: .*path must name a file/);
    await expect(getFileContent({ repository, path: "../../../user" }, opts())).rejects.toThrow(/getFileContent: .*path must be a path like/);
  });

  test("the Output form", async () => {
    const text = await new Promise<string>((resolve) => getFileContentOutput({ repository, path: "docs/guide.md" }, opts()).content.apply(resolve));
    expect(text).toBe("# Guide\n");
  });
});
