// `--baseline FILE`: a previous JSON report, whose findings are known drift. The file must be a
// finished report of this schema (validated against the schema shipped in the package): one that
// cannot be read, does not validate or records a failed check is refused, never taken as "nothing known".
import * as fs from "fs";
import * as path from "path";
import Ajv from "ajv";

/** The shipped schema: schemas/ at the package root, above provider/drift (source) or dist/provider/drift (installed). */
export const SCHEMA_FILE = [path.join(__dirname, "..", "..", "schemas"), path.join(__dirname, "..", "..", "..", "schemas")]
  .map((dir) => path.join(dir, "drift-report.v1.json"))
  .find((file) => fs.existsSync(file));

let validator: ReturnType<Ajv["compile"]> | undefined;

/** The JSON Schema's problems with `data`, empty when it validates. */
export function schemaProblems(data: unknown): string[] {
  if (!SCHEMA_FILE) throw new Error("the drift report schema (schemas/drift-report.v1.json) is missing from the package");
  validator ??= new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")));
  if (validator(data)) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}`);
}

interface BaselineReport {
  failed?: boolean;
  resources: { differences: { finding: string }[] }[];
  unmanaged: { finding: string }[] | null;
}

/** The identities of the findings of a previous report. */
export function readBaseline(file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--baseline ${file}: cannot be read as JSON (${(err as Error).message}).`, { cause: err });
  }
  const problems = schemaProblems(data);
  if (problems.length > 0)
    throw new Error(
      `--baseline ${file}: not a drift report of schema version 1 (${problems.slice(0, 5).join("; ")}): pass the --json output of an earlier run.`,
    );
  const report = data as BaselineReport;
  if (report.failed) throw new Error(`--baseline ${file}: records a check that failed, so it knows no findings: pass the --json output of a finished run.`);
  return new Set([...report.resources.flatMap((r) => r.differences.map((d) => d.finding)), ...(report.unmanaged ?? []).map((o) => o.finding)]);
}
