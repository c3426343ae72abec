// Code Insights: reports on a commit and their annotations, every answer checked against the spec.
import { CREDENTIALS } from "../../emulator/seed";
import { expectMatchesSchema } from "./spec-conformance";
import { useSeededEmulator } from "./suite";

const ctx = useSeededEmulator("reports");
const call = ctx.call;
const REPO = "/repositories/acme/platform-api";

async function head(): Promise<string> {
  return (await call("GET", `${REPO}/commits`)).body.values[0].hash;
}

const REPORT_BODY = {
  title: "Drift check",
  details: "2 findings",
  report_type: "SECURITY",
  reporter: "pulumi-bitbucket-cloud",
  result: "FAILED",
  // The spec types `value` as an object; only a LINK's is one (see the test of scalar values below).
  data: [{ title: "Pipeline", type: "LINK", value: { text: "build 7", href: "https://ci.example.com/7" } }],
};
const annotation = (n: number, extra: Record<string, unknown> = {}) => ({
  external_id: `drift-${n}`,
  annotation_type: "BUG",
  severity: "HIGH",
  result: "FAILED",
  summary: `finding ${n}`,
  path: "infra/index.ts",
  line: n,
  ...extra,
});

test("PUT creates a report on the commit under its external id; GET by that id or by its uuid and the listing read it back", async () => {
  const hash = await head();
  const base = `${REPO}/commit/${hash}/reports`;
  const put = await call("PUT", `${base}/drift-report`, REPORT_BODY);
  expect(put.status).toBe(200);
  expect(put.body).toMatchObject({ type: "report", external_id: "drift-report", title: "Drift check", result: "FAILED", data: REPORT_BODY.data });
  expect((await call("GET", `${base}/drift-report`)).body.uuid).toBe(put.body.uuid);
  expect((await call("GET", `${base}/${encodeURIComponent(put.body.uuid)}`)).body.external_id).toBe("drift-report");
  expect((await call("GET", base)).body.values.map((r: { uuid: string }) => r.uuid)).toEqual([put.body.uuid]);
  // A short hash addresses the same commit.
  expect((await call("GET", `${REPO}/commit/${hash.slice(0, 12)}/reports/drift-report`)).status).toBe(200);
});

test("PUT to an existing id replaces its fields and keeps its uuid; DELETE removes it with its annotations", async () => {
  const base = `${REPO}/commit/${await head()}/reports/drift-report`;
  const first = (await call("PUT", base, REPORT_BODY)).body;
  await call("POST", `${base}/annotations`, [annotation(1)]);
  const second = await call("PUT", base, { ...REPORT_BODY, result: "PASSED", data: [] });
  expect(second.body).toMatchObject({ uuid: first.uuid, result: "PASSED", data: [] });
  expect((await call("DELETE", base)).status).toBe(204);
  expect((await call("GET", base)).status).toBe(404);
  expect((await call("GET", `${base}/annotations`)).status).toBe(404);
  expect((await call("PUT", base, REPORT_BODY)).body.uuid).not.toBe(first.uuid);
  expect((await call("GET", `${base}/annotations`)).body.values).toEqual([]);
});

test("bulk POST creates annotations by external id and updates those it knows; each is read back alone and in the listing", async () => {
  const base = `${REPO}/commit/${await head()}/reports/drift-report`;
  await call("PUT", base, REPORT_BODY);
  const created = await call("POST", `${base}/annotations`, [annotation(1), annotation(2)]);
  expect(created.status).toBe(200);
  expect(created.body).toHaveLength(2);
  expect(created.body[0]).toMatchObject({ type: "report_annotation", external_id: "drift-1", path: "infra/index.ts", line: 1, severity: "HIGH" });
  const updated = await call("POST", `${base}/annotations`, [annotation(2, { summary: "changed" }), annotation(3)]);
  expect(updated.body[0]).toMatchObject({ uuid: created.body[1].uuid, summary: "changed" });
  const listed = (await call("GET", `${base}/annotations?pagelen=100`)).body.values;
  expect(listed.map((a: { external_id: string }) => a.external_id)).toEqual(["drift-1", "drift-2", "drift-3"]);
  expect((await call("GET", `${base}/annotations/drift-3`)).body.line).toBe(3);
  expect((await call("GET", `${base}/annotations/${encodeURIComponent(created.body[0].uuid)}`)).body.external_id).toBe("drift-1");
  expect((await call("PUT", `${base}/annotations/drift-4`, annotation(4))).body).toMatchObject({ external_id: "drift-4", line: 4 });
  expect((await call("DELETE", `${base}/annotations/drift-1`)).status).toBe(204);
  expect((await call("GET", `${base}/annotations/drift-1`)).status).toBe(404);
});

test("values outside the spec's enums and fields of the wrong type are refused with 400 and store nothing", async () => {
  const base = `${REPO}/commit/${await head()}/reports/drift-report`;
  for (const bad of [
    { report_type: "DRIFT" },
    { result: "DONE" },
    { title: "" },
    { title: 3 },
    { data: [{ type: "COLOR", value: 1 }] },
    { link: "not a url" },
  ]) {
    const res = await call("PUT", base, { ...REPORT_BODY, ...bad });
    expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
  }
  expect((await call("GET", base)).status).toBe(404);
  await call("PUT", base, REPORT_BODY);
  for (const bad of [
    { annotation_type: "TYPO" },
    { severity: "URGENT" },
    { result: "PENDING" },
    { line: 0 },
    { line: 1.5 },
    { summary: undefined },
    { external_id: undefined },
  ]) {
    const res = await call("POST", `${base}/annotations`, [annotation(9), annotation(1, bad)]);
    expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
  }
  expect((await call("GET", `${base}/annotations`)).body.values).toEqual([]);
});

test("limits: 10 data fields, 100 annotations per request, 1000 per report; an empty or non-list body is a 400", async () => {
  const base = `${REPO}/commit/${await head()}/reports/drift-report`;
  const field = REPORT_BODY.data[0];
  expect((await call("PUT", base, { ...REPORT_BODY, data: Array(11).fill(field) })).status).toBe(400);
  expect((await call("PUT", base, { ...REPORT_BODY, data: Array(10).fill(field) })).status).toBe(200);
  const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => annotation(from + i));
  expect((await call("POST", `${base}/annotations`, batch(1, 101))).status).toBe(400);
  expect((await call("POST", `${base}/annotations`, [])).status).toBe(400);
  expect((await call("POST", `${base}/annotations`, annotation(1))).status).toBe(400);
  expect((await call("POST", `${base}/annotations`, [annotation(1), annotation(1)])).status).toBe(400);
  for (let from = 1; from <= 1000; from += 100) expect((await call("POST", `${base}/annotations`, batch(from, 100))).status).toBe(200);
  expect((await call("POST", `${base}/annotations`, [annotation(1001)])).status).toBe(400);
  // Updating one it holds is no new annotation.
  expect((await call("POST", `${base}/annotations`, [annotation(1000, { summary: "again" })])).status).toBe(200);
  expect((await call("GET", `${base}/annotations?pagelen=1`)).body.size).toBe(1000);
});

test("an unknown commit, repository or report is 404; a branch name is no commit here", async () => {
  const hash = await head();
  expect((await call("GET", `${REPO}/commit/${"0".repeat(40)}/reports`)).status).toBe(404);
  expect((await call("PUT", `${REPO}/commit/main/reports/drift-report`, REPORT_BODY)).status).toBe(404);
  expect((await call("GET", `/repositories/acme/ghost/commit/${hash}/reports`)).status).toBe(404);
  expect((await call("GET", `${REPO}/commit/${hash}/reports/none`)).status).toBe(404);
  expect((await call("POST", `${REPO}/commit/${hash}/reports/none/annotations`, [annotation(1)])).status).toBe(404);
});

test("reports are per commit: another commit of the repository lists none", async () => {
  const hashes: string[] = (await call("GET", `${REPO}/commits`)).body.values.map((c: { hash: string }) => c.hash);
  expect(hashes.length).toBeGreaterThan(1);
  await call("PUT", `${REPO}/commit/${hashes[0]}/reports/drift-report`, REPORT_BODY);
  expect((await call("GET", `${REPO}/commit/${hashes[1]}/reports`)).body.values).toEqual([]);
});

test("reading needs read access, writing needs write access", async () => {
  const hash = await head();
  const base = `${REPO}/commit/${hash}/reports/drift-report`;
  await call("PUT", base, REPORT_BODY);
  // mallory is not a member: the private repository answers 403.
  expect((await call("GET", base, undefined, CREDENTIALS.mallory)).status).toBe(403);
  expect((await call("PUT", base, REPORT_BODY, CREDENTIALS.mallory)).status).toBe(403);
  expect((await call("PUT", base, REPORT_BODY, CREDENTIALS.acmeAccessToken)).status).toBe(200);
});

test("data values are numbers, booleans or strings as the operation's description says (the definition types them as objects)", async () => {
  const base = `${REPO}/commit/${await head()}/reports/drift-report`;
  const data = [
    { title: "Drifted", type: "NUMBER", value: 2 },
    { title: "Safe to merge?", type: "BOOLEAN", value: false },
    { title: "Compared with", type: "TEXT", value: "program" },
  ];
  const res = await ctx.api.request("PUT", base, { body: { ...REPORT_BODY, data } });
  expect(res.status).toBe(200);
  const scalarData = { type: "array", items: { type: "object", properties: { title: { type: "string" }, type: { type: "string" }, value: {} } } };
  expectMatchesSchema(
    res,
    {
      allOf: [
        { $ref: "#/definitions/object" },
        { type: "object", required: ["uuid", "title"], properties: { uuid: { type: "string" }, title: { type: "string" }, data: scalarData } },
      ],
    },
    "report with scalar data values",
    "report_data.value is declared an object, while createOrUpdateReport's description gives NUMBER, BOOLEAN, TEXT… values as JSON numbers, booleans and strings",
  );
  expect(res.body.data).toEqual(data);
});
