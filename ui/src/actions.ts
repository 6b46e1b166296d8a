// User actions on carts: each calls one backend command, updates state from the answer and
// re-renders. Errors keep everything the person typed.
import type { AddressView, ShipmentView } from "./bindings";
import { call, commands, toApiError, toDeskError } from "./ipc";
import { changed, state } from "./state";
import { money } from "./format";
import { t } from "./i18n";
import { fieldProblemText } from "./messages";
import {
  announce,
  applyCart,
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
  try {
    const [products, cart] = await Promise.allSettled([
      state.products[domain] ? Promise.resolve(state.products[domain]) : call(commands.listProducts(domain)),
      call(commands.getCart(domain)),
    ]);
    if (epoch !== state.epoch) return;
    if (products.status === "fulfilled") state.products[domain] = products.value;
    if (cart.status === "fulfilled") applyCart(cart.value);
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
    announce(t("announce.added", { merchant: cart.display_name, count: cart.item_count, total: money(cart.totals.total) }));
  }
}

export async function setQuantity(lineItemId: string, quantity: number): Promise<void> {
  const cart = await run(() => call(commands.setQuantity(state.selected, lineItemId, Math.max(0, quantity))));
  if (cart) applyCart(cart);
}

export async function clearCart(): Promise<void> {
  const cart = await run(() => call(commands.clearCart(state.selected)));
  if (cart) applyCart(cart);
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

export async function loadAvailability(shipmentId: string, retry = false): Promise<void> {
  const domain = state.selected;
  const key = shipKey(domain, shipmentId);
  const status = state.availabilityLoading[key];
  if (status === "loading" || (status === "failed" && !retry)) return;
  state.availabilityLoading[key] = "loading";
  const a = await run(() => call(commands.getAvailability(domain, shipmentId)), "none", { keepError: !retry });
  if (a) {
    delete state.availabilityLoading[key];
    state.availability[key] = a;
    if (domain === state.selected) await chooseOnlyOption(shipmentId);
  } else if (state.availabilityLoading[key] === "loading") {
    state.availabilityLoading[key] = "failed";
  }
  changed();
}

/** Scheduled and pickup shipments need their dates and stores: loaded as soon as shown. */
export function needsAvailability(sh: ShipmentView): boolean {
  return sh.fulfillment_type === "SCHEDULED_DELIVERY" || sh.fulfillment_type === "PICKUP_IN_STORE";
}

/**
 * An only choice is pre-selected, by the same command a click would send: a single pickup
 * store, a single method, a single available date without slots. Never twice per shipment
 * and choice, so the person can still change it.
 */
export async function chooseOnlyOption(shipmentId: string): Promise<void> {
  const cart = current();
  const sh = cart?.shipments.find((s) => s.shipment_id === shipmentId);
  if (!cart || !sh) return;
  const once = (what: string): boolean => {
    const key = `${shipKey(cart.domain, shipmentId)}|${sh.fulfillment_id}|${what}`;
    if (state.autoChosen[key]) return false;
    state.autoChosen[key] = true;
    return true;
  };
  const a = state.availability[shipKey(cart.domain, shipmentId)];
  if (sh.fulfillment_type === "PICKUP_IN_STORE" && !sh.selected_location && a) {
    const open = a.locations.filter((l) => l.available);
    if (open.length === 1 && once("location")) {
      await setFulfillment(shipmentId, sh.fulfillment_id, open[0].location_id);
      return;
    }
  }
  if (!sh.selected_method && sh.methods.length === 1 && once("method")) {
    await setMethod(shipmentId, sh.methods[0].id, sh.selected_date, null);
    return;
  }
  // A single available date without slots (scheduled delivery, or at the chosen store).
  const dates =
    sh.fulfillment_type === "SCHEDULED_DELIVERY"
      ? a?.dates
      : sh.fulfillment_type === "PICKUP_IN_STORE" && sh.selected_location
        ? (a?.locations.find((l) => l.location_id === sh.selected_location?.location_id)?.dates ?? sh.selected_location.dates)
        : undefined;
  if (dates?.length && !sh.selected_date) {
    const only = (ids: string[]) => (ids.length === 1 ? ids[0] : null);
    const method = sh.selected_method ?? only(sh.methods.map((m) => m.id)) ?? only(a?.methods.map((m) => m.id) ?? []);
    const open = dates.filter((d) => !d.slots.length || d.slots.some((s) => s.available));
    if (method && open.length === 1 && open[0].slots.length === 0 && once("date")) {
      await setMethod(shipmentId, method, open[0].date, null);
    }
  }
}

export async function setFulfillment(shipmentId: string, type: string, locationId: string | null): Promise<void> {
  const cart = await run(() => call(commands.setFulfillment(state.selected, shipmentId, type, locationId)));
  if (!cart) return;
  const changedType = current()?.shipments.find((s) => s.shipment_id === shipmentId)?.fulfillment_id !== type;
  const key = shipKey(cart.domain, shipmentId);
  if (changedType) {
    delete state.availability[key];
    delete state.availabilityLoading[key];
  }
  delete state.pendingDate[key];
  applyCart(cart);
  const sh = cart.shipments.find((s) => s.shipment_id === shipmentId);
  if (sh && needsAvailability(sh) && !state.availability[key]) await loadAvailability(shipmentId);
  else if (sh) await chooseOnlyOption(shipmentId);
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
    await chooseOnlyOption(shipmentId);
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

export async function setConsent(id: string, granted: boolean): Promise<void> {
  const domain = state.selected;
  const list = await run(() => call(commands.setConsent(domain, id, granted)));
  const cart = state.carts[domain];
  // The backend republishes the cart (its blockers); the list is only what is shown now.
  if (list && cart) state.carts[domain] = { ...cart, consents: list };
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
  state.paypal = { domain: state.selected, state: "starting", message: null };
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
