/**
 * Bounded nesting for untrusted JSON. `JSON.parse` and `JSON.stringify` recurse per level: a body
 * of 100,000 nested arrays parses, then overflows the stack wherever it is serialised or walked
 * again. One linear scan of the text, before parsing, finds how deep it goes.
 */
export const MAX_JSON_DEPTH = 100;

/** True when the JSON text nests objects/arrays deeper than `max` levels (strings are skipped). */
export function jsonNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}
