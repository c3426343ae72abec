// Checks the program `import` writes without Pulumi: type-checks it (strict) against this package's
// own source types with the TypeScript compiler API, and runs it in a `vm` context whose `require`
// returns stand-ins that record each resource constructed, beside a canary that hostile data would call.
import * as path from "path";
import * as ts from "typescript";
import * as vm from "vm";
import { TSCONFIG } from "../../provider/import/project";

const REPO_ROOT = path.resolve(__dirname, "../..");

/**
 * The type errors of each program, checked together in one compiler run (each file is its own module),
 * as the generated project's tsconfig.json would, with `pulumi-bitbucket-cloud` resolved to its source.
 */
export function typeErrors(programs: string[]): string[][] {
  const { options, errors } = ts.convertCompilerOptionsFromJson(TSCONFIG.compilerOptions, REPO_ROOT);
  if (errors.length) throw new Error(ts.formatDiagnostics(errors, formatHost));
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    paths: { "pulumi-bitbucket-cloud": [path.join(REPO_ROOT, "provider", "index.ts")] },
  };
  // Virtual files inside the repository, so @pulumi/pulumi and @types/node resolve from its node_modules.
  const names = programs.map((_, i) => path.join(REPO_ROOT, "test", ".generated", `program-${i}`, "index.ts"));
  const texts = new Map(names.map((name, i) => [name, programs[i]]));
  const host = ts.createCompilerHost(compilerOptions);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => texts.has(name) || fileExists.call(host, name);
  host.readFile = (name) => texts.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, languageVersion, ...rest) => {
    const text = texts.get(name);
    return text === undefined ? getSourceFile.call(host, name, languageVersion, ...rest) : ts.createSourceFile(name, text, languageVersion, true);
  };
  const program = ts.createProgram(names, compilerOptions, host);
  return names.map((name) => {
    const file = program.getSourceFile(name)!;
    const diagnostics = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  });
}

const formatHost: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => REPO_ROOT, getNewLine: () => "\n" };

/** A resource the program constructed: its kind, name, arguments and options. */
export interface Constructed {
  kind: string;
  name: unknown;
  args: Record<string, unknown>;
  opts: unknown;
}

/** What a resource's `id` is in the run: a marker naming the resource. */
export const idOf = (kind: string, name: unknown) => ({ idOf: `${kind}:${String(name)}` });
/** What `config.requireSecret(key)` returns in the run. */
export const secretOf = (key: unknown) => ({ secretOf: key });

export interface Run {
  resources: Constructed[];
  /** Modules the program asked for. */
  required: string[];
  /** Calls of the global `canary()` (hostile data calls it when it runs as code). */
  canaryCalls: number;
  /** Globals that appeared during the run. */
  newGlobals: string[];
  /** Syntax errors the transpiler reported. */
  syntaxErrors: string[];
}

const KINDS = ["Repository", "Fork", "Webhook", "RepositoryAccess", "OverrideSettings", "DefaultReviewers", "RepositoryBranchRestrictions"];

/** Transpiles the program to CommonJS and runs it in a fresh context, recording what it does. */
export function runProgram(text: string): Run {
  const out = ts.transpileModule(text, {
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const run: Run = {
    resources: [],
    required: [],
    canaryCalls: 0,
    newGlobals: [],
    syntaxErrors: (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")),
  };
  const bitbucket = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      class {
        readonly id: unknown;
        constructor(name: unknown, args: Record<string, unknown>, opts: unknown) {
          run.resources.push({ kind, name, args, opts });
          this.id = idOf(kind, name);
        }
      },
    ]),
  );
  const pulumi = {
    Config: class {
      requireSecret(key: unknown) {
        return secretOf(key);
      }
    },
  };
  const modules: Record<string, unknown> = { "@pulumi/pulumi": pulumi, "pulumi-bitbucket-cloud": bitbucket };
  const require = (name: string) => {
    run.required.push(name);
    if (!(name in modules)) throw new Error(`the program asked for module ${name}`);
    return modules[name];
  };
  const context = vm.createContext({
    canary: () => {
      run.canaryCalls += 1;
    },
  });
  const globalsBefore = new Set(vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]);
  const module = { exports: {} };
  const wrapper = vm.runInContext(`(function (exports, require, module) {\n${out.outputText}\n})`, context, { timeout: 5_000 });
  wrapper(module.exports, require, module);
  run.newGlobals = (vm.runInContext("Object.getOwnPropertyNames(globalThis)", context) as string[]).filter((g) => !globalsBefore.has(g));
  return run;
}
