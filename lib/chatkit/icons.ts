/**
 * Icon names (PROTOCOL.md §4.5): the literal names the ChatKit client ships, or `vendor:` / `lucide:`
 * prefixed names. The protocol passes icon strings through unchanged; `isIconName` lets an
 * integration check what it authors (widgets built from data, for instance).
 */
export const ICON_NAMES = [
  "agent",
  "analytics",
  "atom",
  "batch",
  "bolt",
  "book-open",
  "book-closed",
  "book-clock",
  "bug",
  "calendar",
  "chart",
  "check",
  "check-circle",
  "check-circle-filled",
  "chevron-left",
  "chevron-right",
  "circle-question",
  "clock",
  "compass",
  "confetti",
  "cube",
  "desktop",
  "document",
  "dot",
  "dots-horizontal",
  "dots-vertical",
  "empty-circle",
  "external-link",
  "globe",
  "keys",
  "lab",
  "images",
  "info",
  "lifesaver",
  "lightbulb",
  "mail",
  "map-pin",
  "maps",
  "mobile",
  "name",
  "notebook",
  "notebook-pencil",
  "page-blank",
  "phone",
  "play",
  "plus",
  "profile",
  "profile-card",
  "reload",
  "star",
  "star-filled",
  "search",
  "sparkle",
  "sparkle-double",
  "square-code",
  "square-image",
  "square-text",
  "suitcase",
  "settings-slider",
  "user",
  "wreath",
  "write",
  "write-alt",
  "write-alt2",
] as const;

export type LiteralIconName = (typeof ICON_NAMES)[number];

const LITERAL = new Set<string>(ICON_NAMES);
const PREFIXED = /^(vendor|lucide):[A-Za-z0-9][\w-]*$/;

export function isIconName(value: string): boolean {
  return LITERAL.has(value) || PREFIXED.test(value);
}
