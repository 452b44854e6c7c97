/** Helpers of the accessibility specs: axe runs in each theme and size, and the focus indicator check. */
import AxeBuilder from "@axe-core/playwright";
import { expect, type Locator, type Page } from "@playwright/test";

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;
const SIZES = [
  { name: "desktop", size: DESKTOP },
  { name: "phone", size: PHONE },
] as const;
const THEMES = ["light", "dark"] as const;

/** One axe finding, short enough to read in a failure message: rule, impact, and where. */
export type Finding = string;

/**
 * Runs axe (every rule but the experimental ones) on the page as it is now. Only violations come
 * back in full: the passes of a long page (/docs: ~8000 elements) are megabytes nobody reads.
 */
export async function axeFindings(page: Page): Promise<Finding[]> {
  const { violations } = await new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).analyze();
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? "?"}) ×${v.nodes.length}: ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(" | ")}`,
  );
}

/**
 * Opens the page view in the light and the dark theme (as the visitor's system asks, no stored
 * choice), and runs axe on each at desktop and phone width. `open` loads the view and waits until
 * it has settled; it runs once per theme. Every finding is reported under its theme and size.
 */
export async function scanInThemesAndSizes(page: Page, open: () => Promise<void>): Promise<Record<string, Finding[]>> {
  const found: Record<string, Finding[]> = {};
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme });
    await page.setViewportSize(DESKTOP);
    await open();
    await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
    for (const { name, size } of SIZES) {
      await page.setViewportSize(size);
      found[`${theme} ${name}`] = await axeFindings(page);
    }
  }
  await page.setViewportSize(DESKTOP);
  await page.emulateMedia({ colorScheme: "light" });
  return found;
}

/** Each theme and size with no finding, so a failure lists exactly what axe found and where. */
export function expectNoFindings(view: string, found: Record<string, Finding[]>): void {
  const clean = Object.fromEntries(Object.keys(found).map((k) => [k, [] as Finding[]]));
  expect(found, `axe violations on ${view}`).toEqual(clean);
}

/**
 * Whether the focused element shows it: a solid outline at least 2px wide in a visible colour
 * (the app draws one on every `:focus-visible` element, see app/globals.css).
 */
export async function focusIndicator(target: Locator): Promise<string> {
  return target.evaluate((el) => {
    const s = getComputedStyle(el);
    const visible =
      s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 && !/rgba\(.*,\s*0\)$/.test(s.outlineColor);
    return visible ? "visible" : `none (${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor})`;
  });
}
