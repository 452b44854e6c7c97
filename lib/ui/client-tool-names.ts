/**
 * The names of the assistant's client tools (run in the browser): the model's tool list
 * (lib/assistant/tools) and the browser's handler (client-tools.ts) both import them, so the two
 * cannot drift apart. `switch_theme` takes one of THEMES (theme.ts).
 */
export const SWITCH_THEME = "switch_theme";
/** Kept for the earlier frontend: the model no longer calls it, but a stored thread may. */
export const RECORD_FACT = "record_fact";
