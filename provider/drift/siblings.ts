// The states of sibling stacks (`--also-stack NAME`, `--also-state FILE`): what other stacks manage
// in the same workspaces, so that the drift search does not report their repositories, hooks and
// grants as unmanaged. Only identities are read (UUIDs, slugs, keys), never secrets: a sibling's
// state is exported without --show-secrets, so its secrets provider is not needed. A state that
// cannot be read is an error: reporting its objects as unmanaged, or not, would be a guess.
import { execFile } from "child_process";
import * as fs from "fs";
import { promisify } from "util";
import { z } from "zod";
import type { ExportedResource } from "./steps";

const run = promisify(execFile);

const ExportedState = z.looseObject({
  deployment: z.looseObject({
    resources: z
      .array(z.looseObject({ urn: z.string(), type: z.string(), id: z.string().optional(), outputs: z.record(z.string(), z.unknown()).nullish() }))
      .nullish(),
  }),
});

/** The resources of a `pulumi stack export` text; `source` names it in the error. */
export function resourcesOfExport(text: string, source: string): ExportedResource[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`the state of ${source} is not JSON (${(err as Error).message}): give the output of \`pulumi stack export\`.`, { cause: err });
  }
  const parsed = ExportedState.safeParse(json);
  if (!parsed.success) throw new Error(`the state of ${source} is not a stack export: give the output of \`pulumi stack export\`.`);
  return (parsed.data.deployment.resources ?? []).map((r) => ({ ...r, outputs: r.outputs ?? undefined }));
}

/** A stack's state through the Pulumi CLI, run in `cwd` (any stack its backend holds, e.g. `org/project/stack`). */
async function exportedStack(cwd: string, name: string): Promise<string> {
  try {
    // `stack export` without --show-secrets: the sibling's secrets provider may be out of reach here.
    const { stdout } = await run("pulumi", ["stack", "export", "--stack", name, "--non-interactive"], { cwd, maxBuffer: 1 << 30 });
    return stdout;
  } catch (err) {
    const lines = ((err as { stderr?: string }).stderr || (err as Error).message).trim().split("\n");
    throw new Error(`the state of stack ${name} cannot be read: ${lines.slice(-3).join(" ")}`, { cause: err });
  }
}

/** The resources of the sibling stacks and state files, all together. */
export async function siblingResources(
  cwd: string,
  sources: { stacks: readonly string[]; files: readonly string[] },
  progress: (message: string) => void,
): Promise<ExportedResource[]> {
  const fromFiles = sources.files.map((file) => {
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      throw new Error(`the state file ${file} cannot be read: ${(err as Error).message}`, { cause: err });
    }
    const resources = resourcesOfExport(text, `file ${file}`);
    progress(`read ${resources.length} resources of a sibling state from ${file}`);
    return resources;
  });
  const fromStacks = await Promise.all(
    sources.stacks.map(async (name) => {
      const resources = resourcesOfExport(await exportedStack(cwd, name), `stack ${name}`);
      progress(`read ${resources.length} resources of sibling stack ${name}`);
      return resources;
    }),
  );
  return [...fromFiles, ...fromStacks].flat();
}
