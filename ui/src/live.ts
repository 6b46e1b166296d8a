// Panels that show the backend's live state (the support panel's request log, the demo
// helper's one-time codes) read it again while they are open: shortly after any change of
// the app (a request answered, an event), and every so often while nothing changes. Nothing
// runs while they are closed. A refresh re-renders only when what it read differs, so a
// change it makes itself is read once more and then the loop rests.
import { subscribe } from "./state";

export interface LiveOptions {
  /** Whether the panel is open (checked before every read; a closed panel stops). */
  isOpen: () => boolean;
  /** Reads what the panel shows; calls `changed()` only when it differs. */
  refresh: () => Promise<void>;
  /** How long after a change the panel reads again (ms). */
  afterChangeMs: number;
  /** How often it reads while nothing changes (ms). */
  everyMs: number;
}

export interface Live {
  start(): void;
  stop(): void;
  running(): boolean;
}

export function live(opts: LiveOptions): Live {
  let unsubscribe: (() => void) | null = null;
  let soon: ReturnType<typeof setTimeout> | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;
  let reading = false;
  let again = false;

  const stop = () => {
    unsubscribe?.();
    unsubscribe = null;
    if (soon !== null) clearTimeout(soon);
    soon = null;
    if (poll !== null) clearInterval(poll);
    poll = null;
    again = false;
  };

  const read = async () => {
    soon = null;
    if (!opts.isOpen()) {
      stop();
      return;
    }
    // One read at a time; a change meanwhile asks for one more after it.
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    try {
      await opts.refresh();
    } finally {
      reading = false;
      if (again && unsubscribe) {
        again = false;
        schedule();
      }
    }
  };

  const schedule = () => {
    if (soon === null) soon = setTimeout(() => void read(), opts.afterChangeMs);
  };

  return {
    start() {
      if (unsubscribe) return;
      unsubscribe = subscribe(schedule);
      poll = setInterval(() => void read(), opts.everyMs);
      void read();
    },
    stop,
    running: () => unsubscribe !== null,
  };
}
