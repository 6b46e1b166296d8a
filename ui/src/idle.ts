// Kiosk input reporting. The idle rule (warning, countdown, wipe) is decided in Rust; the UI
// only tells it that a person touched the desk, at most once a second.
import { commands } from "./ipc";

export const ACTIVITY_INTERVAL_MS = 1000;
export const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

export class ActivityReporter {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: () => Promise<void> | void = () => commands.activity(),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Input happened; reports it unless it was reported less than a second ago. */
  input(force = false): void {
    const t = this.now();
    if (!force && t - this.last < ACTIVITY_INTERVAL_MS) return;
    this.last = t;
    try {
      const p = this.send();
      if (p && typeof p.catch === "function") p.catch((e) => console.warn("activity not reported", e));
    } catch (e) {
      console.warn("activity not reported", e);
    }
  }

  /** Listens for input on `target` (capture phase, passive). Returns the way to stop. */
  attach(target: EventTarget, enabled: () => boolean): () => void {
    const handler = () => {
      if (enabled()) this.input();
    };
    for (const ev of ACTIVITY_EVENTS) target.addEventListener(ev, handler, { passive: true, capture: true });
    return () => {
      for (const ev of ACTIVITY_EVENTS) target.removeEventListener(ev, handler, { capture: true });
    };
  }
}

export const activity = new ActivityReporter();
