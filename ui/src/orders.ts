// Placing orders and living with their outcome: placed (confirmation), provably not placed
// (the error at its field; everything typed is kept), or unknown (the payment may still go
// through: never pay again, check instead). Also "pay all" with one card entry.
import type { AddressView, OrderOutcome, OrderView, PayAllProgressed } from "./bindings";
import { call, commands, DeskError, toDeskError } from "./ipc";
import { changed, emptyCard, state, subscribe, type CardDraft } from "./state";
import { toCardInput } from "./card";
import { advance, previewRow, settle } from "./payall";
import { money } from "./format";
import { t } from "./i18n";
import { errorText, fieldProblemText } from "./messages";
import {
  announce,
  CARD_FIELDS,
  clearFieldErrors,
  current,
  digitalOnly,
  refreshCart,
  refreshHive,
  report,
  run,
  type FieldContext,
} from "./core";
import { billingValid, selectMerchant } from "./actions";
import { cancelOrderDone, loadReceiptQr, startOrderDone } from "./kiosk";

/**
 * The order is placed: the confirmation for the cart on screen, an announcement otherwise.
 * A kiosk's confirmation also starts its countdown and draws the receipt's QR code. The
 * answer and the `order-placed` event both say it: the second changes nothing.
 */
export function orderPlaced(order: OrderView): void {
  delete state.pending[order.domain];
  if (state.order?.domain === order.domain && state.order.order_number === order.order_number) return;
  const placed = t("order.placedAnnounce", { number: order.order_number, total: money(order.total) });
  if (order.domain === state.selected && !state.payAll.open && !state.payAll.running) {
    state.order = order;
    state.card = emptyCard();
    state.overrideAsk = false;
    if (state.info?.mode === "kiosk") {
      startOrderDone(placed);
      void loadReceiptQr(order);
      return;
    }
  }
  announce(placed);
}

function handleOutcome(domain: string, o: OrderOutcome, ctx: FieldContext): void {
  switch (o.outcome) {
    case "placed":
      orderPlaced(o.order);
      break;
    case "not_placed": {
      const e = new DeskError(o.error);
      report(e, ctx);
      announce(t("order.notPlacedAnnounce", { reason: errorText(e) }));
      void refreshCart(domain);
      break;
    }
    case "unknown":
      state.pending[domain] = o.pending;
      announce(t("pending.announce"));
      void refreshCart(domain);
      break;
  }
}

/** Local card checks (Rust's `validate_card`), each worded from its field and rule. */
async function checkCard(card: CardDraft, prefix: string): Promise<boolean> {
  clearFieldErrors(prefix);
  let problems;
  try {
    problems = (await commands.validateCard(toCardInput(card))).problems;
  } catch (e) {
    report(toDeskError(e));
    return false;
  }
  for (const p of problems) {
    const target = CARD_FIELDS[p.field];
    if (target) state.fieldErrors[`${prefix}${target.slice("card-".length)}`] = fieldProblemText(p);
  }
  if (problems.length) announce(t("announce.fixFields"));
  changed();
  return problems.length === 0;
}

/** "Place order" (and the agent's "Pay again anyway" with `overridePending`). */
export async function placeOrder(overridePending = false): Promise<void> {
  const cart = current();
  if (!cart || state.busy > 0 || state.placing) return;
  state.placing = true;
  state.overrideAsk = false;
  changed();
  try {
    await placeOrderNow(cart.domain, overridePending);
  } finally {
    state.placing = false;
    changed();
  }
}

async function placeOrderNow(domain: string, overridePending: boolean): Promise<void> {
  let outcome: OrderOutcome | undefined;
  let ctx: FieldContext = "none";
  if (state.payMethod === "CreditCard") {
    ctx = "card";
    let billing: AddressView | null = null;
    if (!state.billingSame && !digitalOnly(current())) {
      if (!(await billingValid())) return;
      billing = state.billing;
    }
    // The backend checks the card (the same check as validate_card) before anything leaves,
    // so the order goes at once: asking first would add a round trip to every order. Only
    // when it refuses a card field are all of the card's problems listed.
    clearFieldErrors("card-");
    outcome = await run(() => call(commands.placeCardOrder(domain, toCardInput(state.card), billing, overridePending)), ctx);
    if (!outcome && Object.keys(state.fieldErrors).some((k) => k.startsWith("card-"))) {
      await checkCard(state.card, "card-");
    }
  } else if (state.payMethod === "PayPal") {
    outcome = await run(() => call(commands.paypalComplete(domain, overridePending)));
  } else if (state.payMethod.startsWith("SavedCard:")) {
    const id = state.payMethod.slice("SavedCard:".length);
    outcome = await run(() => call(commands.placeSavedCardOrder(domain, id, overridePending)));
  }
  if (outcome) handleOutcome(domain, outcome, ctx);
  else if (state.error && ["OrderPending", "OrderOutcomeUnknown", "OrderInProgress"].includes(state.error.code)) {
    void refreshCart(domain);
  }
}

/** Asks the backend again about an order whose outcome is unknown. */
export async function checkOrder(domain = state.selected): Promise<void> {
  const o = await run(() => call(commands.checkOrder(domain)));
  if (!o) return;
  switch (o.outcome) {
    case "placed":
      orderPlaced(o.order);
      break;
    case "not_placed":
      delete state.pending[domain];
      report(new DeskError(o.error));
      announce(t("pending.notPlaced"));
      break;
    case "unknown":
      state.pending[domain] = o.pending;
      announce(t("pending.stillUnknown"));
      break;
  }
  await refreshCart(domain);
}

/** Agent only: opens the confirmation before paying again despite an unknown outcome. */
export function askOverride(open: boolean): void {
  state.overrideAsk = open && state.info?.mode === "agent";
  changed();
}

export async function confirmOverride(): Promise<void> {
  if (!state.overrideAsk || state.info?.mode !== "agent") return;
  state.overrideAsk = false;
  await placeOrder(true);
}

export async function newOrder(): Promise<void> {
  cancelOrderDone();
  state.receiptQr = null;
  state.order = null;
  state.savedTo = null;
  state.paypal = null;
  state.payMethod = "CreditCard";
  changed();
  await selectMerchant(state.selected);
}

// ----- pay all ---------------------------------------------------------------------------

/**
 * Opens or closes the pay-all panel. Opening shows one row per open cart as the last
 * preview has it (ready, or what blocks it); closing forgets the card typed there.
 */
export function openPayAll(open: boolean): void {
  const pa = state.payAll;
  if (pa.running && !open) return;
  pa.open = open;
  if (open) {
    pa.results = null;
    pa.rows = previewRows();
    void refreshPayAllPreview();
  } else {
    pa.card = emptyCard();
    clearFieldErrors("pay-all-");
  }
  changed();
}

/** The rows before a run: every open cart, ready or with what keeps it out. */
function previewRows(): typeof state.payAll.rows {
  const p = state.counter.payAllPreview;
  const rows: typeof state.payAll.rows = {};
  for (const d of p?.ready ?? []) rows[d] = previewRow([]);
  for (const s of p?.not_ready ?? []) rows[s.domain] = previewRow(s.blockers);
  return rows;
}

/** One merchant's row moved on (the backend's `pay-all-progressed`). */
export function payAllProgressed(e: PayAllProgressed): void {
  const pa = state.payAll;
  if (!pa.running) return;
  pa.rows = { ...pa.rows, [e.domain]: advance(pa.rows[e.domain], e.progress) };
  changed();
}

/**
 * Pays every ready cart with one card entry. The rows go live while it runs; at the end the
 * panel closes and one combined confirmation shows every merchant's outcome. The card is
 * cleared after the run; a run refused as a whole keeps it.
 */
export async function payAll(): Promise<void> {
  const pa = state.payAll;
  if (pa.running || state.busy > 0) return;
  if (!(await checkCard(pa.card, "pay-all-card-"))) return;
  pa.running = true;
  pa.results = null;
  // The run's own events say which carts it takes: the rows start over from them.
  pa.rows = {};
  changed();
  try {
    const results = await run(() => call(commands.payAll(toCardInput(pa.card), null)), "pay-all");
    if (!results) {
      pa.rows = previewRows();
      return;
    }
    pa.card = emptyCard();
    pa.rows = Object.fromEntries(results.map((r) => [r.domain, settle(r)]));
    for (const r of results) {
      if (r.outcome?.outcome === "unknown") state.pending[r.domain] = r.outcome.pending;
      if (r.outcome?.outcome === "placed") delete state.pending[r.domain];
    }
    pa.results = results;
    pa.open = false;
    clearFieldErrors("pay-all-");
    const placed = results.filter((r) => r.outcome?.outcome === "placed").length;
    // A kiosk's confirmation ends the session by itself, as one order's does.
    if (state.info?.mode === "kiosk" && placed > 0) startOrderDone(t("payAll.done", { placed, total: results.length }));
    else announce(t("payAll.done", { placed, total: results.length }));
    await refreshHive();
  } finally {
    pa.running = false;
    changed();
  }
}

/** Leaves the combined confirmation for the carts (those paid are empty now). */
export async function closePayAllResults(): Promise<void> {
  cancelOrderDone();
  state.payAll.results = null;
  state.payAll.rows = {};
  changed();
  await selectMerchant(state.selected);
}

let previewSig = "";
let previewTimer: ReturnType<typeof setTimeout> | null = null;

/** Asks Rust what pay all would pay now (count and amount for its button). */
export async function refreshPayAllPreview(): Promise<void> {
  const epoch = state.epoch;
  const asked = cartsKey();
  try {
    const p = await call(commands.payAllPreview());
    if (epoch !== state.epoch || !p) return;
    state.counter.payAllPreview = p;
    // Holding it changes the key, not the carts: no second question for the same carts.
    if (cartsKey() === asked) previewSig = previewKey();
    if (state.payAll.open && !state.payAll.running) state.payAll.rows = previewRows();
    changed();
  } catch {
    // The button keeps its plain label; the run itself still says what it paid.
  }
}

/** What the preview depends on: each open cart's total, items and blockers. */
function cartsKey(): string {
  return `${state.epoch}#` + Object.values(state.carts)
    .map((c) => `${c.domain}:${c.status}:${c.line_items.length}:${c.totals.total.amount}:${c.blockers.map((b) => b.kind).join(",")}:${c.payment_options.length}`)
    .join("|");
}

/** The same, and whether a preview is held (a forgotten one is asked again for the same carts). */
function previewKey(): string {
  return `${state.counter.payAllPreview ? "p" : "-"}#${cartsKey()}`;
}

// The preview follows the carts: asked again (once, shortly) whenever one of them changed.
subscribe(() => {
  const key = previewKey();
  if (key === previewSig || !state.info) return;
  previewSig = key;
  if (previewTimer) clearTimeout(previewTimer);
  previewTimer = setTimeout(() => {
    previewTimer = null;
    void refreshPayAllPreview();
  }, 50);
});
