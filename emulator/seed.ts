// The default seed. Tests and examples import these constants instead of repeating literals.
import { Commit, commitHash } from "./families/content/model";
import type { Hook } from "./families/hooks/model";
import { makeProject } from "./families/projects/model";
import { ForkPolicy, makeRepository, Repository } from "./families/repositories/model";
import type { User } from "./families/workspaces/model";
import type { State } from "./store";

function seedUser(n: number, nickname: string, display_name: string, email: string, apiToken: string | null): User {
  const hex = n.toString(16).padStart(12, "0");
  return {
    uuid: `{5eed0000-0000-4000-8000-${hex}}`,
    account_id: `712020:5eed0000-0000-4000-8000-${hex}`,
    display_name,
    nickname,
    email,
    apiToken,
    created_on: "2019-06-01T09:00:00.000000+00:00",
  };
}

export const USERS = {
  acmeOwner: seedUser(1, "acme-owner", "Acme Owner", "owner@acme.test", "acme-api-token"),
  alice: seedUser(2, "alice", "Alice Anders", "alice@acme.test", "alice-api-token"),
  bob: seedUser(3, "bob", "Bob Brown", "bob@acme.test", "bob-api-token"),
  mallory: seedUser(4, "mallory", "Mallory Moss", "mallory@example.test", "mallory-api-token"),
  globexOwner: seedUser(5, "globex-owner", "Globex Owner", "owner@globex.test", "globex-api-token"),
} as const;

export const WORKSPACES = {
  acme: { slug: "acme", uuid: "{5eed1000-0000-4000-8000-000000000001}", name: "Acme" },
  globex: { slug: "globex", uuid: "{5eed1000-0000-4000-8000-000000000002}", name: "Globex" },
} as const;

export const PROJECTS = {
  plat: { key: "PLAT", uuid: "{5eed2000-0000-4000-8000-000000000001}", name: "Platform" },
  web: { key: "WEB", uuid: "{5eed2000-0000-4000-8000-000000000002}", name: "Web" },
  core: { key: "CORE", uuid: "{5eed2000-0000-4000-8000-000000000003}", name: "Core" },
} as const;

export const GROUPS = { developers: "developers", administrators: "administrators", contractors: "contractors" } as const;

/**
 * The scopes of the seed's credentials that lack some (every other credential holds every scope): an
 * API token of the acme owner that may only read repositories, one created without any scope (refused
 * with 401), and an acme access token without the webhook scope.
 */
export const CREDENTIAL_SCOPES = {
  ownerReadRepository: ["read:repository:bitbucket"],
  ownerUnscoped: [],
  acmeAccessTokenWithoutWebhooks: [
    "repository",
    "repository:write",
    "repository:admin",
    "repository:delete",
    "pullrequest",
    "pullrequest:write",
    "project",
    "project:admin",
  ],
} as const satisfies Record<string, readonly string[]>;

/** Credentials, ready for an Authorization header. */
export const CREDENTIALS = {
  owner: { kind: "basic", username: USERS.acmeOwner.email, password: "acme-api-token" },
  alice: { kind: "basic", username: USERS.alice.email, password: "alice-api-token" },
  bob: { kind: "basic", username: USERS.bob.email, password: "bob-api-token" },
  mallory: { kind: "basic", username: USERS.mallory.email, password: "mallory-api-token" },
  globexOwner: { kind: "basic", username: USERS.globexOwner.email, password: "globex-api-token" },
  acmeAccessToken: { kind: "bearer", token: "acme-access-token" },
  globexAccessToken: { kind: "bearer", token: "globex-access-token" },
  oauthClient: { kind: "oauth", clientId: "acme-oauth-client", secret: "acme-oauth-secret" },
  /** The acme owner's API token with read:repository:bitbucket only (CREDENTIAL_SCOPES). */
  ownerReadRepository: { kind: "basic", username: USERS.acmeOwner.email, password: "acme-read-repository-token" },
  /** The acme owner's API token created without scopes: Bitbucket refuses it (401). */
  ownerUnscoped: { kind: "basic", username: USERS.acmeOwner.email, password: "acme-unscoped-token" },
  /** An acme access token with every repository, pull request and project scope but not webhook. */
  acmeAccessTokenWithoutWebhooks: { kind: "bearer", token: "acme-access-token-without-webhooks" },
} as const;

export type Credential = { kind: "basic"; username: string; password: string } | { kind: "bearer"; token: string };

export function authorizationHeader(cred: Credential): string {
  return cred.kind === "basic" ? `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString("base64")}` : `Bearer ${cred.token}`;
}

export const REPOSITORIES = {
  platformApi: { workspace: "acme", slug: "platform-api", uuid: "{5eed3000-0000-4000-8000-000000000001}" },
  website: { workspace: "acme", slug: "website", uuid: "{5eed3000-0000-4000-8000-000000000002}" },
  platformApiExperiments: { workspace: "acme", slug: "platform-api-experiments", uuid: "{5eed3000-0000-4000-8000-000000000003}" },
  coreServices: { workspace: "globex", slug: "core-services", uuid: "{5eed3000-0000-4000-8000-000000000004}" },
  websiteFork: { workspace: "globex", slug: "website-fork", uuid: "{5eed3000-0000-4000-8000-000000000005}" },
} as const;

/** Commit `n` of a seeded history, made `hours` after `start`, with the files it changed. */
function commitsOf(repo: Repository, start: string) {
  const t = Date.parse(start);
  return (n: number, message: string, hours: number, authorUuid: string, parents: string[], paths: string[]): Commit => ({
    hash: commitHash(`${repo.uuid}/${n}`),
    message,
    date: new Date(t + hours * 3600_000).toISOString(),
    authorUuid,
    parents,
    paths,
  });
}

function withHistory(repo: Repository, authors: string[], start: string): Repository {
  // Three commits on main, one more on develop, a tag, and two pull requests: enough for the read functions.
  const t = Date.parse(start);
  const at = (hours: number) => new Date(t + hours * 3600_000).toISOString();
  const [c1] = repo.commits;
  const commit = commitsOf(repo, start);
  const c2 = commit(2, "Add service skeleton\n", 2, authors[1], [c1.hash], ["src/index.ts", "docs/guide.md"]);
  const c3 = commit(3, "Add CI pipeline\n", 5, authors[0], [c2.hash], ["README.md"]);
  const c4 = commit(
    4,
    "Work in progress on the API\n",
    7,
    authors[1],
    [c3.hash],
    ["src/index.ts", "docs/architecture/overview.md", "docs/architecture/decisions/0001-typescript.md"],
  );
  return {
    ...repo,
    commits: [c4, c3, c2, c1],
    branches: [
      { name: repo.mainbranch, target: c3.hash },
      { name: "develop", target: c4.hash },
    ],
    tags: [{ name: "v1.0.0", target: c3.hash, message: "First release\n", date: at(6), taggerUuid: authors[0] }],
    files: {
      ...repo.files,
      "src/index.ts": "export const ready = true;\n",
      "docs/guide.md": "# Guide\n",
      "docs/architecture/overview.md": "# Architecture\n\nOne **service**, one database.\n",
      "docs/architecture/decisions/0001-typescript.md": "# 1. Use TypeScript\n",
    },
    pullrequests: [
      {
        id: 1,
        title: "Add CI pipeline",
        description: "",
        state: "MERGED",
        authorUuid: authors[0],
        sourceBranch: "ci",
        destinationBranch: repo.mainbranch,
        created_on: at(4),
        updated_on: at(5),
      },
      {
        id: 2,
        title: "API work",
        description: "Still in progress.",
        state: "OPEN",
        authorUuid: authors[1],
        sourceBranch: "develop",
        destinationBranch: repo.mainbranch,
        created_on: at(7),
        updated_on: at(8),
      },
    ],
  };
}

/** Pull requests that were closed without merging: one declined, one superseded by a later one. */
function closedPullRequests(repo: Repository, firstId: number, authors: string[], start: string): Repository["pullrequests"] {
  const t = Date.parse(start);
  const at = (hours: number) => new Date(t + hours * 3600_000).toISOString();
  return [
    {
      id: firstId,
      title: "Switch to GraphQL",
      description: "Declined: REST stays.",
      state: "DECLINED",
      authorUuid: authors[1],
      sourceBranch: "experiment/graphql",
      destinationBranch: repo.mainbranch,
      created_on: at(9),
      updated_on: at(12),
    },
    {
      id: firstId + 1,
      title: "API work (first attempt)",
      description: "",
      state: "SUPERSEDED",
      authorUuid: authors[1],
      sourceBranch: "develop-old",
      destinationBranch: repo.mainbranch,
      created_on: at(6),
      updated_on: at(7),
    },
  ];
}

/** On top of withHistory: a feature branch, a release branch with a merge commit, a second tag, and one more open pull request. */
function withReleaseWork(repo: Repository, authors: string[], start: string): Repository {
  const t = Date.parse(start);
  const at = (hours: number) => new Date(t + hours * 3600_000).toISOString();
  const c3 = repo.commits.find((c) => c.hash === repo.branches[0].target)!;
  const commit = commitsOf(repo, start);
  const c5 = commit(5, "Dark mode\n", 30, authors[1], [c3.hash], ["src/theme/dark.css"]);
  const c6 = commit(6, "Prepare the 2.0 release\n", 48, authors[0], [c3.hash], ["README.md", "src/theme/light.css"]);
  // A clean merge: every file matches one of its parents, so like `git log -- <path>` no path selects it.
  const c7 = commit(7, "Merge branch 'feature/dark-mode' into release/2.x\n", 50, authors[0], [c6.hash, c5.hash], []);
  return {
    ...repo,
    commits: [c7, c6, c5, ...repo.commits],
    branches: [...repo.branches, { name: "feature/dark-mode", target: c5.hash }, { name: "release/2.x", target: c7.hash }],
    tags: [...repo.tags, { name: "v2.0.0", target: c7.hash, message: "Release 2.0\n", date: at(51), taggerUuid: authors[0] }],
    files: { ...repo.files, "src/theme/dark.css": "body { background: #111; }\n", "src/theme/light.css": "body { background: #fff; }\n" },
    pullrequests: [
      ...repo.pullrequests,
      ...closedPullRequests(repo, 3, authors, start),
      {
        id: 5,
        title: "Release 2.0",
        description: "Dark mode and the 2.0 changes.",
        state: "OPEN",
        authorUuid: authors[0],
        sourceBranch: "release/2.x",
        destinationBranch: repo.mainbranch,
        created_on: at(50),
        updated_on: at(52),
      },
    ],
  };
}

export interface SeedOptions {
  /** `default`: the accounts, workspaces and repositories below; `empty`: the same without repositories. */
  base?: "default" | "empty";
  /** This many generated repositories in acme besides (see generatedRepository). */
  extraRepositories?: number;
  /** This many generated members of acme besides (see generatedMember), e.g. for a benchmark's user grants. */
  extraMembers?: number;
  /** This many generated groups in acme besides (`team-1`, …, without members), e.g. for a benchmark's group grants. */
  extraGroups?: number;
}

export type Seed = "default" | "empty" | SeedOptions;

export function seedState(seed: Seed = "default"): State {
  const { base = "default", extraRepositories = 0, extraMembers = 0, extraGroups = 0 } = typeof seed === "string" ? { base: seed } : seed;
  for (const [name, n] of Object.entries({ extraRepositories, extraMembers, extraGroups }))
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number ≥ 0, got ${n}`);
  const state = baseState(base);
  for (let i = 1; i <= extraRepositories; i++) state.repositories.push(generatedRepository(i));
  const acme = state.workspaces.find((w) => w.slug === WORKSPACES.acme.slug)!;
  for (let i = 1; i <= extraMembers; i++) {
    const member = generatedMember(i);
    state.users.push(member);
    acme.memberUuids.push(member.uuid);
  }
  for (let i = 1; i <= extraGroups; i++) acme.groups.push({ slug: generatedGroupSlug(i), name: `Team ${i}`, memberUuids: [] });
  return state;
}

function baseState(kind: "default" | "empty"): State {
  const { acmeOwner, alice, bob, globexOwner } = USERS;
  const state: State = {
    users: Object.values(USERS).map((u) => ({ ...u })),
    workspaces: [
      {
        ...WORKSPACES.acme,
        is_private: true,
        ownerUuid: acmeOwner.uuid,
        memberUuids: [acmeOwner.uuid, alice.uuid, bob.uuid],
        groups: [
          { slug: "developers", name: "Developers", memberUuids: [alice.uuid, bob.uuid] },
          { slug: "administrators", name: "Administrators", memberUuids: [acmeOwner.uuid] },
          { slug: "contractors", name: "Contractors", memberUuids: [] },
        ],
        // PLAT is the oldest project: repositories created without project.key land there.
        projects: [
          makeProject(
            { ...PROJECTS.web, is_private: false, description: "The public web presence", groupPermissions: { contractors: "read" } },
            "2021-03-01T10:00:00.000000+00:00",
          ),
          makeProject(
            {
              ...PROJECTS.plat,
              is_private: true,
              description: "Services behind the public API",
              groupPermissions: { developers: "write", administrators: "admin" },
              userPermissions: { [bob.uuid]: "create-repo" },
            },
            "2020-01-15T10:00:00.000000+00:00",
          ),
        ],
        created_on: "2020-01-10T10:00:00.000000+00:00",
      },
      {
        ...WORKSPACES.globex,
        is_private: true,
        ownerUuid: globexOwner.uuid,
        memberUuids: [globexOwner.uuid],
        groups: [{ slug: "engineering", name: "Engineering", memberUuids: [globexOwner.uuid] }],
        projects: [makeProject({ ...PROJECTS.core, is_private: true, groupPermissions: { engineering: "admin" } }, "2020-05-01T10:00:00.000000+00:00")],
        created_on: "2020-05-01T09:00:00.000000+00:00",
      },
    ],
    repositories: [],
    apiTokens: [
      { token: CREDENTIALS.ownerReadRepository.password, userUuid: acmeOwner.uuid, scopes: [...CREDENTIAL_SCOPES.ownerReadRepository] },
      { token: CREDENTIALS.ownerUnscoped.password, userUuid: acmeOwner.uuid, scopes: [...CREDENTIAL_SCOPES.ownerUnscoped] },
    ],
    accessTokens: [
      { token: "acme-access-token", workspaceSlug: "acme" },
      { token: "globex-access-token", workspaceSlug: "globex" },
      { token: CREDENTIALS.acmeAccessTokenWithoutWebhooks.token, workspaceSlug: "acme", scopes: [...CREDENTIAL_SCOPES.acmeAccessTokenWithoutWebhooks] },
    ],
    oauthClients: [{ clientId: "acme-oauth-client", secret: "acme-oauth-secret", userUuid: acmeOwner.uuid }],
  };
  if (kind === "empty") return state;

  const R = REPOSITORIES;
  const platformApi = withHistory(
    makeRepository(
      {
        uuid: R.platformApi.uuid,
        workspaceUuid: WORKSPACES.acme.uuid,
        slug: R.platformApi.slug,
        name: "platform-api",
        projectKey: "PLAT",
        description: "The platform's public API",
        language: "typescript",
      },
      acmeOwner.uuid,
      "2020-02-01T10:00:00.000000+00:00",
    ),
    [acmeOwner.uuid, alice.uuid],
    "2020-02-01T10:00:00Z",
  );
  platformApi.pullrequests.push(...closedPullRequests(platformApi, 3, [acmeOwner.uuid, alice.uuid], "2020-02-01T10:00:00Z"));
  platformApi.groupPermissions = { developers: "write", administrators: "admin" };
  platformApi.userPermissions = { [alice.uuid]: "write" };
  platformApi.watcherUuids = [acmeOwner.uuid, alice.uuid, bob.uuid];

  const website = withReleaseWork(
    withHistory(
      makeRepository(
        {
          uuid: R.website.uuid,
          workspaceUuid: WORKSPACES.acme.uuid,
          slug: R.website.slug,
          name: "Website",
          projectKey: "WEB",
          is_private: false,
          description: "acme.test",
          language: "javascript",
          website: "https://acme.test",
        },
        acmeOwner.uuid,
        "2021-04-01T10:00:00.000000+00:00",
      ),
      [acmeOwner.uuid, bob.uuid],
      "2021-04-01T10:00:00Z",
    ),
    [acmeOwner.uuid, bob.uuid],
    "2021-04-01T10:00:00Z",
  );
  website.groupPermissions = { developers: "read" };
  website.watcherUuids = [acmeOwner.uuid, bob.uuid];

  const experiments = makeRepository(
    {
      uuid: R.platformApiExperiments.uuid,
      workspaceUuid: WORKSPACES.acme.uuid,
      slug: R.platformApiExperiments.slug,
      name: "platform-api-experiments",
      projectKey: "PLAT",
      parentUuid: platformApi.uuid,
      language: "typescript",
    },
    bob.uuid,
    "2022-01-10T10:00:00.000000+00:00",
  );
  const core = withReleaseWork(
    withHistory(
      makeRepository(
        {
          uuid: R.coreServices.uuid,
          workspaceUuid: WORKSPACES.globex.uuid,
          slug: R.coreServices.slug,
          name: "core-services",
          projectKey: "CORE",
          language: "go",
        },
        globexOwner.uuid,
        "2020-06-01T10:00:00.000000+00:00",
      ),
      [globexOwner.uuid, globexOwner.uuid],
      "2020-06-01T10:00:00Z",
    ),
    [globexOwner.uuid, globexOwner.uuid],
    "2020-06-01T10:00:00Z",
  );
  const websiteFork = makeRepository(
    {
      uuid: R.websiteFork.uuid,
      workspaceUuid: WORKSPACES.globex.uuid,
      slug: R.websiteFork.slug,
      name: "website-fork",
      projectKey: "CORE",
      parentUuid: website.uuid,
      is_private: false,
      language: "javascript",
    },
    globexOwner.uuid,
    "2022-03-01T10:00:00.000000+00:00",
  );
  state.repositories.push(platformApi, website, experiments, core, websiteFork);
  return state;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/** Generated member number `i` (1-based) of `acme`, without an API token: `member-1`, …. */
export function generatedMember(i: number): User {
  return seedUser(0x100 + i, `member-${i}`, `Member ${i}`, `member-${i}@acme.test`, null);
}

/** The slug of generated group number `i` (1-based) of `acme`. */
export const generatedGroupSlug = (i: number) => `team-${i}`;

/**
 * Generated repository number `i` (1-based) of `acme`, the same on every start: `generated-001`, …. Settings
 * vary with `i` (visibility, fork policy, language, website, main branch, project), and so do
 * webhooks (0–2, some with a secret, some inactive), group and user grants, override settings and
 * Pipelines. Public ones sit in the public project WEB, private ones in PLAT.
 */
export function generatedRepository(i: number): Repository {
  const { acmeOwner, alice, bob } = USERS;
  const slug = `generated-${pad(i, 3)}`;
  const uuid = `{5eed4000-0000-4000-8000-${pad(i, 12)}}`;
  const isPrivate = i % 3 !== 0;
  const policies: ForkPolicy[] = isPrivate ? ["allow_forks", "no_public_forks", "no_forks"] : ["allow_forks", "no_forks"];
  const created = new Date(Date.parse("2023-01-01T09:00:00Z") + i * 3600_000).toISOString();
  const hookEvents = [["repo:push"], ["repo:push", "pullrequest:created", "pullrequest:fulfilled"], ["issue:created"]];
  const hooks: Hook[] = Array.from({ length: i % 3 }, (_, k) => ({
    uuid: `{5eed5000-0000-4000-8000-${pad(i * 10 + k, 12)}}`,
    url: `https://hooks.acme.test/${slug}/${k + 1}`,
    description: `${slug} hook ${k + 1}`,
    active: (i + k) % 4 !== 3,
    events: hookEvents[(i + k) % hookEvents.length],
    secret: k === 0 && i % 2 === 0 ? `secret-${slug}` : null,
    created_at: created,
  }));
  const groupPermissions: Repository["groupPermissions"] = {};
  if (i % 2 === 0) groupPermissions.developers = "write";
  if (i % 3 === 0) groupPermissions.administrators = "admin";
  if (i % 5 === 0) groupPermissions.contractors = "read";
  const userPermissions: Repository["userPermissions"] = {};
  if (i % 3 === 1) userPermissions[alice.uuid] = "write";
  if (i % 4 === 0) userPermissions[bob.uuid] = i % 8 === 0 ? "admin" : "read";
  return {
    ...makeRepository(
      {
        uuid,
        workspaceUuid: WORKSPACES.acme.uuid,
        slug,
        name: `Generated ${pad(i, 3)}`,
        projectKey: isPrivate ? PROJECTS.plat.key : PROJECTS.web.key,
        description: `Generated repository ${i}`,
        is_private: isPrivate,
        fork_policy: policies[i % policies.length],
        language: ["typescript", "go", "python", "java", "rust"][i % 5],
        website: i % 5 === 0 ? `https://${slug}.acme.test` : null,
        mainbranch: i % 7 === 0 ? "master" : "main",
      },
      acmeOwner.uuid,
      created,
    ),
    hooks,
    groupPermissions,
    userPermissions,
    overrideSettings: { default_merge_strategy: i % 6 === 0, branching_model: i % 9 === 0 },
    pipelinesEnabled: i % 2 === 1,
  };
}
