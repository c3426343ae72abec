// What a kind means to the drift command's search and to `import` lives in the kind's own module
// (`discovery`, resources/discovery.ts): provider/drift/ and provider/import/ go through the registry,
// so no kind name is written there, and a new kind is searched for and imported from its module alone.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { RESOURCES } from "../../provider/registry";

const ROOT = path.resolve(__dirname, "../..");
const DIRECTORIES = ["provider/drift", "provider/import"];
const KINDS = Object.keys(RESOURCES);

/**
 * Each place naming a kind as a string ("Webhook", 'Fork', `Repository`) or as a member (`.Webhook`),
 * as `file:line: text`. Read with the TypeScript parser, so comments (which may name kinds as examples) do not count.
 */
function kindNamesIn(file: string, text: string, kinds: readonly string[]): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const named =
      ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && kinds.includes(node.text)) ||
      (ts.isPropertyAccessExpression(node) && kinds.includes(node.name.text));
    if (named) {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      found.push(`${file}:${line + 1}: ${text.split("\n")[line].trim()}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = DIRECTORIES.flatMap((dir) =>
  fs
    .readdirSync(path.join(ROOT, dir))
    .filter((name) => name.endsWith(".ts"))
    .map((name) => `${dir}/${name}`),
);

test("the rule finds a kind name in quotes or as a member, and only that", () => {
  const text = [
    'if (r.kind === "Webhook") x();',
    "const k = RESOURCES.Fork;",
    "const s = `Repository`;",
    'const t = "RepositoryAccess: all";',
    "// a Webhook or a `Fork` in a comment",
    'const u = RESOURCES["UserPermission"];',
    "const w = webhooks;",
  ].join("\n");
  expect(kindNamesIn("f.ts", text, KINDS)).toEqual([
    'f.ts:1: if (r.kind === "Webhook") x();',
    "f.ts:2: const k = RESOURCES.Fork;",
    "f.ts:3: const s = `Repository`;",
    'f.ts:6: const u = RESOURCES["UserPermission"];',
  ]);
});

test("the files of drift and import exist to be read", () => {
  expect(files).toEqual(expect.arrayContaining(["provider/drift/unmanaged.ts", "provider/import/program.ts", "provider/import/workspace.ts"]));
});

test.each(files)("%s names no kind: it goes through the registry", (file) => {
  expect(kindNamesIn(file, fs.readFileSync(path.join(ROOT, file), "utf8"), KINDS)).toEqual([]);
});
