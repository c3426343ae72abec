// Compile-time checks (tsconfig.check.json type-checks this file; it has no runtime part): a resource's
// outputs and their types follow its field table and its output table, and a misspelled output does
// not compile.
import type * as pulumi from "@pulumi/pulumi";
import type { Fork } from "../../provider/resources/fork";
import type { GroupPermission } from "../../provider/resources/groupPermission";
import type { OverrideSettings } from "../../provider/resources/overrideSettings";
import type { ProjectAccess } from "../../provider/resources/projectAccess";
import type { Repository } from "../../provider/resources/repository";
import type { RepositoryAccess } from "../../provider/resources/repositoryAccess";
import type { BranchRestrictionKind } from "../../provider/resources/branchRestriction";
import type { RepositoryBranchRestrictions } from "../../provider/resources/repositoryBranchRestrictions";
import type { RepositoryWebhooks } from "../../provider/resources/repositoryWebhooks";
import type { UserPermission } from "../../provider/resources/userPermission";
import type { Webhook } from "../../provider/resources/webhook";
import type { PipelineSchedule } from "../../provider/resources/pipelineSchedule";
import type { PipelineSshKeyPair } from "../../provider/resources/pipelineSshKeyPair";
import { argument, fieldTable, output, outputTable, ResourceOutputs } from "../../provider/resources/fields";
import { z } from "zod";

/** true when A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(proof: Same<A, B>) => proof;

/** A class's outputs as plain values: every `pulumi.Output` property but the `urn` and `id` every resource has. */
type OutputsOf<R> = {
  -readonly [K in keyof R as R[K] extends pulumi.Output<unknown> ? (K extends "urn" | "id" ? never : K) : never]: R[K] extends pulumi.OutputInstance<infer V>
    ? V
    : never;
};

type ForkPolicy = "allow_forks" | "no_public_forks" | "no_forks";
type Grant = "read" | "write" | "admin";

// Every output a user could read before the outputs came from the tables, with a type at least as
// precise (forkPolicy and permission are now their schemas' enums).
same<
  OutputsOf<Repository>,
  {
    workspace: string;
    name: string;
    slug: string;
    description: string;
    isPrivate: boolean;
    forkPolicy: ForkPolicy;
    language: string;
    website: string;
    projectKey: string;
    mainBranch: string | undefined;
    uuid: string;
    fullName: string;
    htmlUrl: string;
    cloneUrlHttps: string;
    cloneUrlSsh: string;
    requestedSlug: string | undefined;
  }
>(true);
same<
  OutputsOf<Fork>,
  Omit<OutputsOf<Repository>, "requestedSlug"> & { repository: string; targetWorkspace: string; parentFullName: string; parentUuid: string } extends infer O
    ? { [K in keyof O]: O[K] }
    : never
>(true);
same<
  OutputsOf<Webhook>,
  {
    workspace: string;
    repository: string;
    url: string;
    description: string;
    active: boolean;
    events: string[];
    secretSet: boolean;
    secret: string | undefined;
    uuid: string;
  }
>(true);
same<OutputsOf<GroupPermission>, { workspace: string; repository: string; groupSlug: string; permission: Grant; groupName: string }>(true);
same<
  OutputsOf<UserPermission>,
  { workspace: string; repository: string; user: string; permission: Grant; userUuid: string; accountId: string; displayName: string }
>(true);
same<OutputsOf<OverrideSettings>, { workspace: string; repository: string; defaultMergeStrategy: boolean; branchingModel: boolean }>(true);
same<
  OutputsOf<ProjectAccess>,
  {
    workspace: string;
    project: string;
    groups: Record<string, "read" | "write" | "create-repo" | "admin"> | undefined;
    users: Record<string, "read" | "write" | "create-repo" | "admin"> | undefined;
  }
>(true);
same<
  OutputsOf<RepositoryAccess>,
  { workspace: string; repository: string; repositoryUuid: string; groups: Record<string, Grant> | undefined; users: Record<string, Grant> | undefined }
>(true);
same<
  OutputsOf<RepositoryWebhooks>,
  {
    workspace: string;
    repository: string;
    repositoryUuid: string;
    webhooks: Record<string, { url: string; events: string[]; active: boolean }>;
    hookIds: Record<string, string>;
    secrets: Record<string, string> | undefined;
  }
>(true);
same<
  OutputsOf<RepositoryBranchRestrictions>,
  {
    workspace: string;
    repository: string;
    repositoryUuid: string;
    // The program's list, keyed by kind and match by check.
    restrictions: Record<
      string,
      {
        kind: BranchRestrictionKind;
        branchMatchKind: "glob" | "branching_model";
        pattern?: string | undefined;
        branchType?: "feature" | "bugfix" | "release" | "hotfix" | "development" | "production" | undefined;
        value?: number | undefined;
        users?: string[] | undefined;
        groups?: string[] | undefined;
      }
    >;
    restrictionIds: Record<string, number>;
  }
>(true);

same<
  OutputsOf<PipelineSchedule>,
  {
    workspace: string;
    repository: string;
    branch: string;
    selector: "branches" | "custom" | "default";
    pattern: string | undefined;
    cronPattern: string;
    enabled: boolean;
    repositoryUuid: string;
    uuid: string;
  }
>(true);
same<OutputsOf<PipelineSshKeyPair>, { workspace: string; repository: string; privateKey: string; publicKey: string; repositoryUuid: string }>(true);

// An output's type is its field's schema's output: change the schema, the output follows.
interface WidgetArgs {
  colour: pulumi.Input<string>;
  size?: pulumi.Input<number>;
  shape?: pulumi.Input<string>;
  weight?: pulumi.Input<number>;
  secretWord?: pulumi.Input<string>;
}
const WIDGET_FIELDS = fieldTable<WidgetArgs>()({
  colour: { schema: z.enum(["red", "blue"]) },
  size: { schema: z.number().int().optional() },
  shape: { schema: z.string().optional(), absent: "" },
  weight: { schema: z.number().optional() },
  secretWord: { schema: z.string().optional(), createOnly: true },
});
export const WIDGET_OUTPUTS = outputTable(WIDGET_FIELDS, {
  weight: argument("always set"),
  serial: output<number>(),
});
type Widget = ResourceOutputs<typeof WIDGET_OUTPUTS>;
same<
  OutputsOf<Widget>,
  {
    colour: "red" | "blue"; // the enum, required
    size: number | undefined; // optional
    shape: string; // optional, but an absent value reads as ""
    weight: number; // optional, but always set
    serial: number; // declared besides the arguments
  } // secretWord: only read at creation, no output
>(true);
same<keyof typeof WIDGET_OUTPUTS.declared, "weight" | "serial">(true);

declare const repository: Repository;
declare const widget: Widget;
export const readable = [repository.htmlUrl, repository.forkPolicy, widget.colour];
// @ts-expect-error: a misspelled output does not compile
export const misspelled = repository.htmlURL;
// @ts-expect-error: nor does an output only read at creation
export const createOnly = widget.secretWord;
// @ts-expect-error: the same (true) given for a type that differs does not compile, so the checks above can fail
same<OutputsOf<Widget>["size"], number>(true);

outputTable(WIDGET_FIELDS, {
  // @ts-expect-error: a computed output cannot take an argument's name (its type comes from the field)
  size: output<string>(),
});
outputTable(WIDGET_FIELDS, {
  // @ts-expect-error: an argument output must name an argument in the state
  colur: argument(),
});
outputTable(WIDGET_FIELDS, {
  // @ts-expect-error: nor one only read at creation
  secretWord: argument(),
});
