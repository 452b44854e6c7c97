import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False in the server's HTML and during hydration, true once React runs the page. A button whose
 * work is JavaScript stays disabled until then: a click before hydration would otherwise do
 * nothing (Sign out) or submit the form natively (a GET with the password in the address).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
