// Each kind's static get(): one generic read (BitbucketResource.existing) that returns an object of the
// kind's class, reads the given ID with the state given, and exposes every output as a property.
import * as pulumi from "@pulumi/pulumi";
import { Fork, GroupPermission, Repository, RepositoryWebhooks, Webhook } from "../../provider/registry";
import { CLAIM_CONFLICTS } from "../../provider/resources/claims";

const reads: pulumi.runtime.MockResourceArgs[] = [];

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        reads.push(args);
        return { id: args.id ?? `${args.name}-id`, state: { ...args.inputs, htmlUrl: "https://bitbucket.org/acme/api", events: ["repo:push"] } };
      },
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  ),
);

const value = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

test("get reads the ID given, with the state given, into an object of the kind's class", async () => {
  const repository = Repository.get("repo", "{0c6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}", { workspace: "acme" });
  const webhook = Webhook.get("hook", "acme/api/{1d6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}");
  const fork = Fork.get("fork", "{2e6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}", { targetWorkspace: "globex" });
  const grant = GroupPermission.get("grant", "acme/api/developers");
  const hooks = RepositoryWebhooks.get("hooks", "acme/{0c6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}");
  expect([repository, webhook, fork, grant, hooks].map((r) => r.constructor)).toEqual([Repository, Webhook, Fork, GroupPermission, RepositoryWebhooks]);
  expect(await value(repository.id)).toBe("{0c6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}");
  expect(await value(grant.id)).toBe("acme/api/developers");
  // Outputs are properties whatever the read returned; those it returned carry their values.
  expect(await value(repository.htmlUrl)).toBe("https://bitbucket.org/acme/api");
  expect(await value(webhook.events)).toEqual(["repo:push"]);
  expect(pulumi.Output.isInstance(webhook.secretSet)).toBe(true);
  expect(await value(fork.parentUuid)).toBeUndefined();
  const byName = Object.fromEntries(reads.map((r) => [r.name, r]));
  expect(byName.repo).toMatchObject({ id: "{0c6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}", inputs: { workspace: "acme" } });
  expect(byName.fork).toMatchObject({ id: "{2e6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}", inputs: { targetWorkspace: "globex" } });
  expect(byName.hook).toMatchObject({ id: "acme/api/{1d6a4ad6-7a2f-4d53-9f4b-1b2c3d4e5f60}" });
  // A get claims nothing: no check-only conflicts input.
  expect(Object.keys(byName.grant.inputs)).not.toContain(CLAIM_CONFLICTS);
});
