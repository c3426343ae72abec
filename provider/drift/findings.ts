// The drift report as findings for places that show them beside the code (Bitbucket Code Insights,
// GitHub Actions annotations): one finding per differing field, per resource gone or not made, and per
// unmanaged object, each at the program line that declared its resource when the stack's state
// records it (Pulumi's `sourcePosition`, `project:///index.ts#12,5`: a path from the project's
// directory, then the line and column).
import * as fs from "fs";
import * as path from "path";
import type { Stack } from "@pulumi/pulumi/automation";
import { selectStack, stackResources } from "./preview";
import { bitbucketText, type DriftReport } from "./report";
import type { ExportedResource } from "./steps";

/** A file relative to the repository's root, and a line from 1. */
export interface SourceLine {
  path: string;
  line: number;
}

export type Severity = "HIGH" | "MEDIUM" | "LOW";

export interface Finding {
  /** What it is about: the resource's type and name, or the unmanaged object's kind. */
  title: string;
  /** One line: what differs or what was found. Data from Bitbucket is kept as text. */
  message: string;
  severity: Severity;
  /** Unmanaged: an object no resource declares (no line of the program is about it). */
  unmanaged: boolean;
  at?: SourceLine;
}

/**
 * Where the repository holding the program is checked out: Bitbucket Pipelines' BITBUCKET_CLONE_DIR,
 * GitHub's GITHUB_WORKSPACE, else the nearest directory above the project with a `.git`, else the
 * project's own directory.
 */
export function repositoryRoot(projectDir: string, env: NodeJS.ProcessEnv): string {
  const given = env.BITBUCKET_CLONE_DIR || env.GITHUB_WORKSPACE;
  if (given) return path.resolve(given);
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, ".git"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(projectDir);
  }
}

const SOURCE_POSITION = /^project:\/\/\/(.+)#(\d+)(?:,\d+)?$/;

/** Each resource's declaring line, by URN, for those declared in a file inside the repository. */
export function declaringLines(resources: readonly ExportedResource[], projectDir: string, root: string): Map<string, SourceLine> {
  const lines = new Map<string, SourceLine>();
  for (const r of resources) {
    const match = SOURCE_POSITION.exec((r as { sourcePosition?: unknown }).sourcePosition as string);
    if (!match) continue;
    const file = path.relative(root, path.resolve(projectDir, decodeURIComponent(match[1])));
    if (file === "" || file.startsWith("..") || path.isAbsolute(file)) continue;
    lines.set(r.urn, { path: file.split(path.sep).join("/"), line: Number(match[2]) });
  }
  return lines;
}

/**
 * The declaring lines from the stack's state: the stack already selected, else the one named in the
 * project at `cwd`. Without a state to read (a preview JSON given without its project) the findings
 * carry no line, which is said on `progress`.
 */
export async function declaringLinesOfStack(
  stack: Stack | undefined,
  cwd: string,
  stackName: string,
  env: NodeJS.ProcessEnv,
  progress: (message: string) => void,
): Promise<Map<string, SourceLine>> {
  try {
    const resources = await stackResources(stack ?? (await selectStack(cwd, stackName)));
    return declaringLines(resources, cwd, repositoryRoot(cwd, env));
  } catch (err) {
    progress(`the findings carry no program line: the state of stack ${stackName} in ${cwd} could not be read (${(err as Error).message.split("\n")[0]})`);
    return new Map();
  }
}

/** Line breaks and other control characters out: each finding is one line wherever it is shown. */
// eslint-disable-next-line no-control-regex
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();

export function driftFindings(report: DriftReport, lines: ReadonlyMap<string, SourceLine>): Finding[] {
  const findings: Finding[] = [];
  for (const r of report.resources) {
    if (r.status === "in sync") continue;
    const title = `${r.type} ${r.name}`;
    // The Bitbucket object as a person finds it (report.ts names it the same way in every format).
    const named = (object = r.bitbucket.object) => {
      const text = bitbucketText(r.bitbucket, object);
      return text ? `${title} (${text})` : title;
    };
    const at = lines.get(r.urn);
    const severity: Severity = r.status === "deleted outside Pulumi" ? "HIGH" : r.status === "drifted" ? "MEDIUM" : "LOW";
    if (r.status !== "drifted" || r.differences.length === 0) {
      findings.push({ title, message: oneLine(`${named()}: ${r.status}`), severity, unmanaged: false, at });
      continue;
    }
    for (const d of r.differences)
      findings.push({
        title,
        message: oneLine(`${named(d.object ?? r.bitbucket.object)}: ${d.field} differs (declared ${d.declared}, live ${d.live})`),
        severity,
        unmanaged: false,
        at,
      });
  }
  for (const o of report.unmanaged ?? []) {
    const what = `${o.kind} ${o.id}${o.title ? ` (${o.title})` : ""}`;
    const where = o.kind === "repository" ? `repository ${o.id}` : `${what} on ${o.workspace}/${o.repository}${o.repositoryUuid ? ` ${o.repositoryUuid}` : ""}`;
    findings.push({
      title: `unmanaged ${o.kind}`,
      message: oneLine(`${where}: not declared by any resource of the stack: ${o.detail}`),
      severity: "HIGH",
      unmanaged: true,
    });
  }
  return findings;
}
