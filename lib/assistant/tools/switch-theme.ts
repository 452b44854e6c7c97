/** `switch_theme`, run in the browser (lib/ui/client-tools.ts): the name and the themes are the browser's. */
import "server-only";
import { z } from "zod";
import { SWITCH_THEME } from "@/lib/ui/client-tool-names";
import { THEMES } from "@/lib/ui/theme";
import { SWITCH_THEME_DESCRIPTION } from "../constants";
import { functionTool } from "./parameters";

const switchThemeArgsSchema = z.object({ theme: z.enum(THEMES) });

export const switchThemeTool = functionTool(SWITCH_THEME, SWITCH_THEME_DESCRIPTION, switchThemeArgsSchema);
