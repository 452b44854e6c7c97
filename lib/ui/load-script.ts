/**
 * Loads the ChatKit web component script once, and tells apart the ways it can fail:
 * the request fails (offline, blocked, refused by policy) or nothing arrives in time.
 * Success means the `<openai-chatkit>` element got defined, not merely that a file loaded.
 */
export type ScriptFailure = "error" | "timeout";

export class ScriptLoadError extends Error {
  constructor(readonly reason: ScriptFailure) {
    super(
      reason === "timeout" ? "The chat component took too long to load." : "The chat component could not be loaded.",
    );
    this.name = "ScriptLoadError";
  }
}

const ELEMENT = "openai-chatkit";
const MARKER = "data-chatkit-loader";

export function loadChatKitScript(src: string, timeoutMs: number): Promise<void> {
  if (customElements.get(ELEMENT)) return Promise.resolve();
  // A retry starts from a clean slate: a failed <script> never runs again.
  document.querySelectorAll(`script[${MARKER}]`).forEach((old) => old.remove());
  return new Promise<void>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = true;
    script.setAttribute(MARKER, "");
    const timer = window.setTimeout(() => settle(new ScriptLoadError("timeout")), timeoutMs);
    let done = false;
    function settle(error?: ScriptLoadError) {
      if (done) return;
      done = true;
      window.clearTimeout(timer);
      if (error) reject(error);
      else resolve();
    }
    script.addEventListener("error", () => settle(new ScriptLoadError("error")));
    // The file may define the element after it ran; a file that never does hits the timer.
    void customElements.whenDefined(ELEMENT).then(() => settle());
    document.head.appendChild(script);
  });
}
