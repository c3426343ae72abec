// The generated stacks the benchmark runs through the Pulumi CLI. Both programs declare the same
// shape of N repositories, the children depending on their repository's id:
// - "basic": each with a webhook, a group grant, a user grant and override settings (5 resources with the repository);
// - "realistic": each with 2 webhooks, 4 group grants, 4 user grants and override settings (12, the issue's 11 and the repository).
// Stack config `repos` sets N; `renamed` (a repository index) renames that one repository; `groups`
// and `members` (comma-separated) name the groups and the users granted.
//
// - "ours": a TypeScript program on pulumi-bitbucket-cloud, the way a user writes it.
// - "floor": a plain JavaScript program on one shared dynamic provider that makes no API call and
//   stores nothing but its inputs: what the engine and the Node.js SDK cost on their own.
import * as fs from "fs";
import * as path from "path";

export type ProgramKind = "ours" | "floor";
export type Shape = "basic" | "realistic";

export const SHAPES: Record<Shape, { webhooks: number; grants: number }> = {
  basic: { webhooks: 1, grants: 1 },
  realistic: { webhooks: 2, grants: 4 },
};

/** A repository, its webhooks, its group and user grants and its override settings. */
export const resourcesPerRepository = (shape: Shape) => 2 + SHAPES[shape].webhooks + 2 * SHAPES[shape].grants;

const PACKAGE = "pulumi-bitbucket-cloud";

// The stack's declarations, shared by both programs; `construct(kind)` opens a resource of that kind.
// The basic shape keeps the names it always had (hook-0, group-0, ...) so its figures stay comparable.
const declarations = (shape: Shape, construct: (kind: string) => string) => {
  const { webhooks, grants } = SHAPES[shape];
  const suffix = (n: number, k: string) => (n === 1 ? "" : `-\${${k}}`);
  return `
const config = new pulumi.Config();
const repos = config.requireNumber("repos");
const renamed = config.getNumber("renamed");
const groups = config.require("groups").split(",");
const members = config.require("members").split(",");
const workspace = "acme";

for (let i = 0; i < repos; i++) {
  const repo = ${construct("Repository")}\`repo-\${i}\`, { workspace, name: \`bench-\${i}\${i === renamed ? "-renamed" : ""}\`, isPrivate: true });
  const repository = repo.id;
  for (let h = 0; h < ${webhooks}; h++)
    ${construct("Webhook")}\`hook-\${i}${suffix(webhooks, "h")}\`, { workspace, repository, url: \`https://ci.example.com/hook\${h || ""}\`, events: ["repo:push"], description: \`bench \${i}\` });
  for (let g = 0; g < ${grants}; g++) {
    ${construct("GroupPermission")}\`group-\${i}${suffix(grants, "g")}\`, { workspace, repository, groupSlug: groups[g], permission: "write" });
    ${construct("UserPermission")}\`user-\${i}${suffix(grants, "g")}\`, { workspace, repository, user: members[g], permission: "read" });
  }
  ${construct("OverrideSettings")}\`settings-\${i}\`, { workspace, repository, defaultMergeStrategy: true, branchingModel: false });
}
`;
};

const ours = (shape: Shape) => `import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";
${declarations(shape, (kind) => `new bitbucket.${kind}(`)}`;

const floor = (shape: Shape) => `"use strict";
const pulumi = require("@pulumi/pulumi");

// One provider object for every resource, so the SDK serializes it once.
const provider = {
  async create(inputs) {
    return { id: require("crypto").randomUUID(), outs: inputs };
  },
  async read(id, props) {
    return { id, props };
  },
  async update(id, olds, news) {
    return { outs: news };
  },
  async delete() {},
};

class Floor extends pulumi.dynamic.Resource {
  constructor(kind, name, args) {
    super(provider, name, args, undefined, "floor", kind);
  }
}
${declarations(shape, (kind) => `new Floor("${kind}", `)}`;

/**
 * Writes a Pulumi project of the given kind into `dir` (which must exist): the program, its
 * package.json, Pulumi.yaml and node_modules. "ours" runs as TypeScript (type-checked unless
 * PULUMI_NODEJS_TRANSPILE_ONLY is set); "floor" runs as plain JavaScript.
 */
export function writeProject(dir: string, kind: ProgramKind, shape: Shape, repoRoot: string): void {
  const main = kind === "ours" ? "index.ts" : "index.js";
  fs.writeFileSync(path.join(dir, main), kind === "ours" ? ours(shape) : floor(shape));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: `bench-${kind}`, private: true, main }, null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: bench-${kind}\nruntime:\n  name: nodejs\n  options:\n    typescript: ${kind === "ours"}\n`);
  installModules(dir, repoRoot);
}

/**
 * node_modules as a user's install has it: this package as a real directory (a copy of what
 * its package.json `files` lists), every other module linked to this checkout's node_modules.
 * Where the package lives decides how Pulumi serializes what the program captures from it (see
 * provider/shim.ts), so a linked checkout would measure something users never run.
 */
function installModules(dir: string, repoRoot: string): void {
  const source = path.join(repoRoot, "node_modules");
  const target = path.join(dir, "node_modules");
  fs.mkdirSync(target);
  for (const entry of fs.readdirSync(source)) {
    if (entry !== PACKAGE) fs.symlinkSync(path.join(source, entry), path.join(target, entry));
  }
  const pkg = path.join(target, PACKAGE);
  const manifest = path.join(repoRoot, "package.json");
  fs.mkdirSync(pkg);
  fs.copyFileSync(manifest, path.join(pkg, "package.json"));
  for (const entry of JSON.parse(fs.readFileSync(manifest, "utf8")).files as string[]) {
    fs.cpSync(path.join(repoRoot, entry), path.join(pkg, entry), { recursive: true });
  }
}
