// The documentation stays current: each registered kind's page is what `npm run docs` writes from the
// code and its hand-written source, the generator refuses an argument or output without a
// description, the README stays short, and the links between the Markdown files resolve.
import * as fs from "fs";
import * as path from "path";
import { RESOURCES } from "../provider/registry";
import type { Fields } from "../provider/resources/fields";
import { generate, KindInput, kindInputs, PAGES_DIR, renderPage, ROOT, stalePages } from "../scripts/docs";

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** A resource module of one kind, `Widget`, as the generator reads it. */
function widget(args: string, outputs = "", rows: KindInput["rows"] = { workspace: { schema: {} as never, replace: true } }): KindInput {
  const code = `
    export interface WidgetArgs {
      /** Workspace slug. Changing it replaces the widget. */
      workspace: pulumi.Input<string>;
      ${args}
    }
    const OUTPUTS = outputTable(FIELDS, {
      ${outputs}
    });
    export interface Widget extends ResourceOutputs<typeof OUTPUTS> {}
    /** A widget. ID: its UUID. */
    export class Widget extends BitbucketResource {}`;
  const handWritten = ["# Widget", "", "## Example", "", "<!-- reference -->", "", "## Import and adoption", "", "## Drift", "", "## Errors", ""].join("\n");
  return { kind: "Widget", rows, code: { "provider/resources/widget.ts": code }, handWritten };
}

describe("resource pages", () => {
  let pages: Map<string, string>;
  beforeAll(() => {
    pages = generate();
  });

  test("every registered kind has a page, and every page under docs/resources is what npm run docs writes", () => {
    expect([...pages.keys()].sort()).toEqual([...Object.keys(RESOURCES).map((kind) => `${PAGES_DIR}/${kind}.md`), `${PAGES_DIR}/README.md`].sort());
    expect(stalePages(ROOT, pages)).toEqual([]);
  });

  test("a page's argument table lists every row of the kind's field table with its rule", () => {
    const page = pages.get(`${PAGES_DIR}/Repository.md`)!;
    for (const [name, field] of Object.entries(RESOURCES.Repository.FIELDS.rows as Fields)) {
      const rule = field.replace ? "replaces" : field.update ? "updates in place" : "read at creation only";
      expect(page).toMatch(new RegExp(`^\\| \`${name}\` \\| [^\\n]* \\| ${rule} \\|`, "m"));
    }
    expect(pages.get(`${PAGES_DIR}/Webhook.md`)).toMatch(/^\| `secret` \| `string` \| no \| – \| yes \|/m);
  });

  test("a field added to a kind with its description, but not regenerated, makes that page stale, naming it and the line", () => {
    const inputs = kindInputs();
    const repository = inputs.find((i) => i.kind === "Repository")!;
    const file = "provider/resources/repository.ts";
    const code = {
      ...repository.code,
      [file]: repository.code[file].replace(
        "  /** true: creation takes over",
        "  /** Topics. */\n  topics?: pulumi.Input<string>;\n  /** true: creation takes over",
      ),
    };
    const added = renderPage({ ...repository, code, rows: { ...repository.rows, topics: { schema: {} as never, update: true } } });
    const expected = new Map(pages).set(`${PAGES_DIR}/Repository.md`, added);
    const stale = stalePages(ROOT, expected).filter((message) => message.startsWith(`${PAGES_DIR}/Repository.md`));
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatch(
      /^docs\/resources\/Repository\.md is not current \(run npm run docs\): line \d+ should be "\| `topics` \| `string` \| no \| updates in place/,
    );
  });

  test("the generator refuses an argument without a description, naming the kind, the argument and where to document it", () => {
    const rows = { workspace: { schema: {} as never, replace: true as const }, colour: { schema: {} as never, update: true as const } };
    expect(() => renderPage(widget("colour?: pulumi.Input<string>;", "", rows))).toThrow(
      "Widget: argument `colour` has no description: document it with a JSDoc comment in WidgetArgs (provider/resources/widget.ts).",
    );
    // The same argument documented renders.
    expect(renderPage(widget("/** Its colour. Updates in place. */ colour?: pulumi.Input<string>;", "", rows))).toMatch(
      /^\| `colour` \| `string` \| no \| updates in place \| no \| Its colour\. Updates in place\. \|$/m,
    );
  });

  test("the generator refuses a field table row that is not a documented argument, and an output without a description", () => {
    const rows = { workspace: { schema: {} as never, replace: true as const }, size: { schema: {} as never, update: true as const } };
    expect(() => renderPage(widget("", "", rows))).toThrow(
      "Widget: field `size` of the field table has no description: add it to WidgetArgs with a JSDoc comment",
    );
    expect(() => renderPage(widget("", "htmlUrl: output<string>(),"))).toThrow(
      "Widget: output `htmlUrl` has no description: document it with a JSDoc comment in its output table (provider/resources/widget.ts).",
    );
    // The same output documented renders.
    expect(renderPage(widget("", "/** Its page. */ htmlUrl: output<string>(),"))).toMatch(/^\| `htmlUrl` \| `string` \| Its page\. \|$/m);
  });

  test("the generator refuses a hand-written page without the marker or a required section", () => {
    const input = widget("");
    expect(() => renderPage({ ...input, handWritten: input.handWritten.replace("<!-- reference -->", "") })).toThrow(
      "docs/resources/src/Widget.md: put the line <!-- reference --> once where the generated reference goes.",
    );
    expect(() => renderPage({ ...input, handWritten: input.handWritten.replace("## Drift", "") })).toThrow(
      "docs/resources/src/Widget.md: missing the section(s) ## Drift.",
    );
  });
});

describe("README", () => {
  test("README.md is at most 350 lines", () => {
    expect(read("README.md").split("\n").length - 1).toBeLessThanOrEqual(350);
  });

  test("README.md links to every registered kind's page", () => {
    const readme = read("README.md");
    for (const kind of Object.keys(RESOURCES)) expect(readme).toContain(`(docs/resources/${kind}.md)`);
  });
});

/** Every Markdown file of the project (not node_modules, not the hand-written page sources, whose links are the pages'). */
function markdownFiles(dir = ""): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return ["node_modules", "dist", ".git", "src"].includes(entry.name) || entry.name.startsWith(".") ? [] : markdownFiles(file);
    return entry.name.endsWith(".md") ? [file] : [];
  });
}

/** The anchors GitHub gives a Markdown file's headings. */
function anchors(text: string): Set<string> {
  const headings = withoutFences(text).match(/^#{1,6} .*$/gm) ?? [];
  return new Set(
    headings.map((h) =>
      h
        .replace(/^#+ /, "")
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, "")
        .replace(/ /g, "-"),
    ),
  );
}

const withoutFences = (text: string) => text.replace(/^```[^]*?^```/gm, "");
const withoutCode = (text: string) => withoutFences(text).replace(/`[^`\n]*`/g, "``");

test("every relative link in the Markdown files points at a file that exists, and at a heading it has", () => {
  const broken: string[] = [];
  for (const file of markdownFiles()) {
    const text = read(file);
    for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [linked, anchor] = target.split("#");
      const resolved = linked ? path.posix.normalize(path.posix.join(path.posix.dirname(file), linked)) : file;
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${file}: ${target} (no ${resolved})`);
      else if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor))
        broken.push(`${file}: ${target} (no heading #${anchor} in ${resolved})`);
    }
  }
  expect(broken).toEqual([]);
});
