// User actions on carts: each calls one backend command, updates state from the answer and
// re-renders. Errors keep everything the person typed.
import type { AddressView, FulfillmentKind, ShipmentStep, ShipmentView } from "./bindings";
import { call, commands, toApiError, toDeskError } from "./ipc";
import { changed, state } from "./state";
import { money } from "./format";
import { t } from "./i18n";
import { fieldProblemText } from "./messages";
import { offerUndo } from "./undo";
import { merchantName } from "./names";
import {
  announce,
  answerSeq,
  applyCart,
  applyCartAnswer,
  applyHive,
  clearFieldErrors,
  current,
  report,
  run,
  shipKey,
} from "./core";

export { current } from "./core";

/**
 * Health dots for every merchant; never blocks shopping (no busy indicator). A failure is
 * kept as the error it is (shown as an error, never as "unknown").
 */
export async function loadHealth(): Promise<void> {
  const merchants = state.info?.merchants ?? [];
  const answers = await Promise.allSettled(merchants.map((m) => call(commands.merchantHealth(m.domain))));
  // A new record, so views memoized on it (the legend) see the change.
  const health = { ...state.health };
  merchants.forEach((m, i) => {
    const a = answers[i];
    health[m.domain] = a.status === "fulfilled" ? a.value : { state: "failed", error: toApiError(toDeskError(a.reason)) };
  });
  state.health = health;
  changed();
}

let selections = 0;

/** How many times a merchant was selected (start-up leaves one chosen meanwhile alone). */
export function selectionCount(): number {
  return selections;
}

/**
 * Shows a merchant's catalog and cart. A merchant that fails shows its error on its own tab
 * (`merchant-error-<domain>`); the rest of the window stays usable.
 */
export async function selectMerchant(domain: string): Promise<void> {
  const epoch = state.epoch;
  selections++;
  state.selected = domain;
  state.product = null;
  state.order = null;
  state.overrideAsk = false;
  state.fieldErrors = {};
  state.busy++;
  changed();
  const since = answerSeq();
  try {
    const [products, cart] = await Promise.allSettled([
      state.products[domain] ? Promise.resolve(state.products[domain]) : call(commands.listProducts(domain)),
      call(commands.getCart(domain)),
    ]);
    if (epoch !== state.epoch) return;
    if (products.status === "fulfilled") state.products[domain] = products.value;
    // A cart the backend sent while this read was on its way (a tick, a change) is newer.
    if (cart.status === "fulfilled") applyCartAnswer(cart.value, since);
    const failed = [cart, products].find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
    if (failed) state.merchantErrors[domain] = toDeskError(failed.reason);
    else delete state.merchantErrors[domain];
  } finally {
    state.busy--;
    changed();
  }
}

export async function openProduct(handle: string): Promise<void> {
  await run(async () => {
    const p = await call(commands.getProduct(state.selected, handle));
    state.product = p;
    state.counter.productLink = null;
    state.variantId = p.variants.find((v) => v.available)?.variant_id ?? p.variants[0]?.variant_id ?? "";
    state.qty = 1;
  });
}

export async function addToCart(): Promise<void> {
  clearFieldErrors("qty-input");
  clearFieldErrors("variant-select");
  const cart = await run(() => call(commands.addToCart(state.selected, state.variantId, state.qty)), "add");
  if (cart) {
    applyCart(cart);
    announce(t("announce.added", { merchant: merchantName(cart.domain), count: cart.item_count, total: money(cart.totals.total) }));
  }
}

export async function setQuantity(lineItemId: string, quantity: number): Promise<void> {
  const domain = state.selected;
  // A quantity of 0 removes the line: offered back for a few seconds (undo.ts).
  const removed = quantity <= 0 ? current()?.line_items.find((li) => li.line_item_id === lineItemId) : undefined;
  const cart = await run(() => call(commands.setQuantity(domain, lineItemId, Math.max(0, quantity))));
  if (cart) applyCart(cart);
  if (cart && removed) offerUndo(domain, t("undo.removed", { item: removed.title }));
}

export async function clearCart(): Promise<void> {
  const domain = state.selected;
  const had = (current()?.line_items.length ?? 0) > 0;
  const cart = await run(() => call(commands.clearCart(domain)));
  if (cart) applyCart(cart);
  if (cart && had) offerUndo(domain, t("undo.cleared", { merchant: cart.display_name }));
}

// ----- addresses -------------------------------------------------------------------------

/** Local checks (Rust's `validate_address`), each worded from its field and rule. */
async function checkAddress(kind: "shipping" | "billing", address: AddressView, shipping: boolean): Promise<boolean> {
  clearFieldErrors(`${kind}-`);
  let problems;
  try {
    problems = await commands.validateAddress(address, shipping, current()?.optional_fields ?? []);
  } catch (e) {
    report(toDeskError(e));
    return false;
  }
  for (const p of problems) state.fieldErrors[`${kind}-${p.field}`] = fieldProblemText(p);
  if (problems.length) announce(t("announce.fixFields"));
  changed();
  return problems.length === 0;
}

export async function submitShipping(): Promise<boolean> {
  if (!(await checkAddress("shipping", state.shipping, true))) return false;
  const updated = await run(() => call(commands.setShippingInfo(state.selected, state.shipping)), "shipping");
  if (updated) {
    applyCart(updated);
    announce(t("announce.addressSaved"));
    return true;
  }
  return false;
}

/** A billing address; for digital goods it is the only address and carries the contact. */
export async function submitBilling(withContact = false): Promise<boolean> {
  if (!(await checkAddress("billing", state.billing, withContact))) return false;
  const updated = await run(() => call(commands.setBillingInfo(state.selected, state.billing)), "billing");
  if (updated) {
    applyCart(updated);
    announce(t("announce.addressSaved"));
  }
  return !!updated;
}

export async function billingValid(): Promise<boolean> {
  return checkAddress("billing", state.billing, false);
}

/** "Use this address for every cart": one result per merchant. */
export async function applyAddressToAll(): Promise<void> {
  if (!(await checkAddress("shipping", state.shipping, true))) return;
  state.applyAll = null;
  const results = await run(() => call(commands.applyAddressToAll(state.shipping)), "shipping");
  if (!results) return;
  state.applyAll = results;
  for (const r of results) if (r.cart) applyCart(r.cart);
  const failed = results.filter((r) => r.error).length;
  announce(failed ? t("applyAll.someFailed", { n: failed }) : t("applyAll.allOk"));
}

/** The device's postal-code preference for shipping estimates. */
export async function applyPostalCode(): Promise<void> {
  const code = (state.postalDraft ?? state.info?.postal_code ?? "").trim();
  delete state.fieldErrors["postal-code"];
  const hive = await run(() => call(commands.setPostalCode(code || null)), "postal");
  if (!hive) return;
  if (state.info) state.info = { ...state.info, postal_code: code || null };
  state.postalDraft = null;
  applyHive(hive);
  announce(code ? t("postal.saved", { code }) : t("postal.cleared"));
}

// ----- shipments ---------------------------------------------------------------------------

/** What showing a shipment starts, in one backend step: its availability, and an only choice
 * pre-selected (the rule lives in Rust: `prepare_shipment`). */
export async function loadAvailability(shipmentId: string, retry = false): Promise<void> {
  const domain = state.selected;
  const key = shipKey(domain, shipmentId);
  const status = state.availabilityLoading[key];
  if (status === "loading" || (status === "failed" && !retry)) return;
  state.availabilityLoading[key] = "loading";
  const step = await run(() => call(commands.prepareShipment(domain, shipmentId)), "none", { keepError: !retry });
  if (step) {
    delete state.availabilityLoading[key];
    applyStep(shipmentId, step);
  } else if (state.availabilityLoading[key] === "loading") {
    state.availabilityLoading[key] = "failed";
  }
  changed();
}

/** A shipment step's answer: the cart, and the shipment's availability when it needs one. */
function applyStep(shipmentId: string, step: ShipmentStep): void {
  const key = shipKey(step.cart.domain, shipmentId);
  if (step.availability) state.availability[key] = step.availability;
  else delete state.availability[key];
  applyCart(step.cart);
}

/** Scheduled and pickup shipments need their dates and stores: loaded as soon as shown. */
export function needsAvailability(sh: ShipmentView): boolean {
  return sh.fulfillment_type === "SCHEDULED_DELIVERY" || sh.fulfillment_type === "PICKUP_IN_STORE";
}

export async function setFulfillment(shipmentId: string, kind: FulfillmentKind, locationId: string | null): Promise<void> {
  const step = await run(() => call(commands.setFulfillment(state.selected, shipmentId, kind, locationId)));
  if (!step) return;
  delete state.pendingDate[shipKey(step.cart.domain, shipmentId)];
  applyStep(shipmentId, step);
}

/** A scheduled delivery's window (the dates narrow to it), or none. */
export async function chooseWindow(shipmentId: string, windowId: string | null): Promise<void> {
  const step = await run(() => call(commands.chooseDeliveryWindow(state.selected, shipmentId, windowId)));
  if (step) applyStep(shipmentId, step);
}

/** How a pickup is handed over (curbside, in-store). */
export async function choosePickupOption(shipmentId: string, optionId: string): Promise<void> {
  const step = await run(() => call(commands.choosePickupOption(state.selected, shipmentId, optionId)));
  if (step) applyStep(shipmentId, step);
}

export async function setMethod(
  shipmentId: string,
  methodId: string,
  date: string | null,
  slotId: string | null,
): Promise<void> {
  const notes =
    state.notesDraft[shipKey(state.selected, shipmentId)] ??
    current()?.shipments.find((s) => s.shipment_id === shipmentId)?.notes ??
    null;
  const cart = await run(() =>
    call(
      commands.setShipmentMethod(state.selected, {
        shipment_id: shipmentId,
        shipping_method_id: methodId,
        selected_date: date,
        time_slot_id: slotId,
        notes: notes || null,
      }),
    ),
  );
  if (cart) {
    delete state.pendingDate[shipKey(cart.domain, shipmentId)];
    applyCart(cart);
  }
}

// ----- addons and promo codes --------------------------------------------------------------

export async function selectAddon(addonId: string, lineItemIds: string[], childIds: string[]): Promise<void> {
  const cart = await run(() =>
    call(commands.selectAddon(state.selected, { addon_id: addonId, line_item_ids: lineItemIds, child_ids: childIds })),
  );
  if (cart) applyCart(cart);
}

export async function removeAddon(addonId: string): Promise<void> {
  const cart = await run(() => call(commands.removeAddon(state.selected, addonId)));
  if (cart) applyCart(cart);
}

export async function applyPromo(): Promise<void> {
  const code = state.promoDraft.trim();
  delete state.fieldErrors["promo"];
  if (!code) {
    state.fieldErrors["promo"] = t("promo.empty");
    changed();
    return;
  }
  const cart = await run(() => call(commands.applyPromo(state.selected, code)), "promo");
  if (cart) {
    state.promoDraft = "";
    applyCart(cart);
    announce(t("promo.applied", { code }));
  }
}

export async function clearPromos(): Promise<void> {
  const cart = await run(() => call(commands.clearPromos(state.selected)));
  if (cart) applyCart(cart);
}

/**
 * Ticks or unticks a consent. `box` is the checkbox clicked: a refused change puts it back as
 * it was (the view's value did not change, so a render would leave the click showing).
 */
export async function setConsent(id: string, granted: boolean, box?: HTMLInputElement): Promise<void> {
  const domain = state.selected;
  const since = answerSeq();
  const list = await run(() => call(commands.setConsent(domain, id, granted)));
  const cart = state.carts[domain];
  // The backend republishes the cart (its blockers); the list is what is shown until then,
  // unless a newer cart of this merchant arrived meanwhile.
  if (!list) {
    if (box) box.checked = !granted;
  } else if (cart) {
    applyCartAnswer({ ...cart, consents: list }, since);
  }
  changed();
}

// ----- sign-in and wallets ----------------------------------------------------------------

export async function requestOtp(): Promise<void> {
  delete state.fieldErrors["otp-email"];
  const sent = await run(() => call(commands.requestOtp(state.selected, state.otp.email)), "otp");
  if (sent) state.otp.sent = sent;
  changed();
}

export async function verifyOtp(): Promise<void> {
  delete state.fieldErrors["otp"];
  const cart = await run(() => call(commands.verifyOtp(state.selected, state.otp.email, state.otp.code)), "otp");
  if (cart) {
    state.otp = { email: state.otp.email, sent: [], code: "" };
    applyCart(cart);
    const saved = cart.payment_options.find((p) => p.kind === "SavedCard");
    if (saved?.id) state.payMethod = `SavedCard:${saved.id}`;
    announce(t("otp.signedIn"));
  }
}

export async function requestWalletCode(wallet: string): Promise<void> {
  delete state.fieldErrors["wallet-email"];
  const sent = await run(() => call(commands.walletStart(wallet, state.wallet.email)), "wallet");
  if (sent) state.wallet.sent = sent;
  changed();
}

export async function unlockWallet(wallet: string): Promise<void> {
  delete state.fieldErrors["wallet-otp"];
  const cart = await run(() => call(commands.walletComplete(state.selected, wallet, state.wallet.code)), "wallet");
  if (!cart) return;
  state.wallet = { email: state.wallet.email, sent: [], code: "" };
  applyCart(cart);
  // Offer the first card the wallet brought.
  const card = cart.payment_options.find((p) => p.kind === "SavedCard" && p.wallet === wallet);
  if (card?.id) state.payMethod = `SavedCard:${card.id}`;
  announce(t("wallet.unlocked"));
}

export async function startPaypal(): Promise<void> {
  state.paypal = { domain: state.selected, state: "starting", end: null, error: null };
  await run(() => call(commands.paypalOpen(state.selected)));
}

export async function cancelPaypal(): Promise<void> {
  await run(() => call(commands.paypalClose()));
}

// ----- merchants ------------------------------------------------------------------------

export async function addMerchant(domain: string): Promise<boolean> {
  delete state.fieldErrors["domain"];
  const before = new Set((state.info?.merchants ?? []).map((m) => m.domain));
  const info = await run(() => call(commands.addMerchant(domain)), "domain");
  if (!info) return false;
  state.info = info;
  state.merchantDraft = "";
  const added = info.merchants.find((m) => !before.has(m.domain));
  if (added) await selectMerchant(added.domain);
  void loadHealth();
  return true;
}

export function dismissError(): void {
  state.error = null;
  changed();
}

export { applyHive };

// ----- the counter: a consent's links, the catalog's quantity --------------------------

/**
 * Opens a consent's link: in the person's browser (agent, demo), or on a kiosk in a locked
 * viewer window of its own, which the screen then offers to close.
 */
export async function openConsentLink(url: string): Promise<void> {
  const kiosk = state.info?.mode === "kiosk";
  const opened = await run(() => call(commands.openLink(url)));
  if (opened === undefined) return;
  if (kiosk) state.counter.linkViewer = true;
  announce(t(kiosk ? "consents.linkViewer" : "consents.linkBrowser"));
}

/** Kiosk: closes the viewer a consent's link opened. */
export async function closeLinkViewer(): Promise<void> {
  await run(() => call(commands.closeLink()));
  state.counter.linkViewer = false;
  announce(t("consents.linkClosed"));
}

/** The catalog's quantity stepper (1–99; the cart's own stepper sets the cart's quantity). */
export function stepQuantity(delta: number): void {
  state.qty = Math.min(99, Math.max(1, state.qty + delta));
  delete state.fieldErrors["qty-input"];
  changed();
}
