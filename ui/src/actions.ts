// User actions: each calls one backend command, updates state from the answer and
// re-renders. Errors keep everything the person typed.
import type { AddressView, CartView, OrderView } from "./bindings";
import { call, commands, DeskError, toDeskError } from "./ipc";
import { changed, emptyAddress, emptyCard, state } from "./state";
import { money } from "./format";

async function run<T>(f: () => Promise<T>): Promise<T | undefined> {
  state.busy++;
  state.error = null;
  changed();
  try {
    return await f();
  } catch (e) {
    state.error = toDeskError(e);
    return undefined;
  } finally {
    state.busy--;
    changed();
  }
}

/** Stores a cart from the backend and announces a changed total. */
export function applyCart(cart: CartView): void {
  const before = state.carts[cart.domain];
  state.carts[cart.domain] = cart;
  if (before && before.totals.total.amount !== cart.totals.total.amount && cart.domain === state.selected) {
    state.announce = `${cart.display_name} total is now ${money(cart.totals.total)}`;
  }
  if (cart.shipping_info && !state.shipping.address1) {
    state.shipping = { ...cart.shipping_info };
  }
  changed();
}

export function current(): CartView | undefined {
  return state.carts[state.selected];
}

export async function boot(): Promise<void> {
  await run(async () => {
    state.info = await call(commands.appInfo());
    const hive = await call(commands.getHive());
    for (const c of hive.carts) state.carts[c.domain] = c;
    state.hiveTotal = hive.total;
    const first = state.info.merchants[0]?.domain ?? "";
    state.selected = state.selected || first;
    if (state.info.mode === "kiosk") state.view = "attract";
  });
  if (state.selected) await selectMerchant(state.selected);
  void loadHealth();
}

/** Health dots for every merchant; never blocks shopping (no busy indicator). */
export async function loadHealth(): Promise<void> {
  for (const m of state.info?.merchants ?? []) {
    try {
      state.health[m.domain] = await call(commands.merchantHealth(m.domain));
    } catch {
      state.health[m.domain] = "unknown";
    }
  }
  changed();
}

export async function selectMerchant(domain: string): Promise<void> {
  state.selected = domain;
  state.product = null;
  state.order = null;
  state.fieldErrors = {};
  changed();
  await run(async () => {
    const [products, cart] = await Promise.all([
      state.products[domain] ? Promise.resolve(state.products[domain]) : call(commands.listProducts(domain)),
      call(commands.getCart(domain)),
    ]);
    state.products[domain] = products;
    applyCart(cart);
  });
  void loadConsents(domain);
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
  const cart = await run(() => call(commands.addToCart(state.selected, state.variantId, state.qty)));
  if (cart) {
    applyCart(cart);
    state.announce = `Added to ${cart.display_name} cart. ${cart.item_count} items, total ${money(cart.totals.total)}`;
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

function addressErrors(prefix: string, errs: { field: string; message: string }[]): boolean {
  for (const k of Object.keys(state.fieldErrors)) if (k.startsWith(prefix)) delete state.fieldErrors[k];
  for (const e of errs) state.fieldErrors[`${prefix}-${e.field}`] = e.message;
  changed();
  return errs.length === 0;
}

export async function submitShipping(): Promise<boolean> {
  const cart = current();
  const errs = await commands.validateAddress(state.shipping, true, cart?.optional_fields ?? []);
  if (!addressErrors("shipping", errs)) return false;
  const updated = await run(() => call(commands.setShippingInfo(state.selected, state.shipping)));
  if (updated) {
    applyCart(updated);
    return true;
  }
  return false;
}

export async function submitBilling(): Promise<boolean> {
  const errs = await commands.validateAddress(state.billing, false, []);
  if (!addressErrors("billing", errs)) return false;
  const updated = await run(() => call(commands.setBillingInfo(state.selected, state.billing)));
  if (updated) applyCart(updated);
  return !!updated;
}

export async function loadAvailability(shipmentId: string): Promise<void> {
  const a = await run(() => call(commands.getAvailability(state.selected, shipmentId)));
  if (a) state.availability[shipmentId] = a;
  changed();
}

export async function setFulfillment(shipmentId: string, type: string, locationId: string | null): Promise<void> {
  const cart = await run(() => call(commands.setFulfillment(state.selected, shipmentId, type, locationId)));
  if (cart) {
    delete state.availability[shipmentId];
    applyCart(cart);
    const sh = cart.shipments.find((s) => s.shipment_id === shipmentId);
    if (sh && sh.fulfillment_type !== "SHIP_TO_ADDRESS") await loadAvailability(shipmentId);
  }
}

export async function setMethod(
  shipmentId: string,
  methodId: string,
  date: string | null,
  slotId: string | null,
): Promise<void> {
  const notes = state.notesDraft[shipmentId] ?? current()?.shipments.find((s) => s.shipment_id === shipmentId)?.notes ?? null;
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
  if (cart) applyCart(cart);
}

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
  if (!code) {
    state.fieldErrors["promo"] = "Enter a promo code.";
    changed();
    return;
  }
  delete state.fieldErrors["promo"];
  const cart = await run(() => call(commands.applyPromo(state.selected, code)));
  if (cart) {
    state.promoDraft = "";
    applyCart(cart);
  } else if (state.error) {
    // The code stays in the field, with the merchant's reason next to it.
    state.fieldErrors["promo"] = state.error.description || state.error.message;
    changed();
  }
}

export async function clearPromos(): Promise<void> {
  const cart = await run(() => call(commands.clearPromos(state.selected)));
  if (cart) applyCart(cart);
}

export async function loadConsents(domain: string): Promise<void> {
  try {
    state.consents[domain] = await call(commands.getConsents(domain));
  } catch {
    state.consents[domain] = [];
  }
  changed();
}

export async function setConsent(id: string, granted: boolean): Promise<void> {
  const list = await run(() => call(commands.setConsent(state.selected, id, granted)));
  if (list) state.consents[state.selected] = list;
  changed();
}

function orderPlaced(order: OrderView): void {
  state.order = order;
  state.card = emptyCard();
  state.announce = `Order ${order.order_number} placed. Total ${money(order.total)}.`;
  changed();
}

/** Card problems the merchant reports are shown next to the card field they concern too. */
function cardErrorNextToField(): void {
  const e = state.error;
  if (!e || !e.code.startsWith("CreditCard")) return;
  const field =
    e.code.startsWith("CreditCardInvalidExpiry")
      ? "card-exp-month"
      : e.code === "CreditCardInvalidSecurityCode"
        ? "card-cvv"
        : "card-number";
  state.fieldErrors[field] = e.description || e.message;
  changed();
}

export async function placeOrder(): Promise<void> {
  const cart = current();
  if (!cart || state.busy > 0 || state.placing) return;
  state.placing = true;
  changed();
  try {
    await placeOrderNow();
  } finally {
    state.placing = false;
    changed();
  }
}

async function placeOrderNow(): Promise<void> {
  const domain = state.selected;
  if (state.payMethod === "CreditCard") {
    const errs = await commands.validateCard(state.card);
    for (const k of Object.keys(state.fieldErrors)) if (k.startsWith("card-")) delete state.fieldErrors[k];
    for (const e of errs) state.fieldErrors[`card-${e.field.replace("_", "-")}`] = e.message;
    changed();
    if (errs.length) return;
    let billing: AddressView | null = null;
    if (!state.billingSame) {
      const be = await commands.validateAddress(state.billing, false, []);
      if (!addressErrors("billing", be)) return;
      billing = state.billing;
    }
    const order = await run(() => call(commands.placeCardOrder(domain, state.card, billing)));
    if (order) orderPlaced(order);
    else cardErrorNextToField();
  } else if (state.payMethod === "PayPal") {
    const order = await run(() => call(commands.paypalComplete(domain)));
    if (order) orderPlaced(order);
  } else if (state.payMethod.startsWith("SavedCard:")) {
    const id = state.payMethod.slice("SavedCard:".length);
    const order = await run(() => call(commands.placeSavedCardOrder(domain, id)));
    if (order) orderPlaced(order);
  }
}

export async function startPaypal(): Promise<void> {
  state.paypal = { domain: state.selected, state: "starting", message: null };
  await run(() => call(commands.paypalOpen(state.selected)));
}

export async function cancelPaypal(): Promise<void> {
  await commands.paypalClose();
}

export async function requestOtp(): Promise<void> {
  const sent = await run(() => call(commands.requestOtp(state.selected, state.otp.email)));
  if (sent) state.otp.sent = sent;
  changed();
}

export async function verifyOtp(): Promise<void> {
  const cart = await run(() => call(commands.verifyOtp(state.selected, state.otp.email, state.otp.code)));
  if (cart) {
    state.otp = { email: state.otp.email, sent: [], code: "" };
    applyCart(cart);
    const saved = cart.payment_options.find((p) => p.kind === "SavedCard");
    if (saved?.id) state.payMethod = `SavedCard:${saved.id}`;
  }
}

export async function newOrder(): Promise<void> {
  state.order = null;
  state.savedTo = null;
  state.paypal = null;
  state.payMethod = "CreditCard";
  changed();
  await selectMerchant(state.selected);
}

export async function transfer(domain: string, handle: string, cookies: string[]): Promise<void> {
  const cart = await run(() => call(commands.transferSession(domain, handle, cookies)));
  if (cart) {
    applyCart(cart);
    await selectMerchant(domain);
  }
}

export async function refreshSupport(): Promise<void> {
  state.support.log = await commands.requestLog();
  state.support.raw = await commands.rawCart(state.selected);
  changed();
}

export async function wipe(): Promise<void> {
  const info = await run(() => call(commands.wipeSession()));
  if (info) {
    state.info = info;
    state.carts = {};
    state.shipping = emptyAddress();
    state.billing = emptyAddress();
    state.card = emptyCard();
    state.order = null;
    state.availability = {};
    state.fieldErrors = {};
    state.otp = { email: "", sent: [], code: "" };
    state.wallet = { email: "", sent: [], code: "" };
    state.promoDraft = "";
    state.paypal = null;
    state.payMethod = "CreditCard";
    if (info.mode === "kiosk") state.view = "attract";
    await selectMerchant(state.selected);
  }
}

export async function resetDemo(): Promise<void> {
  const info = await run(() => call(commands.resetSandbox()));
  if (info) {
    state.info = info;
    state.carts = {};
    state.products = {};
    await selectMerchant(state.selected);
  }
}

export function dismissError(): void {
  state.error = null;
  changed();
}

export function isDeskError(e: unknown): e is DeskError {
  return e instanceof DeskError;
}

export async function saveReceipt(order: OrderView): Promise<void> {
  const path = await run(() => call(commands.saveReceipt(order)));
  if (path) {
    state.savedTo = path;
    state.announce = `Receipt saved to ${path}`;
  }
  changed();
}

export async function exportSnapshot(): Promise<void> {
  const path = await run(() => call(commands.exportSnapshot()));
  if (path) {
    state.savedTo = path;
    state.announce = `Snapshot saved to ${path}`;
  }
  changed();
}

export async function importSnapshot(text: string): Promise<void> {
  const hive = await run(() => call(commands.importSnapshot(text)));
  if (!hive) return;
  state.carts = {};
  for (const c of hive.carts) state.carts[c.domain] = c;
  state.hiveTotal = hive.total;
  state.info = await call(commands.appInfo());
  state.announce = "Snapshot imported: the customer's carts are loaded.";
  await selectMerchant(state.selected);
  await refreshSupport();
}

export async function requestWalletCode(wallet: string): Promise<void> {
  const sent = await run(() => call(commands.walletStart(wallet, state.wallet.email)));
  if (sent) state.wallet.sent = sent;
  changed();
}

export async function unlockWallet(wallet: string): Promise<void> {
  const cart = await run(() => call(commands.walletComplete(state.selected, wallet, state.wallet.code)));
  if (!cart) return;
  state.wallet = { email: state.wallet.email, sent: [], code: "" };
  applyCart(cart);
  // Offer the first card the wallet brought.
  const card = cart.payment_options.find((p) => p.kind === "SavedCard" && p.wallet === wallet);
  if (card?.id) state.payMethod = `SavedCard:${card.id}`;
  state.announce = "Wallet unlocked: its saved cards are now offered.";
  changed();
}

export async function addMerchant(domain: string): Promise<boolean> {
  const before = new Set((state.info?.merchants ?? []).map((m) => m.domain));
  const info = await run(() => call(commands.addMerchant(domain)));
  if (!info) return false;
  state.info = info;
  const added = info.merchants.find((m) => !before.has(m.domain));
  if (added) await selectMerchant(added.domain);
  void loadHealth();
  return true;
}
