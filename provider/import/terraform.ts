// `import --from-terraform-state`: reads a Terraform/OpenTofu state (format version 4) written by the
// DrFaust92/bitbucket provider and gives each of its instances to the kinds that map its resource type
// (each kind's `discovery.terraform`, resources/discovery.ts), in the order that lets later
// declarations refer to earlier ones. The state's values are data: they reach the program only as
// ImportValue, which program.ts alone prints.
import type { Api } from "../client/api";
import { RESOURCES } from "../registry";
import type { Discovery, ImportValue, TerraformImport } from "../resources/discovery";
import { WORKSPACE } from "../resources/discovery";
import type { TerraformBlock } from "./program";

/** The resource types of DrFaust92/bitbucket that no kind maps, with the reason (a type not listed: "no counterpart yet"). */
export const UNMAPPED_TYPES: Record<string, string> = {
  bitbucket_group: "uses Bitbucket's 1.0 groups API, which Bitbucket no longer serves: groups are managed in Atlassian Administration",
  bitbucket_group_membership: "uses Bitbucket's 1.0 groups API, which Bitbucket no longer serves: group members are managed in Atlassian Administration",
  bitbucket_branch: "no counterpart yet (branches)",
};

const NO_COUNTERPART = "no counterpart yet";

/** The kinds' Terraform rules, by the type they map, lower order first (a type may map to several kinds). */
export const TERRAFORM_RULES: Map<string, [kind: string, rule: TerraformImport][]> = (() => {
  const rules = Object.entries(RESOURCES as Record<string, { discovery?: Discovery }>)
    .flatMap(([kind, m]) => (m.discovery?.terraform ? [[kind, m.discovery.terraform] as [string, TerraformImport]] : []))
    .sort(([, a], [, b]) => a.order - b.order);
  const byType = new Map<string, [string, TerraformImport][]>();
  for (const entry of rules) byType.set(entry[1].type, [...(byType.get(entry[1].type) ?? []), entry]);
  return byType;
})();

export class TerraformStateError extends Error {}

/** A resource of the state not imported, and why. */
export interface Skipped {
  address: string;
  reason: string;
}

/** One managed instance of the state. */
interface Instance {
  type: string;
  /** The address without the instance key. */
  resource: string;
  address: string;
  name: string;
  attributes: Record<string, unknown>;
}

export interface ReadState {
  instances: Instance[];
  /** Bitbucket resources with no counterpart, other providers' resources (with --skip-other-providers) and deposed objects. */
  skipped: Skipped[];
  /** How many data sources the state holds (they manage nothing). */
  dataSources: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** The provider's source address in a state's `provider` string: `provider["registry.opentofu.org/drfaust92/bitbucket"]`, `module.m.provider[...].alias`. */
function providerSource(provider: unknown): string {
  if (typeof provider !== "string") return "an unknown provider";
  return /provider\["([^"]+)"\]/.exec(provider)?.[1] ?? provider.replace(/^(module\.[^.]+\.)*provider\./, "");
}

/** DrFaust92/bitbucket from any registry; a state of Terraform 0.12 (`provider.bitbucket`) has no source: its types decide. */
const isBitbucket = (source: string) => /(^|\/)drfaust92\/bitbucket$/i.test(source) || source === "bitbucket";

/** An instance's key as Terraform writes it in an address: `["checkout-web"]`, `[0]`. */
const keyText = (key: unknown) => (key === undefined ? "" : `[${typeof key === "number" ? String(key) : JSON.stringify(String(key))}]`);

/**
 * The resource name made from an address: module names, the resource name and the instance key joined
 * by '-', other characters than letters, digits, '_', '.' and '-' made '-'; a number after a name already
 * taken (compared in lower case), in the state's order, so the same state always gives the same names.
 */
function resourceName(parts: string[], taken: Set<string>): string {
  const base =
    parts
      .join("-")
      .replace(/[^A-Za-z0-9_.-]+/g, "-")
      .replace(/^[-.]+|-+$/g, "")
      .slice(0, 100) || "resource";
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}-${n}`;
  taken.add(name.toLowerCase());
  return name;
}

/** Reads the state's text: refuses (TerraformStateError) what does not parse, another format version, other providers' resources. */
export function readState(text: string, file: string, options: { skipOtherProviders?: boolean } = {}): ReadState {
  let state: unknown;
  try {
    state = JSON.parse(text);
  } catch (err) {
    throw new TerraformStateError(
      `${file} is not a Terraform state: it does not parse as JSON (${(err as Error).message}). A truncated file? Write it again with \`terraform state pull > FILE\` or \`tofu state pull > FILE\`.`,
    );
  }
  if (!isRecord(state) || !("version" in state))
    throw new TerraformStateError(
      `${file} is not a Terraform state: it has no format "version" (expected a \`terraform state pull\` / \`tofu state pull\` JSON).`,
    );
  if (state.version !== 4)
    throw new TerraformStateError(
      `${file} is a Terraform state of format version ${JSON.stringify(state.version)}; this import reads format version 4 (Terraform 0.12 and later, OpenTofu). ` +
        `Run \`terraform init\` and \`terraform state pull > FILE\` with a current Terraform or OpenTofu to upgrade it.`,
    );
  if (!Array.isArray(state.resources)) throw new TerraformStateError(`${file} is not a Terraform state: its "resources" is not a list.`);

  const others: string[] = [];
  const skipped: Skipped[] = [];
  const instances: Instance[] = [];
  let dataSources = 0;
  const taken = new Set<string>();
  for (const [i, r] of state.resources.entries()) {
    if (!isRecord(r) || typeof r.type !== "string" || typeof r.name !== "string" || !Array.isArray(r.instances))
      throw new TerraformStateError(`${file} is not a Terraform state: its resource #${i + 1} has no type, name or instances.`);
    const modules = typeof r.module === "string" ? r.module : "";
    const resource = `${modules ? `${modules}.` : ""}${r.mode === "data" ? "data." : ""}${r.type}.${r.name}`;
    if (r.mode === "data") {
      dataSources += 1;
      continue;
    }
    const source = providerSource(r.provider);
    if (!isBitbucket(source) || !r.type.startsWith("bitbucket_")) {
      others.push(`${resource} (${source})`);
      skipped.push({ address: resource, reason: `another provider's resource (${source})` });
      continue;
    }
    const rules = TERRAFORM_RULES.get(r.type);
    if (!rules) {
      skipped.push({ address: resource, reason: UNMAPPED_TYPES[r.type] ?? NO_COUNTERPART });
      continue;
    }
    const moduleNames = [...modules.matchAll(/module\.([^.[]+)/g)].map((m) => m[1]);
    for (const instance of r.instances) {
      if (!isRecord(instance) || !isRecord(instance.attributes))
        throw new TerraformStateError(`${file}: an instance of ${resource} has no attributes (a state written by another tool?).`);
      const address = `${resource}${keyText(instance.index_key)}`;
      if (instance.deposed !== undefined) {
        skipped.push({ address, reason: "a deposed object (a replacement Terraform did not finish): clean it up with Terraform first" });
        continue;
      }
      const unmapped = rules[0][1].unmapped?.(instance.attributes);
      if (unmapped !== undefined) {
        skipped.push({ address, reason: unmapped });
        continue;
      }
      const key = instance.index_key === undefined ? [] : [String(instance.index_key)];
      instances.push({ type: r.type, resource, address, name: resourceName([...moduleNames, r.name, ...key], taken), attributes: instance.attributes });
    }
  }
  if (others.length > 0 && !options.skipOtherProviders) {
    const shown = others.slice(0, 10).join(", ") + (others.length > 10 ? ` and ${others.length - 10} more` : "");
    throw new TerraformStateError(
      `${file} holds resources of other providers than DrFaust92/bitbucket: ${shown}. ` +
        `Pass --skip-other-providers to import only the Bitbucket ones (the others are listed in README.md and stay with Terraform).`,
    );
  }
  if (instances.length === 0)
    throw new TerraformStateError(
      `${file} manages no object this import can carry` +
        (skipped.length ? ` (${skipped.map((s) => `${s.address}: ${s.reason}`).join("; ")})` : "") +
        ": nothing to import.",
    );
  return { instances, skipped, dataSources };
}

/** The workspace most instances are in (ties: the first in alphabetical order): the program's `workspace`. */
export function mainWorkspace(instances: Instance[]): string {
  const counts = new Map<string, number>();
  for (const { attributes: a } of instances) {
    // Variables and deployments name their repository by its Terraform ID, `owner/slug` (a deployment variable: `owner/slug:{uuid}`).
    const repositoryId = typeof a.repository === "string" ? a.repository : typeof a.deployment === "string" ? a.deployment : "";
    const owner =
      typeof a.owner === "string"
        ? a.owner
        : typeof a.workspace === "string"
          ? a.workspace
          : repositoryId.includes("/")
            ? repositoryId.split("/")[0]
            : undefined;
    if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  }
  const [best] = [...counts].sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  if (!best) throw new TerraformStateError("no instance of the state names its workspace (owner/workspace attribute).");
  return best[0];
}

/** Whether any instance needs a read from Bitbucket (the import then needs credentials). */
export const needsReads = (state: ReadState) => state.instances.some((i) => TERRAFORM_RULES.get(i.type)!.some(([, rule]) => rule.read));

/**
 * The program's blocks: one per instance, its kinds' declarations in order; blocks whose first rule comes
 * earlier first (projects, repositories, forks, then what refers to them), the state's order within.
 * `api` reads what the state cannot be trusted with (counted in `reads`).
 */
export async function terraformBlocks(
  state: ReadState,
  workspace: string,
  api: Api | undefined,
): Promise<{ blocks: TerraformBlock[]; reads: number; missing: Skipped[] }> {
  const workspaceOf = (owner: string): ImportValue => (owner === workspace ? WORKSPACE : owner);
  let reads = 0;
  const made = await Promise.all(
    state.instances.map(async (instance, position) => {
      const rules = TERRAFORM_RULES.get(instance.type)!;
      const declarations: TerraformBlock["declarations"] = [];
      for (const [kind, rule] of rules) {
        let live: unknown;
        if (rule.read) {
          if (!api) throw new TerraformStateError(`reading ${instance.address} from Bitbucket needs credentials (BITBUCKET_* environment variables).`);
          reads += 1;
          live = await rule.read(api, instance.attributes);
        }
        for (const declaration of rule.declare({ attributes: instance.attributes, name: instance.name }, { workspaceOf }, live))
          declarations.push([kind, declaration]);
      }
      const block: TerraformBlock = { address: instance.address, resource: instance.resource, declarations, known: rules[0][1].known?.(instance.attributes) };
      return { block, order: rules[0][1].order, position };
    }),
  );
  const blocks = made
    .filter(({ block }) => block.declarations.length > 0)
    .sort((a, b) => a.order - b.order || a.position - b.position)
    .map(({ block }) => block);
  // Only an object read from Bitbucket and not found declares nothing: listed, never dropped.
  const missing = made
    .filter(({ block }) => block.declarations.length === 0)
    .map(({ block }) => ({ address: block.address, reason: "not found in Bitbucket (deleted outside Terraform?): nothing to take over" }));
  return { blocks, reads, missing };
}

/** The instances the program declares, for `terraform state rm` once the stack holds them. */
export const movedAddresses = (blocks: TerraformBlock[]) => blocks.map((b) => b.address);
