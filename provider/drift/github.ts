// When run in GitHub Actions (GITHUB_ACTIONS=true): each finding as an `::error` workflow command on
// standard output (an annotation on the program line that declared its resource, when known), and
// the Markdown report appended to the job summary ($GITHUB_STEP_SUMMARY). Values are escaped as the
// runner reads them, so data from Bitbucket cannot end a command or start another.
import * as fs from "fs";
import { driftFindings, SourceLine } from "./findings";
import { DriftReport, FailedCheck } from "./report";

export function inGithubActions(env: NodeJS.ProcessEnv): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** A command's message: `%`, CR and LF encoded (the runner decodes them). */
export function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** A command's property value: as a message, and `:` and `,`, which end a property. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

function command(properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::error${props ? ` ${props}` : ""}::${escapeData(message)}\n`;
}

export function githubAnnotations(report: DriftReport, lines: ReadonlyMap<string, SourceLine>): string {
  return driftFindings(report, lines)
    .map((f) => command({ file: f.at?.path, line: f.at?.line, title: `drift: ${f.title}` }, f.message))
    .join("");
}

export function githubFailedCheck(check: FailedCheck): string {
  return command({ title: "drift check failed" }, check.error);
}

/** Appends to the job summary when the runner gives one; a summary that cannot be written throws. */
export function appendJobSummary(env: NodeJS.ProcessEnv, markdown: string): boolean {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) return false;
  fs.appendFileSync(file, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
  return true;
}
