// The drift command's ignore file (`--ignore FILE`, YAML or JSON): what is deliberately unmanaged,
// each entry with the reason why. Its sections and their fields come from the collections'
// declarations (`ignore` in resources/discovery.ts): `repositories`, `webhooks` (`url`), `grants`
// (`group`, `user`), each entry with an optional `repository` pattern (`workspace/slug`) and a
// required `reason`. A file that cannot be read, or an entry without a reason or with a field no
// collection knows, is refused: an ignore file that silently ignored the wrong things would hide drift.
import * as fs from "fs";
import { minimatch } from "minimatch";
import { parse } from "yaml";
import type { Collection } from "../resources/discovery";

/** One entry of the file: its patterns by field, and why what it matches is left unmanaged. */
export interface IgnoreEntry {
  /** How the file's reader finds it: `webhooks[2]` (counted from 1). */
  name: string;
  section: string;
  patterns: Record<string, string>;
  reason: string;
}

/** Where an object sits: its workspace and its repository's slug (a repository's own). */
export interface IgnorePlace {
  workspace: string;
  repository: string;
}

const REPOSITORY_FIELD = "repository";
const REASON_FIELD = "reason";

/** The fields an entry of each section may hold, from the collections' declarations. */
function sectionFields(collections: readonly Collection[]): Map<string, Set<string>> {
  const sections = new Map<string, Set<string>>();
  for (const { ignore } of collections) {
    if (!ignore) continue;
    const fields = sections.get(ignore.section) ?? new Set([REPOSITORY_FIELD, REASON_FIELD]);
    if (ignore.field) fields.add(ignore.field);
    sections.set(ignore.section, fields);
  }
  return sections;
}

const plainText = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** The entries of an ignore file's text, checked against the sections the collections declare. */
export function parseIgnore(text: string, file: string, collections: readonly Collection[]): IgnoreEntry[] {
  const refuse = (why: string): never => {
    throw new Error(`ignore file ${file}: ${why}`);
  };
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    refuse(`not valid YAML or JSON (${(err as Error).message.split("\n")[0]})`);
  }
  const sections = sectionFields(collections);
  const known = [...sections.keys()].join(", ");
  if (document === null || document === undefined) return [];
  if (typeof document !== "object" || Array.isArray(document)) refuse(`expected a mapping of sections (${known})`);
  const entries: IgnoreEntry[] = [];
  for (const [section, list] of Object.entries(document as Record<string, unknown>)) {
    const fields = sections.get(section) ?? refuse(`unknown section ${plainText(section)} (the sections are ${known})`);
    if (!Array.isArray(list)) refuse(`section ${section} must be a list of entries`);
    (list as unknown[]).forEach((raw, i) => {
      const name = `${section}[${i + 1}]`;
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) refuse(`${name} must be a mapping (a pattern and a reason)`);
      const patterns: Record<string, string> = {};
      let reason = "";
      for (const [field, value] of Object.entries(raw as Record<string, unknown>)) {
        if (!fields.has(field)) refuse(`${name}: unknown field ${plainText(field)} (a ${section} entry has ${[...fields].join(", ")})`);
        if (typeof value !== "string") refuse(`${name}: ${field} must be a string`);
        if (field === REASON_FIELD) reason = (value as string).trim();
        else patterns[field] = value as string;
      }
      const described = Object.entries(patterns)
        .map(([field, value]) => `${field} ${plainText(value)}`)
        .join(", ");
      if (Object.keys(patterns).length === 0) refuse(`${name} has no pattern: it would ignore every object of ${section}`);
      if (!reason) refuse(`${name} (${described}) has no reason: every entry needs a non-empty "reason" saying why it is left unmanaged`);
      entries.push({ name, section, patterns, reason });
    });
  }
  return entries;
}

/** The entries of the ignore file `file`; a file that cannot be read throws, naming it. */
export function readIgnoreFile(file: string, collections: readonly Collection[]): IgnoreEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`ignore file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
  }
  return parseIgnore(text, file, collections);
}

const matches = (pattern: string, value: string) => minimatch(value, pattern, { nocase: true, dot: true });

/** The first entry that matches an object of `collection` at `place`, if any. */
export function ignoredBy<T>(entries: readonly IgnoreEntry[], collection: Collection<T>, object: T, place: IgnorePlace): IgnoreEntry | undefined {
  const declared = collection.ignore;
  if (!declared) return undefined;
  const values = declared.values?.(object) ?? [];
  return entries.find(
    (entry) =>
      entry.section === declared.section &&
      Object.entries(entry.patterns).every(([field, pattern]) =>
        field === REPOSITORY_FIELD
          ? matches(pattern, `${place.workspace}/${place.repository}`)
          : field === declared.field && values.some((value) => matches(pattern, value)),
      ),
  );
}
