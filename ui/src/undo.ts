// A removal (a line, or a whole cart) is offered back for a few seconds: the backend keeps
// what it took (`undo_removal`). Ending a session and resetting the demo ask first instead
// (session.ts, demo.ts).
import { call, commands } from "./ipc";
import { changed, state } from "./state";
import { announce, applyCart, run } from "./core";
import { t } from "./i18n";

/** How long the undo toast stays (the backend keeps the lines longer). */
export const UNDO_MS = 5000;

let nextId = 1;
let timer: ReturnType<typeof setTimeout> | null = null;
/** While the person is on the toast (focus or pointer), it waits for them. */
let held = false;

function clearTimer(): void {
  if (timer !== null) clearTimeout(timer);
  timer = null;
}

function startTimer(id: number): void {
  clearTimer();
  timer = setTimeout(() => {
    timer = null;
    if (state.undo?.id === id) {
      state.undo = null;
      changed();
    }
  }, UNDO_MS);
}

/** Offers a removal back: the `undo` toast for `UNDO_MS`, announced in the live region. */
export function offerUndo(domain: string, message: string): void {
  const id = nextId++;
  state.undo = { id, domain, message };
  held = false;
  startTimer(id);
  announce(t("undo.offered", { what: message }));
}

/** The toast has the person's attention: it stays until they leave it. */
export function holdUndo(): void {
  if (!state.undo || held) return;
  held = true;
  clearTimer();
}

/** The person left the toast: it goes after a full `UNDO_MS` again. */
export function releaseUndo(): void {
  if (!state.undo || !held) return;
  held = false;
  startTimer(state.undo.id);
}

export function dismissUndo(): void {
  clearTimer();
  held = false;
  state.undo = null;
  changed();
}

/** Puts back what the offered removal took; the toast goes either way. */
export async function undoRemoval(): Promise<void> {
  const offer = state.undo;
  if (!offer) return;
  dismissUndo();
  const cart = await run(() => call(commands.undoRemoval(offer.domain)));
  if (!cart) return;
  applyCart(cart);
  announce(t("undo.done", { merchant: cart.display_name }));
}

/** Whether an undo toast is being shown, and whether it waits for the person (tests). */
export function undoTimer(): { shown: boolean; running: boolean; held: boolean } {
  return { shown: state.undo !== null, running: timer !== null, held };
}
