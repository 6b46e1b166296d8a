// The end of an order on a kiosk: the receipt's QR code, printing through the backend (never
// a print dialog), and the confirmation's fixed countdown after which the screen clears by
// itself. "Done" ends the session at once. Touches do not extend the countdown: it is a
// confirmation timer, not the idle rule (which lives in Rust).
import type { OrderView } from "./bindings";
import { call, commands, toDeskError } from "./ipc";
import { changed, state } from "./state";
import { t } from "./i18n";
import { announce, run } from "./core";
import { receiptWords } from "./messages";
import { endSession } from "./session";
import { newOrder } from "./orders";

/** How often the countdown looks at the clock (the text changes once a second). */
export const DONE_TICK_MS = 250;
/** Besides its start, the countdown is announced once when this many seconds are left. */
export const DONE_WARN_SECONDS = 10;

let timer: ReturnType<typeof setInterval> | null = null;

export function stopOrderDone(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
}

/**
 * Kiosk: starts the confirmation's countdown (`AppInfo.kiosk.order_done_seconds`). It is
 * announced politely when it starts and once near its end, never every second; at zero the
 * session ends as if Done were pressed. A wipe or leaving the confirmation stops it.
 */
export function startOrderDone(before = ""): void {
  stopOrderDone();
  const seconds = Math.max(1, state.info?.kiosk.order_done_seconds ?? 30);
  const deadline = Date.now() + seconds * 1000;
  const epoch = state.epoch;
  const order = state.order;
  state.orderDone = seconds;
  announce(`${before} ${t("order.doneAnnounce", { seconds })}`.trim());
  timer = setInterval(() => {
    if (epoch !== state.epoch || state.order !== order || state.orderDone === null) {
      stopOrderDone();
      return;
    }
    const left = Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
    if (left === state.orderDone) return;
    state.orderDone = left;
    if (left === DONE_WARN_SECONDS && seconds > DONE_WARN_SECONDS) announce(t("order.doneAnnounce", { seconds: left }));
    changed();
    if (left === 0) void orderDone();
  }, DONE_TICK_MS);
}

/** "Done" (or the countdown's end): the session ends and the attract screen returns. */
export async function orderDone(): Promise<void> {
  stopOrderDone();
  await endSession();
}

/** Leaves the confirmation for the shopper's other carts: the countdown stops. */
export function cancelOrderDone(): void {
  stopOrderDone();
  state.orderDone = null;
  changed();
}

/** The QR code of the order's receipt page, drawn on the confirmation (kiosk). */
export async function loadReceiptQr(order: OrderView): Promise<void> {
  const url = order.thank_you_url;
  state.receiptQr = null;
  if (!url) return;
  // Without a QR code the confirmation is complete all the same: no banner for it.
  try {
    const qr = await call(commands.receiptQr(url));
    if (state.order === order) {
      state.receiptQr = qr;
      changed();
    }
  } catch (e) {
    console.warn("receipt QR code", toDeskError(e).code);
  }
}

/** Prints the receipt through the OS (policy printer, no dialog), in the language on screen. */
export async function printReceipt(order: OrderView): Promise<void> {
  if (!state.info?.kiosk.can_print) return;
  const done = await run(() => call(commands.printReceipt(order, receiptWords(order))).then(() => true));
  if (done) announce(t("order.printing"));
}

/** Another cart of this customer that still holds items (the confirmation offers it), if any. */
export function otherCartWaiting(domain: string): string | null {
  return Object.values(state.carts).find((c) => c.domain !== domain && c.line_items.length > 0 && c.status === "active")?.domain ?? null;
}

/** "Back to my other carts": the countdown stops and the next cart with items is shown. */
export async function backToOtherCarts(domain: string): Promise<void> {
  const other = otherCartWaiting(domain);
  cancelOrderDone();
  if (other) state.selected = other;
  await newOrder();
}
