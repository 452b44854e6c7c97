/** How many times a fact's file may fail indexing before the memory job stops re-uploading it. */
export const MEMORY_INDEX_MAX_FAILURES = 5;

/** Seconds between attaching a file and the memory job's first look at it (indexing takes a moment). */
export const MEMORY_FIRST_POLL_SECONDS = 1;
