// What every drift source produces and every part of drift/ reads: the steps of a refresh and a plan,
// the states they carry, how secrets read in them, and the names held in a resource's URN and type.

export interface ResourceState {
  id?: string;
  /** False for component resources, which have no live object of their own. */
  custom: boolean;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

export interface Step {
  op: string;
  urn: string;
  type: string;
  old?: ResourceState;
  new?: ResourceState;
  /**
   * On a plan step: the secret arguments whose declared and live values differ, when the source can
   * tell. The state source can (it holds both in plaintext); a preview cannot, as it shows both masked.
   */
  differingSecrets?: string[];
}

/** How a secret value reads in the preview JSON; events carry a signature object instead. */
export const SECRET = "[secret]";
/** The key that marks a secret value in the state and in engine events. */
export const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** The Pulumi type of this package's resources; the group is the kind. */
export const KIND = /^pulumi-nodejs:dynamic\/bitbucket:(\w+)$/;

/** `urn:pulumi:stack::project::[parent$]type::name` → its type. */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  return (parts[parts.length - 2] ?? "").split("$").pop() ?? "";
}

export function nameOfUrn(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

/** A resource of `pulumi stack export --show-secrets` (deployment.resources[]). */
export interface ExportedResource {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  delete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
