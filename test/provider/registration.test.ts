// What registering a resource costs in the program: the Pulumi SDK captures a stack trace for each of
// the promises it makes per property. Our classes register with no such stack (the largest CPU cost of
// a big program), while the SDK still records where the resource was declared.
import * as pulumi from "@pulumi/pulumi";
import { RESOURCES, ResourceKind } from "../../provider/registry";

const KINDS = Object.keys(RESOURCES) as ResourceKind[];

beforeAll(() =>
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    "project",
    "stack",
    false,
  ),
);

/**
 * Constructs one resource of each kind and returns the frame count of every stack trace prepared
 * meanwhile, once the registrations have completed.
 */
async function framesPerStackWhileConstructing(): Promise<number[]> {
  const frames: number[] = [];
  const resources: pulumi.CustomResource[] = [];
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = (_err, callSites) => {
    frames.push(callSites.length);
    return "";
  };
  try {
    for (const kind of KINDS) {
      const Class = (RESOURCES[kind] as unknown as Record<string, new (name: string, args: object) => pulumi.CustomResource>)[kind];
      resources.push(new Class(`${kind.toLowerCase()}-${frames.length}`, { workspace: "acme", repository: "{r}" }));
    }
  } finally {
    Error.prepareStackTrace = prepare;
  }
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  return frames;
}

test("a resource registers without a stack trace per SDK promise, records its source position, and leaves Error.stackTraceLimit as it was", async () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 17;
  try {
    const frames = await framesPerStackWhileConstructing();
    // One stack with frames per resource: the SDK's own capture of the source position.
    expect(frames.filter((n) => n > 0)).toHaveLength(KINDS.length);
    // The SDK's promise stacks (four per property) are captured empty.
    expect(frames.filter((n) => n === 0).length).toBeGreaterThan(4 * KINDS.length);
    expect(Error.stackTraceLimit).toBe(17);
  } finally {
    Error.stackTraceLimit = limit;
  }
});

test("with PULUMI_DEBUG_PROMISE_LEAKS set, the SDK keeps a stack trace for every promise", async () => {
  process.env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
  try {
    const frames = await framesPerStackWhileConstructing();
    expect(frames.filter((n) => n === 0)).toHaveLength(0);
    expect(frames.length).toBeGreaterThan(4 * KINDS.length);
  } finally {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  }
});
