// GitOps for access: access.yaml (or the file in the `accessFile` config) declares the explicit
// grants of projects and repositories and the webhooks of repositories; this program turns it into
// authoritative resources, so a grant or webhook added by hand is drift that `pulumi up` removes.
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

interface AccessFile {
  workspace: string;
  projects?: Record<string, Grants>;
  repositories?: Record<string, Grants & { project?: string; description?: string; webhooks?: Record<string, WebhookEntry> }>;
}

const config = new pulumi.Config();
const file = path.resolve(__dirname, config.get("accessFile") ?? "access.yaml");
const access = parse(fs.readFileSync(file, "utf8")) as AccessFile;
const workspace = access.workspace;

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
}
