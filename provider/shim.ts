// The dynamic provider each Resource class hands to Pulumi. Pulumi serializes it into every resource's
// state (twice: with the inputs and with the outputs; the dynamic-provider host adds both copies), so
// it holds nothing but the resource kind. Its methods are those of provider/shimMethods.ts, which
// require the installed runtime when they run: credentials and client code never end up in the
// state, and a refresh always runs the installed version of the provider.
//
// A shim is an object whose prototype is shimMethods' exports and whose one own property is the kind.
// When the package is installed under node_modules, Pulumi's serializer recognizes that prototype as
// a module and writes `Object.create(require("pulumi-bitbucket-cloud/dist/provider/shimMethods.js"))`
// plus the kind: about 300 bytes per copy. From a linked checkout (a path outside node_modules) it
// writes the methods' text instead, which behaves the same and is about 2.5 KB.
// One object per kind: Pulumi caches the serialized text by provider object, so every resource of a
// kind reuses it.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./registry";
import * as methods from "./shimMethods";

const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

export function shim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let provider = shims.get(kind);
  if (!provider) shims.set(kind, (provider = Object.assign(Object.create(methods), { kind })));
  return provider!;
}
