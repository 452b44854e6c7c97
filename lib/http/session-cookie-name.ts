/** Whether a Cookie header carries a browser session (next-auth's cookie, plain or __Secure-, maybe chunked). */
export const SESSION_COOKIE_PATTERN = /(?:^|;\s*)(?:__Secure-)?next-auth\.session-token(?:\.\d+)?=/;
