// Reading a request body and writing a reply on Node's http objects.
import type * as http from "http";
import { ApiError, errorBody, ErrorDetail } from "./errors";
import type { FormField, Reply } from "./http";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) reject(new ApiError(413, "Request body too large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * The fields of a form body, or undefined when the body is not a form. Files are read as UTF-8 text:
 * the emulator holds file contents as text.
 */
export async function readForm(contentType: string | undefined, raw: string): Promise<FormField[] | undefined> {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "multipart/form-data" && type !== "application/x-www-form-urlencoded") return undefined;
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { "content-type": contentType! } }).formData();
  } catch {
    throw new ApiError(400, `Request body is not valid ${type}`);
  }
  const fields: FormField[] = [];
  for (const [name, value] of form.entries())
    fields.push(typeof value === "string" ? { name, value } : { name, value: await value.text(), filename: value.name || name });
  return fields;
}

/** Writes the reply; `headOnly` (a HEAD request) sends the headers GET would, without the body. */
export function send(res: http.ServerResponse, reply: Reply, headOnly = false): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.text !== undefined) {
    headers["Content-Type"] = reply.contentType ?? "text/plain; charset=utf-8";
    payload = reply.text;
  } else if (reply.body !== undefined && reply.status !== 204) {
    headers["Content-Type"] = "application/json; charset=utf-8";
    payload = JSON.stringify(reply.body);
  }
  headers["Content-Length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(headOnly ? undefined : payload);
}

export const errorReply = (status: number, message: string, headers: Record<string, string> = {}, detail?: ErrorDetail): Reply => ({
  status,
  body: errorBody(message, detail),
  headers,
});
