/**
 * The open thread of the built-in chat lives in the address (`/chat?thread=…`), so a reload or
 * a shared link opens it again. Written with replaceState: opening chats does not fill the
 * back button's history.
 */
const PARAM = "thread";
const THREAD_ID = /^[\w-]{1,128}$/;

/** The thread id in `search` (a location's query string), when it looks like one of ours. */
export function threadFromSearch(search: string): string | null {
  const value = new URLSearchParams(search).get(PARAM);
  return value && THREAD_ID.test(value) ? value : null;
}

/** `href` with the thread parameter set to `id` (or removed), every other part kept. */
export function withThread(href: string, id: string | null): string {
  const url = new URL(href);
  if (id) url.searchParams.set(PARAM, id);
  else url.searchParams.delete(PARAM);
  return `${url.pathname}${url.search}${url.hash}`;
}

export function readThreadParam(): string | null {
  return threadFromSearch(window.location.search);
}

export function writeThreadParam(id: string | null): void {
  const next = withThread(window.location.href, id);
  if (next !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, "", next);
  }
}
