// Errors in the spec's shape: `{type: "error", error: {message, detail?}}`, thrown by the backend and the
// routes and turned into a reply by the server.

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public detail?: string,
    public headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The spec's `error` definition: `{type: "error", error: {message, detail?, data?}}`. */
export function errorBody(message: string, detail?: string): unknown {
  return { type: "error", error: detail === undefined ? { message } : { message, detail } };
}

export const badRequest = (message: string, detail?: string) => new ApiError(400, message, detail);
export const notFound = (message: string) => new ApiError(404, message);
export const forbidden = (message: string) => new ApiError(403, message);
export const unauthorized = (message = "Unauthorized") => new ApiError(401, message, undefined, { "WWW-Authenticate": 'Basic realm="Bitbucket.org HTTP"' });

/** A 400 naming the field, with the detail the service gives for invalid values. */
export const invalidField = (field: string, message: string) => badRequest(`${field}: ${message}`, `Invalid value for field "${field}"`);
