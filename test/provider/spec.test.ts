// Lists embedded in the provider must match Atlassian's spec (the copy the emulator serves, and the
// shared original when present), so they cannot drift silently.
import * as fs from "fs";
import * as path from "path";
import { FORK_POLICIES } from "../../provider/resources/repository";
import { WEBHOOK_EVENTS } from "../../provider/resources/webhookEvents";
import { Permission } from "../../provider/client/api";

const specs = [path.join(__dirname, "../../emulator/spec/swagger.json"), "/work/shared/bitbucket-api/swagger.json"].filter((p) => fs.existsSync(p));

describe.each(specs)("against %s", (file) => {
  const spec = JSON.parse(fs.readFileSync(file, "utf8"));
  const props = (name: string) => spec.definitions[name].allOf?.[1]?.properties ?? spec.definitions[name].properties;

  test("webhook events are exactly the spec's enum", () => {
    expect([...WEBHOOK_EVENTS]).toEqual([...props("webhook_subscription").events.items.enum].sort());
    expect(WEBHOOK_EVENTS).toHaveLength(29);
  });

  test("fork policies are exactly the spec's enum", () => {
    expect([...FORK_POLICIES]).toEqual(props("repository").fork_policy.enum);
  });

  test("permissions are the ones the permissions-config PUT documents", () => {
    const put = spec.paths["/repositories/{workspace}/{repo_slug}/permissions-config/groups/{group_slug}"].put;
    for (const p of Permission.options) expect(put.description).toContain(`\`${p}\``);
  });
});

test("at least the emulator's copy of the spec was checked", () => {
  expect(specs.length).toBeGreaterThan(0);
});
