// Placing orders and living with their outcome: placed (confirmation), provably not placed
// (the error at its field; everything typed is kept), or unknown (the payment may still go
// through: never pay again, check instead). Also "pay all" with one card entry.
import type { AddressView, OrderOutcome, OrderView } from "./bindings";
import { call, commands, DeskError, toDeskError } from "./ipc";
import { changed, emptyCard, state, type CardDraft } from "./state";
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
  if (order.domain === state.selected && !state.payAll.open) {
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
    problems = (await commands.validateCard(card)).problems;
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
    if (!(await checkCard(state.card, "card-"))) return;
    let billing: AddressView | null = null;
    if (!state.billingSame && !digitalOnly(current())) {
      if (!(await billingValid())) return;
      billing = state.billing;
    }
    outcome = await run(() => call(commands.placeCardOrder(domain, { ...state.card }, billing, overridePending)), ctx);
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

export function openPayAll(open: boolean): void {
  state.payAll.open = open;
  if (!open) {
    state.payAll.card = emptyCard();
    state.payAll.results = null;
    clearFieldErrors("pay-all-");
  }
  changed();
}

/** Pays every ready cart with one card entry; the card is cleared after the run. */
export async function payAll(): Promise<void> {
  const pa = state.payAll;
  if (pa.running || state.busy > 0) return;
  if (!(await checkCard(pa.card, "pay-all-card-"))) return;
  pa.running = true;
  pa.results = null;
  changed();
  try {
    const results = await run(() => call(commands.payAll({ ...pa.card }, null)), "pay-all");
    if (!results) return;
    pa.results = results;
    pa.card = emptyCard();
    for (const r of results) {
      if (r.outcome?.outcome === "unknown") state.pending[r.domain] = r.outcome.pending;
      if (r.outcome?.outcome === "placed") delete state.pending[r.domain];
    }
    const placed = results.filter((r) => r.outcome?.outcome === "placed").length;
    announce(t("payAll.done", { placed, total: results.length }));
    await refreshHive();
  } finally {
    pa.running = false;
    changed();
  }
}
