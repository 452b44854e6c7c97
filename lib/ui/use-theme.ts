import { useSyncExternalStore } from "react";
import { readTheme, subscribeTheme, type Theme } from "./theme";

/**
 * The page theme, for a component that renders with it. Each such component reads it itself
 * rather than taking it as a prop: a parent passing it down would update a server-rendered
 * chat panel that is still waiting for its code, and React then throws that panel's HTML away
 * and renders it again (the panel flashes "Loading the chat…"). Renders "light" during
 * hydration, as the server did, then the stored theme.
 */
export function useTheme(): Theme {
  return useSyncExternalStore(subscribeTheme, readTheme, () => "light" as const);
}
