/**
 * The Stripe API version this app is written against — the one place it is named. The SDK
 * client sends it on every request, the webhook endpoint is created with it
 * (`npm run stripe:webhook-endpoint`), and the local fake renders its objects in it. Kept free of
 * imports so scripts and the fake can use it without loading the app's config.
 */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

/**
 * From this version on an invoice names its subscription under
 * `parent.subscription_details.subscription`; before it, in a top-level `subscription`
 * (https://docs.stripe.com/changelog/basil/2025-03-31/adds-new-parent-field-to-invoicing-objects).
 */
export const INVOICE_PARENT_SINCE = "2025-03-31";

/** The release date of a version (`2025-03-31.basil` → `2025-03-31`), which orders versions. */
export const apiVersionDate = (version: string): string => version.slice(0, 10);

/** Versions whose event shapes the webhook knows: any up to the pinned one. A later one is refused. */
export function isKnownApiVersion(version: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version) && apiVersionDate(version) <= apiVersionDate(STRIPE_API_VERSION)
  );
}
