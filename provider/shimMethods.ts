// The methods of every serialized dynamic provider, and nothing else: this module's exports object is
// the prototype of each kind's shim (provider/shim.ts). Installed under node_modules, it is what
// Pulumi's serializer writes as `require("pulumi-bitbucket-cloud/dist/provider/shimMethods.js")`
// instead of the methods' text. Each method reads the kind from `this` (the shim the engine calls it
// on) and requires the installed runtime when it runs, so nothing is captured.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./registry";
import type { KindProvider } from "./runtime";

type Shim = { kind: ResourceKind };
type Props = Record<string, unknown>;

function installed(shim: Shim): KindProvider {
  return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(shim.kind);
}

export function configure(this: Shim, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  return require("pulumi-bitbucket-cloud/dist/provider/runtime").configure(req.config);
}

export function check(this: Shim, olds: Props, news: Props) {
  return installed(this).check(olds, news);
}

export function diff(this: Shim, id: string, olds: Props, news: Props) {
  return installed(this).diff(id, olds, news);
}

export function create(this: Shim, inputs: Props) {
  return installed(this).create(inputs);
}

export function read(this: Shim, id: string, props?: Props) {
  return installed(this).read(id, props);
}

export function update(this: Shim, id: string, olds: Props, news: Props) {
  return installed(this).update(id, olds, news);
}

// `delete` is a reserved word: the function has another name and is exported as `delete`.
function deleteResource(this: Shim, id: string, props: Props) {
  return installed(this).delete(id, props);
}
export { deleteResource as delete };
