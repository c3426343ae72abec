// What registering a resource costs in the program: the Pulumi SDK captures a stack trace for each of
// the promises it makes per property. Our classes register with no such stack (the largest CPU cost of
// a big program), while the SDK still records where the resource was declared: the program's line,
// with no frame of ours or of what ran the program.
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
 * Constructs one resource of each kind and returns the files of the frames of every stack trace
 * prepared meanwhile, once the registrations have completed.
 */
async function stacksWhileConstructing(): Promise<string[][]> {
  const stacks: string[][] = [];
  const resources: pulumi.CustomResource[] = [];
  const prepare = Error.prepareStackTrace;
  const recording = (_err: Error, callSites: NodeJS.CallSite[]) => {
    stacks.push(callSites.map((c) => c.getFileName() ?? ""));
    return "";
  };
  Error.prepareStackTrace = recording;
  try {
    for (const kind of KINDS) {
      const Class = (RESOURCES[kind] as unknown as Record<string, new (name: string, args: object) => pulumi.CustomResource>)[kind];
      resources.push(new Class(`${kind.toLowerCase()}-${stacks.length}`, { workspace: "acme", repository: "{r}" }));
      // Each constructor puts back the program's own stack formatting.
      expect(Error.prepareStackTrace).toBe(recording);
    }
  } finally {
    Error.prepareStackTrace = prepare;
  }
  await Promise.all(resources.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
  return stacks;
}

const frameCounts = async () => (await stacksWhileConstructing()).map((s) => s.length);

test("a resource registers without a stack trace per SDK promise, records its source position, and leaves Error.stackTraceLimit as it was", async () => {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 17;
  try {
    const frames = await frameCounts();
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
    const frames = await frameCounts();
    expect(frames.filter((n) => n === 0)).toHaveLength(0);
    expect(frames.length).toBeGreaterThan(4 * KINDS.length);
  } finally {
    delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
  }
});

test("the stack a resource records ends at the program's line that declared it, with no frame of ours or of what ran the program", async () => {
  const recorded = (await stacksWhileConstructing()).filter((files) => files.length > 0);
  expect(recorded).toHaveLength(KINDS.length);
  for (const files of recorded) {
    const beyondSdk = files.filter((f) => !/[\\/]@pulumi[\\/]pulumi[\\/]/.test(f));
    expect(beyondSdk).toEqual([__filename]);
  }
});
