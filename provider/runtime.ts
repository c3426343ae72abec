// What the serialized shims call at run time: the configuration handed over by Pulumi, the client
// (built lazily from it and from process.env, rebuilt when they change), and each kind's provider
// from the registry, handed a context with that client.
import type * as pulumi from "@pulumi/pulumi";
import { AsyncLocalStorage } from "node:async_hooks";
import { writeFileSync, renameSync } from "node:fs";
import { Client, createClient, ifFound, RequestLedger, type RequestCost } from "./client";
import { CONFIG_KEYS, ConfigurationError, ConfigValues, ENV_KEYS, resolveSettings, Settings } from "./config";
import type { CheckContext, Context, RuntimeOptions } from "./context";
import { RESOURCES, ResourceKind } from "./registry";
import { takeConflicts } from "./resources/claims";
import { CheckFailure, compact, ResourceProvider, withFailures } from "./resources/common";
import { FreshRepositories } from "./resources/fresh";

export type { RuntimeOptions } from "./context";

let config: ConfigValues = {};
let options: RuntimeOptions = {};
let client: { key: string; client: Client } | undefined;

type ConfigSource = { get(key: string): string | undefined } | ConfigValues;

/** Called by each shim's configure() with the stack config (keys `bitbucket:*`, decrypted). */
export function configure(source: ConfigSource): void {
  const get =
    typeof source.get === "function" ? (k: string) => (source as { get(key: string): string | undefined }).get(k) : (k: string) => (source as ConfigValues)[k];
  const next: ConfigValues = {};
  for (const key of Object.values(CONFIG_KEYS)) {
    const v = get(key);
    if (typeof v === "string") next[key] = v;
  }
  config = next;
}

/** Client tuning (fetch, retries, concurrency, fork wait). Tests and embedders use this. */
export function setOptions(next: RuntimeOptions): void {
  options = next;
  client = undefined;
}

export function getOptions(): RuntimeOptions {
  return options;
}

/** The client for the current settings; the same instance while settings do not change. */
export function getClient(): Client {
  return current().client;
}

/**
 * The settings from the stack config and the environment, resolved again only when either changed:
 * check and every API call ask for them, hundreds of times in one run.
 */
let resolved: { config: ConfigValues; env: string; settings?: Settings; error?: unknown } | undefined;
function settingsNow(): Settings {
  const env = Object.values(ENV_KEYS)
    .map((k) => process.env[k] ?? "")
    .join("\0");
  if (resolved?.config !== config || resolved.env !== env) {
    resolved = { config, env };
    try {
      resolved.settings = resolveSettings(config, process.env);
    } catch (err) {
      resolved.error = err;
    }
  }
  if (resolved.error !== undefined) throw resolved.error;
  return resolved.settings!;
}

function current(): { settings: Settings; client: Client } {
  const settings = settingsNow();
  const key = JSON.stringify(settings);
  if (!client || client.key !== key)
    client = { key, client: createClient(settings, { ledger, listAlone: () => running.getStore()?.operation === "read", ...options }) };
  return { settings, client: client.client };
}

/** What check may know: the member lookup, through the configured client. */
function checkContext(): CheckContext {
  return { member: async (workspace, user) => (await ifFound(getClient().reads.member(workspace, user)))?.user };
}

export interface KindProvider extends pulumi.dynamic.ResourceProvider {
  check: NonNullable<pulumi.dynamic.ResourceProvider["check"]>;
  diff: NonNullable<pulumi.dynamic.ResourceProvider["diff"]>;
  read: NonNullable<pulumi.dynamic.ResourceProvider["read"]>;
  update: NonNullable<pulumi.dynamic.ResourceProvider["update"]>;
  delete: NonNullable<pulumi.dynamic.ResourceProvider["delete"]>;
}

/**
 * The kind's provider as Pulumi calls it. Its API calls go through `context()`: by default the client
 * of the configured settings; a command that reads outside Pulumi (drift --from-state) passes its own.
 */
export function providerFor(kind: ResourceKind, context: () => Context = currentContext): KindProvider {
  // The run's cost is the provider's own: a command that brings its context counts its requests itself.
  return tracksManagedArguments(implementationOf(kind, context, context === currentContext), RESOURCES[kind].FIELDS.createOnlyKeys);
}

/** One process serves one run: what it created is fresh for the rest of it. */
let fresh = new FreshRepositories();
type Operation = "create" | "read" | "update" | "delete";
/** The operation running: its kind is what its requests are counted for; a read (a refresh) lists what it reads. */
const running = new AsyncLocalStorage<{ kind: ResourceKind; operation: Operation }>();
const newLedger = () => new RequestLedger(() => running.getStore()?.kind);
/** Every request of the run, whichever client sent it (a client is rebuilt when the settings change). */
let ledger = newLedger();
const operations: Record<Operation, number> = { create: 0, read: 0, update: 0, delete: 0 };

/** What a new provider process starts with: no repository created yet, no request sent (tests model a later run with it). */
export function startNewRun(): void {
  fresh = new FreshRepositories();
  ledger = newLedger();
  client = undefined;
  for (const k of Object.keys(operations) as Operation[]) operations[k] = 0;
}

/** The cost report's content: the run's requests and the resource operations they served. */
export interface CostReport extends RequestCost {
  operations: typeof operations;
}

export function runCost(): CostReport {
  return { ...ledger.cost(), operations: { ...operations } };
}

/**
 * Rewrites `bitbucket:costReport` (when set) after each operation: a dynamic provider is not told
 * when the run ends, so the file is kept current instead. Written aside and renamed, so a reader
 * never sees half of it.
 */
function writeCostReport(): void {
  let path: string | undefined;
  try {
    path = settingsNow().costReport;
  } catch {
    return;
  }
  if (!path) return;
  try {
    writeFileSync(`${path}.tmp`, JSON.stringify(runCost(), null, 2) + "\n");
    renameSync(`${path}.tmp`, path);
  } catch (err) {
    (options.notify ?? ((m: string) => process.stderr.write(`bitbucket: ${m}\n`)))(
      `could not write the cost report ${path} (bitbucket:costReport): ${(err as Error).message}`,
    );
  }
}

/** Counts the operation and keeps the cost report current once it ends, whether it succeeded or not. */
async function costedOperation<T>(kind: ResourceKind, operation: Operation, run: () => Promise<T>): Promise<T> {
  operations[operation]++;
  try {
    return await running.run({ kind, operation }, run);
  } finally {
    writeCostReport();
  }
}

function currentContext(): Context {
  const { settings, client } = current();
  return { api: client.api, options, adoptExisting: settings.adoptExisting, fresh };
}

/** The state key listing the arguments the program sets. */
export const MANAGED_ARGUMENTS = "managedArguments";
/** The state key holding the program's values of the arguments only read at creation. */
export const CREATE_ONLY_ARGUMENTS = "createOnlyArguments";

/**
 * Keeps the names of the arguments the program sets in the state, so that a refresh reports only
 * those as inputs. Read only sees the old outputs, and inputs it reports for arguments the program
 * leaves unset would show as removals in every later diff. An import or `get` (no such list in the
 * state) reports every argument.
 *
 * Arguments only read at creation (`adopt`, `allowReplace`) are nowhere in the API object, so read
 * cannot report them: their values are kept in the state too and reported as they were, or every
 * refresh would show them as removed.
 */
function tracksManagedArguments(provider: KindProvider, createOnly: readonly string[]): KindProvider {
  const argumentNames = (inputs: Record<string, unknown>) =>
    Object.keys(inputs)
      .filter((k) => k !== "__provider" && inputs[k] !== undefined)
      .sort();
  const tracked = (inputs: Record<string, unknown>) => {
    const kept = compact(Object.fromEntries(createOnly.map((k) => [k, inputs[k]])));
    return { [MANAGED_ARGUMENTS]: argumentNames(inputs), ...(Object.keys(kept).length > 0 && { [CREATE_ONLY_ARGUMENTS]: kept }) };
  };
  return {
    ...provider,
    async create(inputs) {
      const result = await provider.create(inputs);
      return { ...result, outs: { ...result.outs, ...tracked(inputs) } };
    },
    async update(id, olds, news) {
      const result = await provider.update(id, olds, news);
      // The values kept at creation (an update may return the old state) give way to the new program's.
      const { [CREATE_ONLY_ARGUMENTS]: _previous, ...outs } = result.outs ?? {};
      return { ...result, outs: { ...outs, ...tracked(news) } };
    },
    async read(id, props) {
      const result = await provider.read(id, props);
      const managed = props?.[MANAGED_ARGUMENTS];
      if (!result.id || !Array.isArray(managed)) return result;
      const kept = props?.[CREATE_ONLY_ARGUMENTS] as Record<string, unknown> | undefined;
      const inputs = result.inputs && Object.fromEntries(Object.entries({ ...result.inputs, ...kept }).filter(([k]) => managed.includes(k)));
      return { ...result, props: { ...result.props, [MANAGED_ARGUMENTS]: managed, ...(kept && { [CREATE_ONLY_ARGUMENTS]: kept }) }, inputs };
    },
  };
}

/**
 * What is wrong with the settings for this kind, as check failures: configure runs before check, so
 * a bad API URL, missing or mixed credentials, or credentials the kind's API calls refuse are
 * reported at preview, before anything is created.
 */
function settingsFailures(kind: ResourceKind, rule: ResourceProvider["credentials"], inputs: Record<string, unknown>): CheckFailure[] {
  let settings: Settings;
  try {
    settings = settingsNow();
  } catch (err) {
    if (err instanceof ConfigurationError) return [{ property: "", reason: err.message }];
    throw err;
  }
  if (!rule || rule.accepted.includes(settings.credentials.kind)) return [];
  // Refused for the whole kind (property ""), or only for the argument that needs what the credentials cannot do.
  const property = rule.whenSet ? rule.whenSet.find((k) => inputs[k] !== undefined && inputs[k] !== null) : "";
  return property === undefined ? [] : [{ property, reason: credentialsRefused(property || kind, settings) }];
}

/**
 * The one message for credentials a kind does not accept. Access tokens are the only ones refused:
 * Bitbucket refuses them on permissions-config.
 */
function credentialsRefused(what: string, settings: Settings): string {
  return (
    `${what} cannot be managed with an access token (${settings.credentialKeys.join(", ")}, sent as Bearer): Bitbucket refuses repository, project and workspace access tokens on permissions-config. ` +
    "Use an API token (bitbucket:email + bitbucket:apiToken) or an OAuth consumer (bitbucket:oauthClientId + bitbucket:oauthClientSecret) of a workspace admin."
  );
}

/** The kind's provider with the Pulumi signatures: the context (current client) is built per call. */
function implementationOf(kind: ResourceKind, ctx: () => Context, reportsCost: boolean): KindProvider {
  const costed = <T>(operation: Operation, run: () => Promise<T>) => (reportsCost ? costedOperation(kind, operation, run) : run());
  if (!Object.hasOwn(RESOURCES, kind)) throw new Error(`Unknown resource kind ${String(kind)}`);
  const { provider } = RESOURCES[kind];
  return {
    check: async (olds, news) => {
      // The program's conflicts with its other resources travel as a check-only input: out before anything else sees the inputs.
      const { news: inputs, failures: conflicts } = takeConflicts(news);
      const refused = settingsFailures(kind, provider.credentials, inputs);
      // Bad or refused settings: no lookups with them, and the failures say why.
      return withFailures(await provider.check(olds, inputs, refused.length > 0 ? {} : checkContext()), inputs, [...refused, ...conflicts]);
    },
    diff: (id, olds, news) => provider.diff(id, olds, news),
    create: (inputs) => costed("create", () => provider.create(ctx(), inputs)),
    read: (id, props) => costed("read", () => provider.read(ctx(), id, props)),
    update: (id, olds, news) => costed("update", () => provider.update(ctx(), id, olds, news)),
    delete: (id, props) => costed("delete", () => provider.delete(ctx(), id, props)),
  };
}
