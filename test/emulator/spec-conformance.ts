// Validates emulator responses against the official spec: the schema comes from the operation the request
// hit (paths[template][method].responses[status]), never from a hand-picked definition.
import Ajv, { ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadSpec } from "../../emulator/spec";
import type { ApiResponse } from "../support/emulator-client";

const spec = loadSpec();
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// Swagger 2.0 definitions are draft-4-like JSON schemas; `discriminator` and `x-*` are annotations here.
ajv.addSchema({ $id: "bitbucket.json", definitions: spec.definitions });

const templates = Object.keys(spec.paths).map((template) => ({
  template,
  params: (template.match(/\{/g) ?? []).length,
  re: new RegExp(
    "^" +
      template
        .replace("{path}", "\u0000")
        .replace(/\{[^}]+\}/g, "[^/]+")
        .replace("\u0000", ".*") +
      "$",
  ),
}));

export const tally = { validated: 0, failed: 0, undeclaredStatus: [] as string[], errorWithoutSchema: [] as string[], specGaps: [] as string[], rawFiles: 0 };

/** The spec operation a request path belongs to: the matching template with the fewest parameters. */
export function operationFor(method: string, urlPath: string): string {
  const p = urlPath.replace(/^\/2\.0/, "").split("?")[0];
  const candidates = templates.filter((t) => t.re.test(p) && spec.paths[t.template][method.toLowerCase()]);
  if (!candidates.length) throw new Error(`No spec operation for ${method} ${p}`);
  return candidates.sort((a, b) => a.params - b.params)[0].template;
}

const compiled = new Map<string, ValidateFunction>();
function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let v = compiled.get(key);
  if (!v) {
    v = ajv.compile(JSON.parse(key.replace(/"#\/definitions\//g, '"bitbucket.json#/definitions/')));
    compiled.set(key, v);
  }
  return v;
}

/**
 * Asserts the response conforms to its operation's declared response: body schema and declared headers.
 * A status the spec does not declare for the operation (401 on most, 429 everywhere) is validated against
 * the spec's `error` definition and reported separately.
 */
export function expectConforms(res: ApiResponse): void {
  const template = operationFor(res.method, res.path);
  const operation = spec.paths[template][res.method.toLowerCase()];
  const declared = operation.responses[String(res.status)] ?? operation.responses.default;
  const where = `${res.method} ${template} → ${res.status}`;
  let schema: object | undefined = declared?.schema;
  if (!declared) {
    if (res.status < 400) throw new Error(`${where}: success status not declared by the spec`);
    if (!tally.undeclaredStatus.includes(where)) tally.undeclaredStatus.push(where);
    schema = { $ref: "#/definitions/error" };
  } else if (!schema && res.status >= 400) {
    // e.g. 401 on GET …/pullrequests is declared without a schema; the service still answers its error shape.
    if (!tally.errorWithoutSchema.includes(where)) tally.errorWithoutSchema.push(where);
    schema = { $ref: "#/definitions/error" };
  }
  if (res.contentType.startsWith("text/plain")) {
    // File contents from /src: the spec documents only the JSON directory listing for this operation.
    tally.rawFiles++;
    return;
  }
  tally.validated++;
  const problems: string[] = [];
  if (schema) {
    const validate = validatorFor(schema);
    if (!validate(res.body)) problems.push(...(validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
  } else if (res.text !== "") {
    problems.push(`the spec declares no body, got ${res.text.slice(0, 100)}`);
  }
  for (const [header, decl] of Object.entries<{ description?: string }>(declared?.headers ?? {})) {
    // Some headers are conditional ("only provided when the repository's name is changed"): the test checks those.
    if (/only\s+provided\s+when/i.test(decl.description ?? "")) continue;
    if (!res.headers.get(header)) problems.push(`declared header ${header} is missing`);
  }
  if (problems.length) tally.failed++;
  expect({ operation: where, problems }).toEqual({ operation: where, problems: [] });
}

/**
 * For a response the spec documents wrongly, validates against the definition the service's answer follows,
 * and lists the gap in the summary. `reason` says what the spec gets wrong.
 */
export function expectMatchesDefinition(res: ApiResponse, definition: string, reason: string): void {
  expectMatchesSchema(res, { $ref: `#/definitions/${definition}` }, `#/definitions/${definition}`, reason);
}

/** Like expectMatchesDefinition, for an answer the spec has no definition for: `schema` is ours, named by `name`. */
export function expectMatchesSchema(res: ApiResponse, schema: object, name: string, reason: string): void {
  const where = `${res.method} ${operationFor(res.method, res.path)} → ${res.status} as ${name} (${reason})`;
  if (!tally.specGaps.includes(where)) tally.specGaps.push(where);
  tally.validated++;
  const validate = validatorFor(schema);
  const problems = validate(res.body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  if (problems.length) tally.failed++;
  expect({ operation: where, problems }).toEqual({ operation: where, problems: [] });
}

const RUN_LOG = path.join(os.tmpdir(), "bitbucket-emulator-conformance.jsonl");

/**
 * Prints this suite's line and the running total of the current jest run. Suites run in workers of one
 * jest process (or in-band in it), so the parent pid identifies the run; the last suite prints the total.
 */
export function reportConformance(suite: string): void {
  const run = process.ppid;
  fs.appendFileSync(RUN_LOG, JSON.stringify({ run, suite, validated: tally.validated, failed: tally.failed }) + "\n");
  const mine = fs
    .readFileSync(RUN_LOG, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { run: number; validated: number; failed: number })
    .filter((e) => e.run === run);
  const total = mine.reduce((t, e) => ({ validated: t.validated + e.validated, failed: t.failed + e.failed }), { validated: 0, failed: 0 });
  console.log(
    `spec conformance [${suite}]: ${tally.validated} responses validated against the spec, ${tally.failed} failed; ` +
      `${tally.undeclaredStatus.length} status(es) the spec does not declare (checked against #/definitions/error): ${tally.undeclaredStatus.join("; ") || "none"}; ` +
      `${tally.errorWithoutSchema.length} declared without a schema (checked against #/definitions/error): ${tally.errorWithoutSchema.join("; ") || "none"}; ` +
      `spec gaps: ${tally.specGaps.join("; ") || "none"}; ${tally.rawFiles} raw file bodies not schema-checked\n` +
      `spec conformance, this jest run so far (${mine.length} suites): ${total.validated} responses validated, ${total.failed} failed`,
  );
}
