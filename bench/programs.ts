// The generated stacks the benchmark runs through the Pulumi CLI. Both programs declare the same
// shape: N repositories, each with a webhook, a group grant, a user grant and override settings
// (5 resources per repository), the four children depending on their repository's id. Stack config
// `repos` sets N; `renamed` (a repository index) renames that one repository.
//
// - "ours": a TypeScript program on pulumi-bitbucket-cloud, the way a user writes it.
// - "floor": a plain JavaScript program on one shared dynamic provider that makes no API call and
//   stores nothing but its inputs: what the engine and the Node.js SDK cost on their own.
import * as fs from "fs";
import * as path from "path";

export type ProgramKind = "ours" | "floor";

const PACKAGE = "pulumi-bitbucket-cloud";

// The stack's declarations, shared by both programs; `construct(kind)` opens a resource of that kind.
const declarations = (construct: (kind: string) => string) => `
const config = new pulumi.Config();
const repos = config.requireNumber("repos");
const renamed = config.getNumber("renamed");
const member = config.require("member");
const workspace = "acme";

for (let i = 0; i < repos; i++) {
  const repo = ${construct("Repository")}\`repo-\${i}\`, { workspace, name: \`bench-\${i}\${i === renamed ? "-renamed" : ""}\`, isPrivate: true });
  const repository = repo.id;
  ${construct("Webhook")}\`hook-\${i}\`, { workspace, repository, url: "https://ci.example.com/hook", events: ["repo:push"], description: \`bench \${i}\` });
  ${construct("GroupPermission")}\`group-\${i}\`, { workspace, repository, groupSlug: "developers", permission: "write" });
  ${construct("UserPermission")}\`user-\${i}\`, { workspace, repository, user: member, permission: "read" });
  ${construct("OverrideSettings")}\`settings-\${i}\`, { workspace, repository, defaultMergeStrategy: true, branchingModel: false });
}
`;

const OURS = `import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";
${declarations((kind) => `new bitbucket.${kind}(`)}`;

const FLOOR = `"use strict";
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
${declarations((kind) => `new Floor("${kind}", `)}`;

export const RESOURCES_PER_REPOSITORY = 5;

/**
 * Writes a Pulumi project of the given kind into `dir` (which must exist): the program, its
 * package.json, Pulumi.yaml and node_modules. "ours" runs as TypeScript (type-checked unless
 * PULUMI_NODEJS_TRANSPILE_ONLY is set); "floor" runs as plain JavaScript.
 */
export function writeProject(dir: string, kind: ProgramKind, repoRoot: string): void {
  const main = kind === "ours" ? "index.ts" : "index.js";
  fs.writeFileSync(path.join(dir, main), kind === "ours" ? OURS : FLOOR);
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
