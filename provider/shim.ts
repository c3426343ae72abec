// The dynamic provider each Resource class hands to Pulumi. Pulumi serializes it (with its closure)
// into every resource's state, so it holds nothing but the resource kind: each method requires the
// installed runtime when it runs. Credentials and client code never end up in the state, and a
// refresh always runs the installed version of the provider.
import type * as pulumi from "@pulumi/pulumi";

export type ResourceKind = "Repository" | "Fork" | "Webhook" | "GroupPermission" | "UserPermission" | "OverrideSettings";

export function shim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  return {
    async configure(req) {
      require("pulumi-bitbucket-cloud/dist/provider/runtime").configure(req.config);
    },
    async check(olds, news) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).check(olds, news);
    },
    async diff(id, olds, news) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).diff(id, olds, news);
    },
    async create(inputs) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).create(inputs);
    },
    async read(id, props) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).read(id, props);
    },
    async update(id, olds, news) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).update(id, olds, news);
    },
    async delete(id, props) {
      return require("pulumi-bitbucket-cloud/dist/provider/runtime").providerFor(kind).delete(id, props);
    },
  };
}
