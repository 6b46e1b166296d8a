// Typed backend facts in words: blockers, errors, field rules, fulfillment types, addon
// constraints. Every word comes from the catalog; the backend's English `message` is used
// only for an error code the catalog does not know.
import type {
  AddonBlock,
  Blocker,
  CartView,
  FieldErrorView,
  FieldRule,
  FulfillmentKind,
  MerchantHealth,
  OrderView,
  PaidWith,
  PaymentOptionView,
  ReceiptWords,
  SavedCardView,
  UnknownCause,
} from "./bindings";
import { DeskError } from "./ipc";
import { t, tMaybe } from "./i18n";
import { state } from "./state";

/** A kiosk's shopper sees words only: no error ids, request ids or raw codes. */
export function onKiosk(): boolean {
  return state.info?.mode === "kiosk";
}

/** How many characters of an id staff need to find it (the end of a request or record id). */
export const STAFF_REF_LENGTH = 6;

/** A short reference a shopper can read out to staff: the end of an id, upper-cased. */
export function staffRef(id: string | null | undefined): string | null {
  const clean = (id ?? "").replace(/[^0-9a-zA-Z]/g, "");
  return clean ? clean.slice(-STAFF_REF_LENGTH).toUpperCase() : null;
}

/** A form field's name in words (`exp_month` → "Expiry month"). */
export function fieldLabel(field: string): string {
  return tMaybe(`label.${field}`) ?? field;
}

/** A validation problem in words, from its field and rule. */
export function fieldRuleText(field: string, rule: FieldRule): string {
  return (
    tMaybe(`fieldrule.${field}.${rule}`) ??
    tMaybe(`rule.${rule}`, { label: fieldLabel(field) }) ??
    fieldLabel(field)
  );
}

export function fieldProblemText(p: FieldErrorView): string {
  return fieldRuleText(p.field, p.rule);
}

/**
 * The app's own words for an error (by code and field); English only for unknown codes,
 * and never on a kiosk (the shopper gets words that send them to staff instead). A memoized
 * view passes whether the desk is a kiosk (it reads no `state`).
 */
export function errorText(e: DeskError, kiosk: boolean = onKiosk()): string {
  // The merchant asks for a captcha this app cannot show (no error id is documented for it).
  if (e.field === "captcha") return t(kiosk ? "error.captcha.kiosk" : "error.captcha");
  if (kiosk) {
    const kiosk = tMaybe(`error.${e.code}.kiosk`);
    if (kiosk) return kiosk;
  }
  if (e.field) {
    const specific = tMaybe(`error.${e.code}.${e.field}`);
    if (specific) return specific;
  }
  const general = tMaybe(`error.${e.code}`);
  if (general) return general;
  if (e.code === "Validation" && e.field && tMaybe(`label.${e.field}`)) {
    return t("error.checkField", { label: fieldLabel(e.field) });
  }
  return kiosk ? t("error.kioskOther") : e.message;
}

/** What to show at a field for an error: the merchant's words when it gave some. */
export function errorAtField(e: DeskError): string {
  if (e.field === "captcha") return errorText(e);
  return e.description || errorText(e);
}

export function fulfillmentName(kind: FulfillmentKind, merchantName: string | null, id: string): string {
  if (kind === "OTHER") return merchantName || id;
  return tMaybe(`fulfillment.${kind}`) ?? merchantName ?? id;
}

/** "Shipment 2" for a shipment id of the cart (ids mean nothing to people). */
function shipmentName(cart: CartView | undefined, shipmentId: string): string {
  const i = cart?.shipments.findIndex((s) => s.shipment_id === shipmentId) ?? -1;
  return t("blocker.shipmentN", { n: i >= 0 ? i + 1 : "?" });
}

function itemName(cart: CartView | undefined, lineItemId: string): string {
  return cart?.line_items.find((l) => l.line_item_id === lineItemId)?.title ?? lineItemId;
}

export function walletName(wallet: string): string {
  return tMaybe(`wallet.${wallet}`) ?? wallet;
}

export function blockerText(b: Blocker, cart?: CartView): string {
  switch (b.kind) {
    case "shipment_method":
    case "shipment_date":
    case "shipment_location":
      return t(`blocker.${b.kind}`, { shipment: shipmentName(cart, b.shipment_id) });
    case "item_unavailable":
      return t("blocker.item_unavailable", { item: itemName(cart, b.line_item_id) });
    case "wallet_locked":
      return t("blocker.wallet_locked", { wallet: walletName(b.wallet) });
    case "consents":
      return t("blocker.consents");
    default:
      return t(`blocker.${b.kind}`);
  }
}

export function addonBlockText(b: AddonBlock): string {
  return b.kind === "requires"
    ? t("addon.requires", { names: b.names.join(", ") })
    : t("addon.exclusive", { name: b.name });
}

/** A payment option's name; saved cards keep the backend's "Visa •••• 4242" label. */
export function paymentLabel(o: PaymentOptionView): string {
  switch (o.kind) {
    case "CreditCard":
      return t("pay.creditCard");
    case "PayPal":
      return t("pay.paypal");
    case "Wallet":
      return t("pay.wallet", { wallet: walletName(o.id ?? o.wallet ?? "") });
    case "SavedCard": {
      const card = o.card ? savedCardText(o.card) : t("pay.card");
      // A card from a wallet says so; the merchant account's own cards need no source.
      const source = o.wallet && o.wallet !== "merchant" && o.wallet !== "user" ? o.wallet : null;
      return source ? t("pay.savedCardFrom", { wallet: walletName(source), card }) : card;
    }
  }
}

/** "Visa •••• 4242 (exp 12/27)": a saved card, with only what the cart gives. */
export function savedCardText(c: SavedCardView): string {
  const brand = c.brand ?? t("pay.card");
  const card = c.last_four ? t("pay.savedCard", { brand, last4: c.last_four }) : brand;
  return c.exp_month && c.exp_year ? t("pay.savedCardExpires", { card, month: c.exp_month, year: c.exp_year }) : card;
}

/** How a placed order was paid: "Visa ending in 1111", "PayPal (payer@…)". */
export function paidWithText(p: PaidWith): string {
  switch (p.kind) {
    case "card": {
      const brand = p.brand ?? t("pay.card");
      return p.last_four ? t("order.paidCard", { brand, last4: p.last_four }) : brand;
    }
    case "paypal":
      return p.email ? t("order.paidPaypalAs", { email: p.email }) : t("order.paidPaypal");
    case "not_stated":
      return t("order.paidNotStated");
  }
}

/** A saved receipt's words, in the language on screen. */
export function receiptWords(o: OrderView): ReceiptWords {
  return {
    order: t("receipt.order"),
    merchant: t("receipt.merchant"),
    placed: t("receipt.placed"),
    subtotal: t("totals.subtotal"),
    shipping: t("totals.shipping"),
    tax: t("totals.tax"),
    addons: t("totals.addons"),
    discount: t("totals.discount"),
    total: t("totals.total"),
    paid_with: t("receipt.paidWith", { payment: paidWithText(o.paid_with) }),
    merchant_receipt: t("order.merchantReceipt"),
  };
}

/**
 * Why an order's outcome is unknown; another problem's own words as they came. A kiosk's
 * shopper gets the same without statuses, error ids or English from elsewhere (`plain`).
 */
export function unknownCauseText(c: UnknownCause, plain = onKiosk()): string {
  switch (c.kind) {
    case "server_failed":
      return plain ? t("pending.cause.server_failed_plain") : t("pending.cause.server_failed", { status: c.status });
    case "server_answered":
      return plain
        ? t("pending.cause.server_answered_plain")
        : t("pending.cause.server_answered", { error: c.error_id, status: c.status });
    case "other":
      return plain ? t("pending.cause.other_plain") : c.message;
    default:
      return t(`pending.cause.${c.kind}`);
  }
}

/** The key of a health state's dot and legend entry (`other` has its own words). */
export function healthKey(h: MerchantHealth): string {
  return h.state;
}

/** A merchant's checkout health in words; a failure says why, in the app's words. */
/** A merchant's health in words (`kiosk`: as for `errorText`). */
export function healthText(h: MerchantHealth, kiosk: boolean = onKiosk()): string {
  switch (h.state) {
    case "other":
      return t("health.other", { status: h.status });
    case "failed":
      return t("health.failedWhy", { reason: errorText(new DeskError(h.error), kiosk) });
    case "not_configured":
      return "";
    default:
      return t(`health.${h.state}`);
  }
}
