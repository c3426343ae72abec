// The files around the imported program (Pulumi.yaml, package.json, tsconfig.json, README.md), and
// writing them: never into a directory that has files unless forced. Names and addresses in them are
// data: each is escaped for its format (escape.ts; package.json through JSON.stringify).
import * as fs from "fs";
import * as path from "path";
import { markdownCode, markdownText, printableAscii, shellWord, yamlString } from "./escape";
import { countsText, type Program } from "./program";

export interface ProjectOptions {
  /** The Pulumi project name. */
  name: string;
  workspace: string;
  /** How package.json asks for this package (a version range, a git URL or a tarball). */
  packageSpec: string;
  commandLine: string;
  protect: boolean;
}

/** TypeScript 7 (the native compiler) has no JavaScript API yet, which Pulumi's ts-node needs: stay on 6. */
export const TYPESCRIPT_RANGE = "~6.0.3";
export const PULUMI_RANGE = "^3.248.0";

/** Pulumi's rule for project (and stack) names. */
export const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A Pulumi project or stack name made from a workspace slug or `{uuid}`: its other characters become '-'. */
export function pulumiName(prefix: string, workspace: string): string {
  return `${prefix}${workspace.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^-+|-+$/g, "")}`.slice(0, 100) || "bitbucket";
}

/**
 * `module` and `moduleResolution` set together (CommonJS output, as package.json has no "type"):
 * TypeScript 6 refuses one without the other (TS5110) and no longer accepts `node`/`node10`.
 */
export const TSCONFIG = {
  compilerOptions: {
    strict: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node"],
    outDir: "bin",
    sourceMap: true,
    skipLibCheck: true,
  },
  files: ["index.ts"],
};

function readme(program: Program, options: ProjectOptions): string {
  const { counts, secrets } = program;
  const secretLines = secrets.length
    ? [
        `## Webhook secrets`,
        ``,
        `Bitbucket never returns a webhook's secret, so each hook that has one reads it from the stack config`,
        `(\`config.requireSecret\`): \`pulumi up\` stops until every one is set. Taking a hook over sets its`,
        `secret to the one given (Bitbucket cannot say whether it is the current one): give the secret the`,
        `hook's receiver checks.`,
        ``,
        "```sh",
        // The key is letters, digits, '_', '.' and '-' (program.ts); the comment is one line of printable ASCII.
        ...secrets.map((s) => `pulumi config set --secret ${s.key}   # ${printableAscii(`${s.repository}: ${s.url}`)}`),
        "```",
        ``,
        `To drop a hook's secret instead, remove its \`secret\` line from index.ts. A secured Pipelines`,
        `variable (listed here as \`variable KEY\`) reads its value the same way: Bitbucket never returns it either.`,
        ``,
      ]
    : [];
  return [
    `# ${markdownText(options.name)}`,
    ``,
    `The repositories of Bitbucket workspace ${markdownCode(options.workspace)} as a Pulumi program, written by`,
    `${markdownCode(options.commandLine)}:`,
    `${countsText(counts, " and ")}.`,
    ``,
    `Every resource takes over what exists (repositories and forks with \`adopt: true\`, the others by`,
    `what they are) and writes only what differs from the program, so the first \`pulumi up\` changes`,
    `nothing in Bitbucket when nothing changed since the import. ${
      options.protect
        ? "Every resource is `protect`ed: Pulumi refuses to delete it until you remove the option."
        : "Every resource has `retainOnDelete`: removing it from the program, or `pulumi destroy`, leaves the object in Bitbucket."
    }`,
    ``,
    `## Run it`,
    ``,
    "```sh",
    `npm install            # see below if pulumi-bitbucket-cloud is not on the npm registry yet`,
    `pulumi stack init ${pulumiName("", options.workspace)}`,
    `pulumi config set bitbucket:email you@example.com`,
    `pulumi config set --secret bitbucket:apiToken      # an Atlassian API token of a workspace admin`,
    `pulumi up                                          # takes everything over`,
    `pulumi preview --refresh --expect-no-changes       # exits 0: the program matches Bitbucket`,
    "```",
    ``,
    `Credentials can come from \`BITBUCKET_*\` environment variables instead (see the package's docs/configuration.md).`,
    `package.json asks for ${markdownCode(`pulumi-bitbucket-cloud@${options.packageSpec}`)}; until the package is published, install`,
    `it from where you got it (\`npm install <git URL or pulumi-bitbucket-cloud-x.y.z.tgz>\`).`,
    ``,
    ...secretLines,
    `## Not imported`,
    ``,
    `- Forks of these repositories that live in other workspaces (import those workspaces too).`,
    `- Override settings that inherit both project settings (Bitbucket's default) are not declared.`,
    `- Settings Bitbucket reported empty (description, language, website) are left unmanaged.`,
    ``,
  ].join("\n");
}

/** What a Terraform state import adds to the project's README. */
export interface TerraformReadme {
  /** The state file as given. */
  source: string;
  /** The instances the program declares (Terraform addresses). */
  moved: string[];
  /** What the state held that the program does not carry, and why. */
  skipped: { address: string; reason: string }[];
  dataSources: number;
}

/** The README of a project imported from a Terraform state: the secrets to set, the steps, the `state rm` lines. */
export function terraformReadme(program: Program, options: ProjectOptions, tf: TerraformReadme): string {
  const removals = tf.moved.map((address) => {
    const word = shellWord(address);
    // An address a shell line cannot carry safely is named in a comment instead, to remove by hand.
    return word ? `tofu state rm ${word}` : `# by hand (its key holds a character a shell line should not carry): ${printableAscii(address)}`;
  });
  return [
    `# ${markdownText(options.name)}`,
    ``,
    `The objects the Terraform/OpenTofu state ${markdownCode(tf.source)} managed, as a Pulumi program written by`,
    `${markdownCode(options.commandLine)}: ${countsText(program.counts, " and ")}.`,
    `Each resource is named after its Terraform address (the comment above it in index.ts).`,
    ``,
    `Every resource takes over what exists (repositories, forks and projects with \`adopt: true\`, the others by what`,
    `they are) and writes only what differs from the program: the first \`pulumi up\` changes nothing in Bitbucket`,
    `but the secrets below. ${
      options.protect
        ? "Every resource is `protect`ed: Pulumi refuses to delete it until you remove the option."
        : "Every resource has `retainOnDelete`: removing it from the program, or `pulumi destroy`, leaves the object in Bitbucket."
    }`,
    ``,
    `## Steps`,
    ``,
    "```sh",
    `npm install`,
    `pulumi stack init ${pulumiName("", options.workspace)}`,
    `pulumi config set bitbucket:email you@example.com`,
    `pulumi config set --secret bitbucket:apiToken      # an Atlassian API token of a workspace admin`,
    ...program.secrets.map((s) => `pulumi config set --secret ${s.key}   # ${printableAscii(`${s.repository}: ${s.url}`)}`),
    `pulumi up                                          # takes everything over`,
    `pulumi preview --refresh --expect-no-changes       # exits 0: the program matches Bitbucket`,
    "```",
    ``,
    ...(program.secrets.length
      ? [
          `Secrets (webhook secrets, secured variables' values, a Pipelines SSH private key): Terraform kept each one in its`,
          `state in plaintext; Bitbucket never returns them. The program reads them from the stack config, encrypted:`,
          `\`pulumi config set --secret KEY\` prompts for the value (the instance's \`secret\`, \`value\` or \`private_key\``,
          `attribute in the state) without echoing it. This import never writes a secret to a file. Taking an object over`,
          `sets its secret to the one given: these are the only writes of the first \`pulumi up\`.`,
          ``,
        ]
      : []),
    `## Then let go of them in Terraform`,
    ``,
    `Once \`pulumi preview --refresh --expect-no-changes\` exits 0, remove the moved objects from the Terraform state`,
    `(this deletes nothing in Bitbucket), and their blocks from the Terraform configuration, so that the two tools`,
    `never manage one object (\`terraform state rm\` takes the same addresses):`,
    ``,
    "```sh",
    ...removals,
    "```",
    ``,
    `## Not imported`,
    ``,
    ...(tf.skipped.length
      ? tf.skipped.map((s) => `- ${markdownCode(s.address)}: ${printableAscii(s.reason)}. It stays with Terraform.`)
      : [`- Nothing: every managed resource of the state is carried.`]),
    ...(tf.dataSources ? [`- ${tf.dataSources} data sources (they manage nothing): use this package's read functions (docs/functions.md).`] : []),
    `- Override settings that inherit both project settings (Bitbucket's default) are not declared.`,
    ``,
  ].join("\n");
}

/** The project's files by name. */
export function projectFiles(program: Program, options: ProjectOptions): Record<string, string> {
  const packageJson = {
    name: options.name,
    private: true,
    description: `The repositories of Bitbucket workspace ${options.workspace}, managed with Pulumi.`,
    main: "index.ts",
    dependencies: { "@pulumi/pulumi": PULUMI_RANGE, "pulumi-bitbucket-cloud": options.packageSpec },
    devDependencies: { "@types/node": "^22", typescript: TYPESCRIPT_RANGE },
  };
  return {
    "Pulumi.yaml": [
      `name: ${yamlString(options.name)}`,
      `description: ${yamlString(`The repositories of Bitbucket workspace ${options.workspace}`)}`,
      `runtime:`,
      `  name: nodejs`,
      `  options:`,
      `    typescript: true`,
      ``,
    ].join("\n"),
    "package.json": `${JSON.stringify(packageJson, null, 2)}\n`,
    "tsconfig.json": `${JSON.stringify(TSCONFIG, null, 2)}\n`,
    "index.ts": program.text,
    "README.md": readme(program, options),
  };
}

export class OutputExistsError extends Error {}

/** Writes the files into `dir`; a directory that already has files needs `force` (then only these files are replaced). */
export function writeProject(dir: string, files: Record<string, string>, force: boolean): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !force)
    throw new OutputExistsError(`${dir} exists and is not empty: choose another --out, or pass --force to overwrite ${Object.keys(files).join(", ")} there.`);
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}
