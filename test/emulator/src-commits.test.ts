// POST …/src: commits made by uploading files (multipart/form-data or urlencoded), with the spec's
// rules on branches, parents, authors and paths; each revision keeps the tree it had.
import { CREDENTIALS, USERS } from "../../emulator/seed";
import { expectConforms } from "./spec-conformance";
import { useSeededEmulator } from "./suite";

const REPO = "/repositories/acme/platform-api";
const ctx = useSeededEmulator("src-commits");

/** A multipart form: `files` maps paths to contents (file parts), `fields` the metadata. */
function multipart(files: Record<string, string>, fields: [string, string][] = []): FormData {
  const form = new FormData();
  for (const [path, content] of Object.entries(files)) form.append(path, new Blob([content]), path.split("/").pop());
  for (const [name, value] of fields) form.append(name, value);
  return form;
}

async function post(form: FormData | URLSearchParams, auth = CREDENTIALS.owner) {
  const res = await ctx.api.request("POST", `${REPO}/src`, { form, auth });
  expectConforms(res);
  return res;
}

const fileAt = async (rev: string, path: string) => {
  const res = await ctx.call("GET", `${REPO}/src/${encodeURIComponent(rev)}/${path}`);
  return res.status === 200 ? res.text : res.status;
};
const head = async (branch: string) => (await ctx.api.listAll(`${REPO}/refs/branches`)).find((b) => b.name === branch)?.target;

describe("POST …/src", () => {
  test("a multipart upload commits on the main branch: 201, no body, Location of the new commit; the file reads back at main", async () => {
    const before = await head("main");
    const res = await post(multipart({ CODEOWNERS: "* @acme/developers\n" }, [["message", "Add CODEOWNERS"]]));
    expect(res.status).toBe(201);
    expect(res.text).toBe("");
    const after = await head("main");
    expect(after.hash).not.toBe(before.hash);
    expect(res.headers.get("location")).toBe(`${ctx.emu.apiUrl}${REPO}/commit/${after.hash}`);
    expect(after).toMatchObject({ message: "Add CODEOWNERS", parents: [{ hash: before.hash }] });
    expect(await fileAt("main", "CODEOWNERS")).toBe("* @acme/developers\n");
    // The parent still has the tree it had; the other files carried over.
    expect(await fileAt(before.hash, "CODEOWNERS")).toBe(404);
    expect(await fileAt("main", "README.md")).toBe(await fileAt(before.hash, "README.md"));
  });

  test("urlencoded works too; a leading slash makes a field named like metadata a file", async () => {
    const res = await post(
      new URLSearchParams([
        ["/message", "a file called message"],
        ["message", "the commit message"],
      ]),
    );
    expect(res.status).toBe(201);
    expect(await fileAt("main", "message")).toBe("a file called message");
    expect((await head("main")).message).toBe("the commit message");
  });

  test("author is taken as `Name <email>` and linked to the user of that email; another form is refused naming author", async () => {
    await post(multipart({ a: "1" }, [["author", `Someone <${USERS.alice.email}>`]]));
    expect((await head("main")).author).toMatchObject({ raw: `Someone <${USERS.alice.email}>`, user: { uuid: USERS.alice.uuid } });
    const before = await head("main");
    for (const author of ["Someone", "<a@b.c>", "Someone <not an email>", "Some <a@b.c> more"]) {
      const res = await post(multipart({ b: "2" }, [["author", author]]));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^author: /);
    }
    expect((await head("main")).hash).toBe(before.hash);
  });

  test.each(["../escape", "a/../b", "a//b", "dir/", "./x", ".git/config"])("a path %s is refused (400) and commits nothing", async (path) => {
    const before = await head("main");
    const res = await post(new URLSearchParams([[path, "x"]]));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Invalid path/);
    expect((await head("main")).hash).toBe(before.hash);
  });

  test("files= without an upload deletes the file; with an upload of the same path, writes it", async () => {
    await post(new URLSearchParams([["files", "/docs/guide.md"]]));
    expect(await fileAt("main", "docs/guide.md")).toBe(404);
    await post(
      new URLSearchParams([
        ["files", "README.md"],
        ["README.md", "kept\n"],
      ]),
    );
    expect(await fileAt("main", "README.md")).toBe("kept\n");
  });

  test("a new branch starts from the main branch's head without moving it; an existing branch gets the commit on top", async () => {
    const main = await head("main");
    await post(multipart({ "x.txt": "on topic" }, [["branch", "topic"]]));
    const topic = await head("topic");
    expect(topic.parents).toEqual([expect.objectContaining({ hash: main.hash })]);
    expect((await head("main")).hash).toBe(main.hash);
    expect(await fileAt("topic", "x.txt")).toBe("on topic");
    expect(await fileAt("main", "x.txt")).toBe(404);
    const develop = await head("develop");
    await post(multipart({ "y.txt": "on develop" }, [["branch", "develop"]]));
    expect((await head("develop")).parents).toEqual([expect.objectContaining({ hash: develop.hash })]);
  });

  test("parents that is not the branch's head is 409 (no history is rewritten); the head itself is accepted", async () => {
    const main = await head("main");
    const develop = await head("develop");
    const stale = await post(multipart({ z: "1" }, [["parents", develop.hash]]));
    expect(stale.status).toBe(409);
    expect((await head("main")).hash).toBe(main.hash);
    expect(
      (
        await post(
          multipart({ z: "1" }, [
            ["parents", main.hash],
            ["branch", "main"],
          ]),
        )
      ).status,
    ).toBe(201);
  });

  test("a bad branch name or a repeated branch is 400; a read-only user is 403; a JSON body is 400", async () => {
    expect((await post(multipart({ z: "1" }, [["branch", "a..b"]]))).body.error.message).toMatch(/^branch: /);
    expect(
      (
        await post(
          multipart({ z: "1" }, [
            ["branch", "a"],
            ["branch", "b"],
          ]),
        )
      ).status,
    ).toBe(400);
    const readOnly = await ctx.api.request("POST", "/repositories/acme/website/src", { form: multipart({ z: "1" }), auth: CREDENTIALS.bob });
    expect(readOnly.status).toBe(403);
    expect((await ctx.call("POST", `${REPO}/src`, { "z.txt": "1" })).status).toBe(400);
  });
});
