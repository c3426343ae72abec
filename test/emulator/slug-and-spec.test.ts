import { isValidSlug, MAX_SLUG_LENGTH, slugify } from "../../emulator/slug";
import { hookEvents } from "../../emulator/spec";
import { expectConforms, operationFor, tally } from "./spec-conformance";
import type { ApiResponse } from "../support/emulator-client";

describe("slugs follow Atlassian's rules", () => {
  test.each([
    ["føøbar", "foobar"],
    ["foo bar", "foo-bar"],
    ["a@b!-#c", "a-b-c"],
    ["Crème Brûlée", "creme-brulee"],
    ["Straße Łódź Æther Đak", "strasse-lodz-aether-dak"],
    ["  Hello, World!  ", "hello-world"],
    ["keep_these.chars-ok", "keep_these.chars-ok"],
    ["UPPER", "upper"],
  ])("%s → %s", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  test(`at most ${MAX_SLUG_LENGTH} characters, without a trailing -`, () => {
    expect(slugify("x".repeat(100))).toHaveLength(62);
    expect(slugify("a".repeat(61) + " b")).toBe("a".repeat(61));
  });

  test("a name with nothing sluggable gives an empty slug; valid slugs are their own slug", () => {
    expect(slugify("!!!")).toBe("");
    expect(isValidSlug("platform-api")).toBe(true);
    expect(isValidSlug("Platform API")).toBe(false);
    expect(isValidSlug("")).toBe(false);
  });
});

describe("the conformance check itself", () => {
  const response = (method: string, path: string, status: number, body: unknown): ApiResponse => ({
    method,
    path,
    status,
    headers: new Headers(),
    contentType: "application/json",
    text: JSON.stringify(body),
    body,
  });

  test("picks the operation by method and path template", () => {
    expect(operationFor("GET", "/2.0/repositories/acme/x")).toBe("/repositories/{workspace}/{repo_slug}");
    expect(operationFor("GET", "/2.0/repositories/acme/x/src/main/a/b.txt")).toBe("/repositories/{workspace}/{repo_slug}/src/{commit}/{path}");
    expect(operationFor("PUT", "/2.0/repositories/acme/x/hooks/%7Bu%7D")).toBe("/repositories/{workspace}/{repo_slug}/hooks/{uid}");
  });

  test("fails a body that breaks the operation's schema (and counts the failure)", () => {
    const before = { ...tally };
    expect(() => expectConforms(response("GET", "/2.0/repositories/acme/x", 200, { type: "repository", scm: "hg" }))).toThrow();
    expect(() => expectConforms(response("GET", "/2.0/repositories/acme/x/hooks", 200, { values: [], surprise: 1 }))).toThrow();
    expect(() => expectConforms(response("GET", "/2.0/repositories/acme/x", 404, { type: "error", error: { msg: "no" } }))).toThrow();
    expect(tally.failed - before.failed).toBe(3);
    tally.failed = before.failed;
    tally.validated = before.validated;
  });

  test("passes a body that follows the schema", () => {
    expect(() => expectConforms(response("GET", "/2.0/repositories/acme/x", 404, { type: "error", error: { message: "no" } }))).not.toThrow();
  });

  test("the emulator reads the 29 webhook events from the spec", () => {
    expect(hookEvents()).toHaveLength(29);
    expect(hookEvents()).toContain("repo:push");
  });
});
