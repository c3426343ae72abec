// `npm run docs`: writes docs/resources/<Kind>.md for every kind in the registry, and their index
// docs/resources/README.md. A page is its hand-written source (docs/resources/src/<Kind>.md: summary,
// example, import and adoption, drift, errors) with the reference generated from the code in place of
// its `<!-- reference -->` line: the arguments (the field table's rules, the Args interface's JSDoc),
// the outputs (the arguments in the state and the kind's output table, `outputTable(FIELDS, {...})`,
// with its JSDoc) and the ID (the class's JSDoc). An argument or
// output without a description is refused, so a field cannot be added without its doc.
// `npm run docs -- --check` writes nothing and exits 1 naming each page that is not current;
// test/docs.test.ts runs the same check in `npm test`.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { RESOURCES } from "../provider/registry";
import type { Fields } from "../provider/resources/fields";

export const ROOT = path.resolve(__dirname, "..");
export const PAGES_DIR = "docs/resources";
const SOURCES_DIR = `${PAGES_DIR}/src`;
const RESOURCES_DIR = "provider/resources";
const REFERENCE_MARKER = "<!-- reference -->";
const INDEX_MARKER = "<!-- index -->";
/** The sections every hand-written page has, besides the generated reference. */
export const HAND_WRITTEN_SECTIONS = ["## Example", "## Import and adoption", "## Drift", "## Errors"];

/** What one kind's page is made of. */
export interface KindInput {
  kind: string;
  /** The kind's field table (`FIELDS.rows` of its module). */
  rows: Fields;
  /** The resource files' text by path from the repository root: the kind's module and what its class extends. */
  code: Record<string, string>;
  /** The hand-written source of the page. */
  handWritten: string;
}

// ---- Reading the code --------------------------------------------------------------------------

interface Declared<T extends ts.Node> {
  node: T;
  file: string;
}

/** The parsed declarations of each set of files: every kind of a run shares one set. */
const parsed = new WeakMap<Record<string, string>, ReturnType<typeof parseDeclarations>>();

function declarations(code: Record<string, string>) {
  if (!parsed.has(code)) parsed.set(code, parseDeclarations(code));
  return parsed.get(code)!;
}

/**
 * The interfaces and classes declared in the given files, by name, the type each file's field table is
 * checked against, and each file's top-level constants (by file, then name: several files have an `OUTPUTS`).
 * An interface merged with a class (the class's outputs) counts as the class's, not as an interface.
 */
function parseDeclarations(code: Record<string, string>) {
  const interfaces = new Map<string, Declared<ts.InterfaceDeclaration>>();
  const outputInterfaces = new Map<string, Declared<ts.InterfaceDeclaration>>();
  const classes = new Map<string, Declared<ts.ClassDeclaration>>();
  const tableTypes = new Map<string, string>();
  const constants = new Map<string, Map<string, ts.Expression>>();
  for (const [file, text] of Object.entries(code)) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const fileConstants = new Map<string, ts.Expression>();
    constants.set(file, fileConstants);
    for (const statement of source.statements)
      if (ts.isVariableStatement(statement))
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name) && d.initializer) fileConstants.set(d.name.text, d.initializer);
    const classNames = new Set(source.statements.filter(ts.isClassDeclaration).flatMap((c) => (c.name ? [c.name.text] : [])));
    const visit = (node: ts.Node) => {
      if (ts.isInterfaceDeclaration(node)) (classNames.has(node.name.text) ? outputInterfaces : interfaces).set(node.name.text, { node, file });
      if (ts.isClassDeclaration(node) && node.name) classes.set(node.name.text, { node, file });
      // `fieldTable<XxxArgs>()`: the interface the file's field table is checked against.
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "fieldTable" && node.typeArguments?.length === 1)
        tableTypes.set(file, node.typeArguments[0].getText());
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { interfaces, outputInterfaces, classes, tableTypes, constants };
}

/** A declaration's JSDoc text on one line, or undefined when it has none. */
function docOf(node: ts.Node): string | undefined {
  const text = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((doc) => {
      // A deprecated argument's description is its @deprecated text.
      const deprecated = doc.tags?.find((tag) => tag.tagName.text === "deprecated");
      const deprecation = deprecated ? `**Deprecated.** ${ts.getTextOfJSDocComment(deprecated.comment) ?? ""}` : "";
      return [ts.getTextOfJSDocComment(doc.comment) ?? "", deprecation].join(" ");
    })
    .join(" ")
    .replace(/\s+/g, " ")
    .trim();
  return text || undefined;
}

/** A type as the program writes it: `pulumi.Input<T>` and `pulumi.Output<T>` read as `T`. */
export function plainType(text: string): string {
  const wrapper = /pulumi\.(Input|Output)</.exec(text);
  if (!wrapper) return text.replace(/\s+/g, " ").trim();
  const open = wrapper.index + wrapper[0].length - 1;
  let depth = 0;
  let close = open;
  for (; close < text.length; close++) {
    if (text[close] === "<") depth++;
    if (text[close] === ">" && text[close - 1] !== "=" && --depth === 0) break;
  }
  return plainType(text.slice(0, wrapper.index) + text.slice(open + 1, close) + text.slice(close + 1));
}

interface Member {
  name: string;
  type: string;
  optional: boolean;
  doc?: string;
}

function membersOf(node: ts.InterfaceDeclaration | ts.ClassDeclaration): Member[] {
  const members: Member[] = [];
  for (const m of node.members) {
    if (!(ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) || !m.type) continue;
    if (ts.isPropertyDeclaration(m) && !m.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    members.push({ name: m.name.getText(), type: plainType(m.type.getText()), optional: m.questionToken !== undefined, doc: docOf(m) });
  }
  return members;
}

/** An entry of a kind's output table: `output<T>()` (not an argument) or `argument(...)` (an argument's output, described here). */
interface OutputEntry {
  name: string;
  doc?: string;
  /** `output<T>()`: T as written. */
  computedType?: string;
  /** `argument("always set")`. */
  alwaysSet: boolean;
}

/**
 * The entries of the output table the class `name` takes its outputs from: its merged interface extends
 * `ResourceOutputs<typeof X>`, `X = outputTable(FIELDS, { ... })`; a spread (`...REPOSITORY_OUTPUTS`) is a
 * constant of the same file or one of the others.
 */
function outputEntries(kind: string, file: string, declared: ReturnType<typeof parseDeclarations>): OutputEntry[] {
  const merged = declared.outputInterfaces.get(kind);
  const heritage = merged?.node.heritageClauses?.[0]?.types[0];
  const query = heritage?.typeArguments?.[0];
  if (!merged || heritage?.expression.getText() !== "ResourceOutputs" || !query || !ts.isTypeQueryNode(query))
    throw new Error(`${kind}: no \`interface ${kind} extends ResourceOutputs<typeof OUTPUTS>\` beside the class (${file}).`);
  const constant = (name: string) => declared.constants.get(merged.file)?.get(name) ?? [...declared.constants.values()].find((c) => c.has(name))?.get(name);
  const table = constant(query.exprName.getText());
  if (!table || !ts.isCallExpression(table) || !table.arguments[1])
    throw new Error(`${kind}: ${query.exprName.getText()} is not an \`outputTable(FIELDS, { ... })\` (${file}).`);
  const entries = (literal: ts.Expression | undefined): OutputEntry[] => {
    if (!literal || !ts.isObjectLiteralExpression(literal)) throw new Error(`${kind}: an output table's declarations must be an object literal (${file}).`);
    return literal.properties.flatMap((p): OutputEntry[] => {
      if (ts.isSpreadAssignment(p)) return entries(constant(p.expression.getText()));
      if (!ts.isPropertyAssignment(p) || !ts.isCallExpression(p.initializer))
        throw new Error(`${kind}: output ${p.name?.getText()} is not \`output<T>()\` nor \`argument()\` (${file}).`);
      const call = p.initializer;
      const computed = call.expression.getText() === "output";
      return [
        {
          name: p.name.getText(),
          doc: docOf(p),
          computedType: computed ? call.typeArguments?.[0]?.getText() : undefined,
          alwaysSet: call.arguments.length > 0,
        },
      ];
    });
  };
  // A later entry of the same name (the kind's own) replaces a spread one.
  const byName = new Map(entries(table.arguments[1]).map((e) => [e.name, e]));
  return [...byName.values()];
}

/** Whether a field's output may be undefined: its schema lets an unset argument stay undefined, and no `absent` value stands for it. */
function mayBeAbsent(field: Fields[string]): boolean {
  if (field.absent !== undefined || typeof field.schema?.safeParse !== "function") return false;
  const unset = field.schema.safeParse(undefined);
  return unset.success && unset.data === undefined;
}

// ---- Rendering ---------------------------------------------------------------------------------

/** A Markdown table cell: one line, `|` escaped. */
const cell = (text: string) => text.replace(/\s+/g, " ").replace(/\|/g, "\\|");
const code = (text: string) => cell(`\`${text}\``);

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)];
}

function changeRule(field: Fields[string] | undefined): string {
  if (field?.replace) return "replaces";
  if (field?.update) return "updates in place";
  if (field?.createOnly) return "read at creation only";
  return "–";
}

const LEGEND =
  "*Changing it*: **replaces** — Pulumi deletes the object and creates a new one (the field table's `replace`); " +
  "**updates in place** — the same object is changed, the ID stays (`update`); " +
  "**read at creation only** — not read back from Bitbucket, the state keeps the program's value (`createOnly`), and the description says what a later change does; " +
  "**–** — none of these rules: the description says what a change does. " +
  "*Secret*: kept in the state only as a Pulumi secret (encrypted) and never shown in a message.";

/** The class's JSDoc split into what the resource is and its ID (`... ID: <id>`). */
function summaryAndId(kind: string, node: ts.ClassDeclaration, file: string): { summary: string; id: string } {
  const doc = docOf(node);
  const match = doc && /^(.*?)\s*ID: (.+)$/.exec(doc);
  if (!match) throw new Error(`${kind}: the class has no "ID: ..." in its JSDoc: say what its ID is (${file}).`);
  return { summary: match[1], id: match[2] };
}

/** The generated reference of one kind: arguments, outputs and ID. Throws on anything undocumented. */
function reference(input: KindInput): { lines: string[]; file: string; summary: string; id: string } {
  const { kind, rows } = input;
  const { interfaces, classes, tableTypes } = declarations(input.code);
  const resourceClass = classes.get(kind);
  if (!resourceClass) throw new Error(`${kind}: no class ${kind} in ${Object.keys(input.code).join(", ")}.`);
  const { file } = resourceClass;
  const argsName = `${kind}Args`;
  const args = interfaces.get(argsName);
  if (!args) throw new Error(`${kind}: no interface ${argsName} in ${file}.`);
  const tableTypeName = tableTypes.get(file);
  const tableType = tableTypeName && tableTypeName !== argsName ? interfaces.get(tableTypeName) : undefined;

  const argMembers = membersOf(args.node);
  for (const arg of argMembers) {
    if (!arg.doc) throw new Error(`${kind}: argument \`${arg.name}\` has no description: document it with a JSDoc comment in ${argsName} (${file}).`);
    if (!(arg.name in rows)) throw new Error(`${kind}: argument \`${arg.name}\` of ${argsName} has no row in the field table (${file}).`);
  }
  // Rows that are not arguments (the class fills them in) are documented in the table's own interface.
  const stateOnly = Object.keys(rows)
    .filter((name) => !argMembers.some((a) => a.name === name))
    .map((name) => {
      const doc = tableType && membersOf(tableType.node).find((m) => m.name === name)?.doc;
      if (!doc)
        throw new Error(
          `${kind}: field \`${name}\` of the field table has no description: add it to ${argsName} with a JSDoc comment` +
            `${tableTypeName && tableTypeName !== argsName ? ` (or document it in ${tableTypeName})` : ""} (${file}).`,
        );
      return { name, doc };
    });

  const lines = ["## Argument reference", ""];
  lines.push(
    ...table(
      ["Argument", "Type", "Required", "Changing it", "Secret", "Description"],
      argMembers.map((a) => [
        code(a.name),
        code(a.type),
        a.optional ? "no" : "yes",
        changeRule(rows[a.name]),
        rows[a.name]?.secret ? "yes" : "no",
        cell(a.doc!),
      ]),
    ),
  );
  lines.push("", LEGEND);
  // An argument whose type is an interface of these files (a map's values, say) gets that interface's table.
  for (const arg of argMembers) {
    for (const [name, nested] of interfaces) {
      if (name === argsName || !new RegExp(`\\b${name}\\b`).test(arg.type)) continue;
      const members = membersOf(nested.node);
      for (const m of members)
        if (!m.doc) throw new Error(`${kind}: \`${name}.${m.name}\` has no description: document it with a JSDoc comment in ${name} (${nested.file}).`);
      lines.push("", `### \`${arg.name}\`: \`${name}\``, "", ...(docOf(nested.node) ? [docOf(nested.node)!, ""] : []));
      lines.push(
        ...table(
          ["Field", "Type", "Required", "Description"],
          members.map((m) => [code(m.name), code(m.type), m.optional ? "no" : "yes", cell(m.doc!)]),
        ),
      );
    }
  }
  if (stateOnly.length > 0) {
    lines.push("", "Also in the state (filled in by the class, not an argument):", "");
    for (const s of stateOnly) lines.push(`- \`${s.name}\` (${[changeRule(rows[s.name]), ...(rows[s.name].secret ? ["secret"] : [])].join(", ")}): ${s.doc}`);
  }

  // The outputs: the arguments in the state (table order; their type as the argument's, or the table
  // interface's for a row that is not an argument), then those the output table declares besides.
  const entries = outputEntries(kind, file, declarations(input.code));
  const entry = (name: string) => entries.find((e) => e.name === name);
  const tableMembers = tableType ? membersOf(tableType.node) : [];
  const outputs = [
    ...Object.keys(rows)
      .filter((name) => !rows[name].createOnly)
      .map((name) => {
        const member = argMembers.find((a) => a.name === name) ?? tableMembers.find((m) => m.name === name)!;
        const absent = mayBeAbsent(rows[name]) && !entry(name)?.alwaysSet && !/\bundefined\b/.test(member.type);
        const fallback = argMembers.includes(member) ? "The argument's value in the state (after a refresh: the live value)." : member.doc;
        return { name, type: absent ? `${member.type} | undefined` : member.type, doc: entry(name)?.doc ?? fallback };
      }),
    ...entries.filter((e) => e.computedType !== undefined).map((e) => ({ name: e.name, type: plainType(e.computedType!), doc: e.doc })),
  ];
  lines.push("", "## Outputs", "", `Every output is a property of the \`${kind}\` object (\`Output<T>\`).`, "");
  lines.push(
    ...table(
      ["Output", "Type", "Description"],
      outputs.map((o) => {
        if (!o.doc) throw new Error(`${kind}: output \`${o.name}\` has no description: document it with a JSDoc comment in its output table (${file}).`);
        return [code(o.name) + (rows[o.name]?.secret ? " (secret)" : ""), code(o.type), cell(o.doc)];
      }),
    ),
  );

  const { summary, id } = summaryAndId(kind, resourceClass.node, file);
  const get = resourceClass.node.members.find(
    (m): m is ts.MethodDeclaration =>
      ts.isMethodDeclaration(m) && m.name.getText() === "get" && !!m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword),
  );
  lines.push("", "## ID", "", `The ID is ${id}`);
  if (get && docOf(get)) lines.push("", `\`${kind}.get\`: ${docOf(get)}`);
  return { lines, file, summary, id };
}

/** One kind's page: its hand-written source with the generated reference in place of the marker. */
export function renderPage(input: KindInput): string {
  const { kind, handWritten } = input;
  const source = `${SOURCES_DIR}/${kind}.md`;
  if (handWritten.split("\n").filter((l) => l.trim() === REFERENCE_MARKER).length !== 1)
    throw new Error(`${source}: put the line ${REFERENCE_MARKER} once where the generated reference goes.`);
  const missing = HAND_WRITTEN_SECTIONS.filter((s) => !handWritten.split("\n").includes(s));
  if (missing.length > 0) throw new Error(`${source}: missing the section(s) ${missing.join(", ")}.`);
  const { lines, file } = reference(input);
  const header = `<!-- Generated by \`npm run docs\` from ${source} and ${file}: edit those, then run it. -->`;
  return `${header}\n${handWritten.replace(/^<!-- reference -->$/m, lines.join("\n")).trimEnd()}\n`;
}

/** The index of the pages: the hand-written intro with a table of the kinds in place of its marker. */
export function renderIndex(inputs: KindInput[], handWritten: string): string {
  if (!handWritten.includes(INDEX_MARKER)) throw new Error(`${SOURCES_DIR}/README.md: put the line ${INDEX_MARKER} where the table of resources goes.`);
  const rows = inputs.map((input) => {
    const { summary, id } = reference(input);
    return [`[${input.kind}](${input.kind}.md)`, cell(summary), cell(id)];
  });
  const header = `<!-- Generated by \`npm run docs\` from ${SOURCES_DIR}/README.md and the registry: edit those, then run it. -->`;
  return `${header}\n${handWritten.replace(INDEX_MARKER, table(["Resource", "What it manages", "ID"], rows).join("\n")).trimEnd()}\n`;
}

// ---- The repository's pages --------------------------------------------------------------------

const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** The inputs of every registered kind, read from the repository at `root`. */
export function kindInputs(root = ROOT): KindInput[] {
  const code = Object.fromEntries(
    fs
      .readdirSync(path.join(root, RESOURCES_DIR))
      .filter((f) => f.endsWith(".ts"))
      .map((f) => [`${RESOURCES_DIR}/${f}`, read(root, `${RESOURCES_DIR}/${f}`)]),
  );
  const kinds = Object.keys(RESOURCES) as (keyof typeof RESOURCES)[];
  const orphans = fs
    .readdirSync(path.join(root, SOURCES_DIR))
    .filter((f) => f.endsWith(".md") && f !== "README.md" && !(kinds as string[]).includes(f.slice(0, -3)));
  if (orphans.length > 0) throw new Error(`${orphans.map((f) => `${SOURCES_DIR}/${f}`).join(", ")}: no registered kind of that name (remove the file).`);
  return kinds.map((kind) => {
    const source = `${SOURCES_DIR}/${kind}.md`;
    if (!fs.existsSync(path.join(root, source))) throw new Error(`${kind}: no hand-written page ${source}: write it (see docs/design.md, "Add a resource").`);
    return { kind, rows: RESOURCES[kind].FIELDS.rows, code, handWritten: read(root, source) };
  });
}

/** Every file `npm run docs` writes, by path from the repository root. */
export function generate(root = ROOT): Map<string, string> {
  const inputs = kindInputs(root);
  const pages = new Map(inputs.map((input) => [`${PAGES_DIR}/${input.kind}.md`, renderPage(input)]));
  pages.set(`${PAGES_DIR}/README.md`, renderIndex(inputs, read(root, `${SOURCES_DIR}/README.md`)));
  return pages;
}

/** Why a page is not what the generator writes (its first differing line), or undefined when it is. */
export function difference(file: string, expected: string | undefined, actual: string | undefined): string | undefined {
  if (expected === actual) return undefined;
  if (expected === undefined) return `${file}: no registered kind has this page: remove it (npm run docs).`;
  if (actual === undefined) return `${file} is missing: run npm run docs.`;
  const want = expected.split("\n");
  const have = actual.split("\n");
  const line = want.findIndex((l, i) => l !== have[i]);
  const at = line < 0 ? want.length : line;
  return `${file} is not current (run npm run docs): line ${at + 1} should be ${JSON.stringify(want[at] ?? "(the end)")} but is ${JSON.stringify(have[at] ?? "(the end)")}.`;
}

/** The pages under docs/resources now, by path from the repository root. */
function presentPages(root: string): Map<string, string> {
  const files = fs.readdirSync(path.join(root, PAGES_DIR)).filter((f) => f.endsWith(".md"));
  return new Map(files.map((f) => [`${PAGES_DIR}/${f}`, read(root, `${PAGES_DIR}/${f}`)]));
}

/** The pages under docs/resources that are not what the generator writes: one message each. */
export function stalePages(root = ROOT, expected = generate(root)): string[] {
  const present = presentPages(root);
  const files = [...new Set([...expected.keys(), ...present.keys()])].sort();
  return files.flatMap((f) => difference(f, expected.get(f), present.get(f)) ?? []);
}

function main(check: boolean): number {
  const expected = generate();
  if (check) {
    const stale = stalePages(ROOT, expected);
    for (const message of stale) console.error(message);
    return stale.length > 0 ? 1 : 0;
  }
  const present = presentPages(ROOT);
  for (const [file, text] of expected) {
    if (present.get(file) === text) continue;
    fs.writeFileSync(path.join(ROOT, file), text);
    console.log(`wrote ${file}`);
  }
  for (const file of present.keys()) {
    if (expected.has(file)) continue;
    fs.rmSync(path.join(ROOT, file));
    console.log(`removed ${file} (no registered kind has it)`);
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.includes("--check"));
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}
