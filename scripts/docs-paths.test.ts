/**
 * The README and every module doc name only files and folders that exist. A name counts as a
 * repository path when it is written in backticks or as a link target and its first segment is
 * an entry of the repository root, of the doc's own folder, or of the folder its section is
 * about (a heading such as "## support/"); then the whole path must exist. A placeholder
 * (`lib/openapi/operations/<tag>.ts`) checks the folder before it; runtime output (`.data/`) and
 * generated folders are not checked.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP_DIRS = new Set(["node_modules", ".git", ".next", ".data", "artifacts"]);
/** Written by the app or its tools at run time, never in the repository. */
const RUNTIME = /^(\.data|\.next|node_modules|e2e\/artifacts|test-results|playwright-report)(\/|$)/;
const CODE_FILE = /\.(ts|tsx|mjs|js|json|md|yml|yaml|sql|css)$/;

function docs(dir = ROOT): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...docs(path.join(dir, entry.name)));
    } else if (entry.name.endsWith(".md")) out.push(path.join(dir, entry.name));
  }
  return out;
}

type Mention = { name: string; line: number; bases: string[] };

/** Backticked names and link targets of a doc in folder `own`, each with the folders it may be relative to. */
function mentions(text: string, own: string): Mention[] {
  const found: Mention[] = [];
  let section: string | null = null;
  let fenced = false;
  text.split("\n").forEach((text, i) => {
    if (text.startsWith("```")) fenced = !fenced;
    if (fenced) return;
    const heading = /^#{1,6}\s+`?([\w.-]+(?:\/[\w.-]+)*\/)`?\s*$/.exec(text);
    if (text.startsWith("#")) section = heading?.[1] ? path.join(own, heading[1]) : null;
    const bases = [ROOT, own, ...(section ? [section] : [])];
    for (const m of text.matchAll(/`([^`\s]+)`|\]\(([^)\s]+)\)/g)) {
      const name = m[1] ?? m[2];
      if (name) found.push({ name, line: i + 1, bases });
    }
  });
  return found;
}

/** The path a mention names, or null when it is not a path (a URL, a package, a MIME type…). */
function asPath(name: string): string | null {
  if (/^[a-z]+:|^\/|^@|^#|[()"'=,;]/.test(name)) return null;
  const bare = name.replace(/#.*$/, "").replace(/:\d+(-\d+)?$/, "");
  if (!bare || RUNTIME.test(bare)) return null;
  if (!bare.includes("/") && !CODE_FILE.test(bare)) return null;
  return bare;
}

/** `line N names X, which does not exist` for each path the doc names that is not there. */
function missing(text: string, own: string): string[] {
  const problems: string[] = [];
  for (const { name, line, bases } of mentions(text, own)) {
    const target = asPath(name);
    if (!target) continue;
    // A placeholder (`<tag>`, `…`, `*`): the folder before it must exist.
    const wild = target.search(/[<…*{[]/);
    const checked = wild >= 0 ? target.slice(0, target.lastIndexOf("/", wild) + 1) : target;
    if (!checked) continue;
    const first = checked.split("/")[0]!;
    const candidates = bases.filter((base) => first === "" || first === "." || existsSync(path.join(base, first)));
    if (candidates.length === 0 && checked.includes("/")) continue; // not a repository path (e.g. openai/chatkit-python)
    if (!candidates.some((base) => existsSync(path.join(base, checked)))) {
      problems.push(`line ${line} names ${name}, which does not exist`);
    }
  }
  return problems;
}

describe("docs name only paths that exist", () => {
  const files = docs();

  it("finds the README and the module docs", () => {
    const names = files.map((f) => path.relative(ROOT, f));
    expect(names).toContain("README.md");
    expect(names).toContain("e2e/README.md");
    expect(names.filter((n) => /^lib\/.+\/README\.md$/.test(n)).length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(`every path ${path.relative(ROOT, file)} names exists`, () => {
      expect(missing(readFileSync(file, "utf8"), path.dirname(file))).toEqual([]);
    });
  }

  it("catches a moved file, a stale file in a section's folder and a placeholder's missing folder", () => {
    const doc = [
      "The CSP is built in `lib/env.ts` and `lib/nowhere/csp.ts`; see [the guide](lib/gone.md).",
      "## support/",
      "- `users.ts` and `no-such-helper.ts`",
      "- one file per tag: `lib/openapi/operations/<tag>.ts`, `lib/openapi/nothing/<tag>.ts`",
      "Not paths: `openai/chatkit-python`, `audio/webm`, `https://x.test/a.ts`, `.data/bench/latest.json`.",
    ].join("\n");
    expect(missing(doc, path.join(ROOT, "e2e"))).toEqual([
      "line 1 names lib/nowhere/csp.ts, which does not exist",
      "line 1 names lib/gone.md, which does not exist",
      "line 3 names no-such-helper.ts, which does not exist",
      "line 4 names lib/openapi/nothing/<tag>.ts, which does not exist",
    ]);
  });
});
