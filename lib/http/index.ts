export * from "./errors";
export { errorBodySchema, errorIssueSchema, type ErrorBody } from "./error-body";
export { errorResponse, json, empty, route, toAppError } from "./respond";
export { parseJson, parseJsonText, readBytes, readText, validate, zodIssues } from "./validate";
export * from "./body-limits";
export { isAllowedOrigin, preflight, withCors } from "./cors";
export { isDatabaseUnavailable, isUnstorableText } from "./db-errors";
export { ensureJsonError } from "./json-errors";
export { rejectMalformedPath } from "./path-guard";
