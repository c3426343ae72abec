// The dynamic provider each Resource class hands to Pulumi. Pulumi serializes it (with its closure)
// into every resource's state, so it holds nothing but the resource kind: each method requires the
// installed runtime when it runs. Credentials and client code never end up in the state, and a
// refresh always runs the installed version of the provider.
// One object per kind: Pulumi caches the serialized text by provider object, so every resource of a
// kind reuses it. The methods capture nothing (they read the kind from `this`, the object the engine
// calls them on), which keeps the serialized text small.
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./registry";

type Shim = pulumi.dynamic.ResourceProvider & { kind: ResourceKind };

// Plain (not async) one-line methods: the engine awaits what they return, and the text stays short.
const METHODS: Omit<Shim, "kind"> & ThisType<Shim> = {
  configure(r) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").configure(r.config);
  },
  check(o, n) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).check(o, n);
  },
  diff(i, o, n) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).diff(i, o, n);
  },
  create(n) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).create(n);
  },
  read(i, p) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).read(i, p);
  },
  update(i, o, n) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).update(i, o, n);
  },
  delete(i, p) {
    return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(this.kind).delete(i, p);
  },
};

const shims = new Map<ResourceKind, Shim>();

export function shim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let provider = shims.get(kind);
  if (!provider) shims.set(kind, (provider = { kind, ...METHODS }));
  return provider;
}
