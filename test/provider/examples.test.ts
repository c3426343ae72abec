// The CI jobs in examples/ call the drift command: every such call must parse with the command's
// real options, so the examples cannot drift from the CLI.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { buildProgram } from "../../provider/cli";

const EXAMPLES = path.resolve(__dirname, "../../examples");
const JOBS = [
  "drift-check/bitbucket-pipelines.yml",
  "drift-check/github-actions-drift.yml",
  "gitops-access/bitbucket-pipelines.yml",
  "big-workspace/bitbucket-pipelines.yml",
];

/** Every string in a parsed YAML document. */
function strings(node: unknown): string[] {
  if (typeof node === "string") return [node];
  if (Array.isArray(node)) return node.flatMap(strings);
  if (node && typeof node === "object") return Object.values(node).flatMap(strings);
  return [];
}

/** The arguments after `pulumi-bitbucket-cloud drift` in a shell line (quotes honoured, `|| ...` dropped). */
function driftArguments(line: string): string[] {
  const command = line.slice(line.indexOf("pulumi-bitbucket-cloud drift") + "pulumi-bitbucket-cloud drift".length).split("||")[0];
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
}

test.each(JOBS)("%s calls the drift command with options it has", (job) => {
  const lines = strings(parse(fs.readFileSync(path.join(EXAMPLES, job), "utf8"))).filter((s) => s.includes("pulumi-bitbucket-cloud drift"));
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    const drift = buildProgram().commands.find((c) => c.name() === "drift")!;
    const { operands, unknown } = drift.parseOptions(driftArguments(line));
    expect({ line, operands, unknown }).toEqual({ line, operands: [], unknown: [] });
    expect(drift.opts().junit ?? drift.opts().markdown).toBeDefined();
  }
});
