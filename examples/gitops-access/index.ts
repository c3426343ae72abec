// GitOps for access: access.yaml (or the file in the `accessFile` config) declares the explicit
// grants of projects and repositories, the webhooks of repositories and the protections that must
// hold on their `main`; this program turns it into authoritative resources, so a grant, webhook or
// branch restriction added, changed or removed by hand is drift that `pulumi up` reverts.
// See README.md beside this file for the pipeline that previews pull requests and applies main.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as bitbucket from "pulumi-bitbucket-cloud";
import { parse } from "yaml";

type Permission = "read" | "write" | "admin";

interface Grants {
  groups?: Record<string, Permission>;
  users?: Record<string, Permission>;
}

interface WebhookEntry {
  url: string;
  events: bitbucket.WebhookEvent[];
  active?: boolean;
  /** The stack config key holding the webhook's secret. */
  secretConfig?: string;
}

/** Restrictions that must hold on `main` of the repositories of this file that match both patterns given (`*`: any characters). */
interface Protection {
  repositories?: string;
  projects?: string;
  main: Omit<bitbucket.RepositoryBranchRestriction, "branchMatchKind" | "pattern" | "branchType">[];
}

interface AccessFile {
  workspace: string;
  projects?: Record<string, Grants>;
  repositories?: Record<string, Grants & { project?: string; description?: string; webhooks?: Record<string, WebhookEntry> }>;
  protections?: Protection[];
}

const config = new pulumi.Config();
const file = path.resolve(__dirname, config.get("accessFile") ?? "access.yaml");
const access = parse(fs.readFileSync(file, "utf8")) as AccessFile;
const workspace = access.workspace;

/** Whether `value` matches `pattern` (`*` any characters); no pattern matches everything. */
const matches = (pattern: string | undefined, value: string | undefined) =>
  pattern === undefined ||
  (value !== undefined &&
    new RegExp(
      `^${pattern
        .split("*")
        .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    ).test(value));

for (const [key, grants] of Object.entries(access.projects ?? {})) {
  new bitbucket.ProjectAccess(`project-${key}`, { workspace, project: key, groups: grants.groups ?? {}, users: grants.users ?? {} });
}

for (const [slug, entry] of Object.entries(access.repositories ?? {})) {
  // Taken over if it exists; left in place (unmanaged, and reported as such by the drift check) when
  // removed from the file, never deleted by this program.
  const repo = new bitbucket.Repository(
    slug,
    { workspace, name: slug, projectKey: entry.project, description: entry.description, adopt: true },
    { retainOnDelete: true },
  );
  new bitbucket.RepositoryAccess(`${slug}-access`, { workspace, repository: repo.id, groups: entry.groups ?? {}, users: entry.users ?? {} });
  const webhooks = Object.fromEntries(
    Object.entries(entry.webhooks ?? {}).map(([title, { secretConfig, ...hook }]) => [
      title,
      { ...hook, secret: secretConfig ? config.requireSecret(secretConfig) : undefined },
    ]),
  );
  new bitbucket.RepositoryWebhooks(`${slug}-webhooks`, { workspace, repository: repo.id, webhooks });
  // Every restriction of a protected repository is managed: the same rule from two matching entries is refused at preview.
  const main = (access.protections ?? [])
    .filter((p) => matches(p.repositories, slug) && matches(p.projects, entry.project))
    .flatMap((p) => p.main.map((rule) => ({ ...rule, pattern: "main" })));
  if (main.length > 0) new bitbucket.RepositoryBranchRestrictions(`${slug}-branch-restrictions`, { workspace, repository: repo.id, restrictions: main });
}
