// Errors in the spec's shape: `{type: "error", error: {message, detail?}}`, thrown by the backend and the
// routes and turned into a reply by the server.

/** A string, as the spec says; an object where Bitbucket sends one (a missing scope's `{required, granted}`). */
export type ErrorDetail = string | Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public detail?: ErrorDetail,
    public headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The spec's `error` definition: `{type: "error", error: {message, detail?, data?}}`. */
export function errorBody(message: string, detail?: ErrorDetail): unknown {
  return { type: "error", error: detail === undefined ? { message } : { message, detail } };
}

export const badRequest = (message: string, detail?: string) => new ApiError(400, message, detail);
export const notFound = (message: string) => new ApiError(404, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const unauthorized = (message = "Unauthorized") => new ApiError(401, message, undefined, { "WWW-Authenticate": 'Basic realm="Bitbucket.org HTTP"' });

/** A 400 naming the field, with the detail the service gives for invalid values. */
export const invalidField = (field: string, message: string) => badRequest(`${field}: ${message}`, `Invalid value for field "${field}"`);
