// The plumbing every action shares: one request with the busy indicator and error display,
// where an error goes (a field or the banner), and storing what the backend sent.
import type { AddressView, CartView, HiveView, MoneyView, PendingOrderView } from "./bindings";
import { call, commands, DeskError, toDeskError } from "./ipc";
import { changed, state } from "./state";
import { errorAtField } from "./messages";
import { money } from "./format";
import { t } from "./i18n";
import { merchantName } from "./names";

/** Which form an action belongs to, so an error's `field` finds its input. */
export type FieldContext =
  | "none"
  | "card"
  | "pay-all"
  | "shipping"
  | "billing"
  | "promo"
  | "otp"
  | "wallet"
  | "domain"
  | "postal"
  | "transfer"
  | "add"
  | "link";

/** Card fields of `CardInput` → the suffix of their input ids (month and year share `MM/YY`). */
export const CARD_FIELDS: Record<string, string> = {
  number: "card-number",
  name: "card-name",
  exp_month: "card-exp",
  exp_year: "card-exp",
  cvv: "card-cvv",
};

export const ADDRESS_FIELDS: readonly (keyof AddressView)[] = [
  "first_name",
  "last_name",
  "email",
  "phone",
  "company",
  "address1",
  "address2",
  "city",
  "state_or_province",
  "postal_code",
  "country",
];

function isAddressField(f: string): boolean {
  return (ADDRESS_FIELDS as readonly string[]).includes(f);
}

/** Nothing in the cart ships (digital goods): the billing address carries the contact. */
export function digitalOnly(cart: CartView | undefined): boolean {
  if (!cart) return false;
  if (cart.blockers.some((b) => b.kind === "billing_address")) return true;
  return cart.shipments.length > 0 && cart.shipments.every((s) => s.fulfillment_type === "DIGITAL_DELIVERY");
}

/** The error key (`field-error-<key>`) of an error's field in a form, or null for the banner. */
export function fieldTarget(ctx: FieldContext, field: string): string | null {
  if (ctx === "card" && CARD_FIELDS[field]) return CARD_FIELDS[field];
  if (ctx === "pay-all" && CARD_FIELDS[field]) return `pay-all-${CARD_FIELDS[field]}`;
  if (isAddressField(field)) {
    if (ctx === "shipping" || ctx === "billing") return `${ctx}-${field}`;
    if (ctx === "card") {
      const billing = !state.billingSame || digitalOnly(current());
      return `${billing ? "billing" : "shipping"}-${field}`;
    }
    if (ctx === "postal" && field === "postal_code") return "postal-code";
    if (ctx === "otp" && field === "email") return "otp-email";
    if (ctx === "wallet" && field === "email") return "wallet-email";
    return null;
  }
  switch (field) {
    case "promo":
      return "promo";
    case "otp":
      return ctx === "wallet" ? "wallet-otp" : "otp";
    case "domain":
      return ctx === "transfer" ? "transfer-domain" : ctx === "domain" ? "domain" : null;
    case "handle":
      return ctx === "transfer" ? "transfer-handle" : null;
    case "quantity":
      return "qty-input";
    case "link":
      return "add-by-link";
    case "captcha":
      return "captcha";
    case "variant":
      return "variant-select";
    default:
      return null;
  }
}

/** Shows an error at its field when the form has one, else (and for merchant errors) in the banner. */
export function report(e: DeskError, ctx: FieldContext = "none"): void {
  // The customer was wiped while this ran (an order placed meanwhile): its outcome went to
  // staff, and the screen already belongs to the next customer. Nothing to show.
  if (e.code === "SessionEnded") return;
  const target = e.field ? fieldTarget(ctx, e.field) : null;
  if (target) state.fieldErrors[target] = errorAtField(e);
  if (!target || e.code !== "Validation") state.error = e;
  changed();
}

/**
 * Runs one backend call with the busy indicator. An error is shown (see `report`) and
 * `undefined` returned; an answer for a customer who has left since (a wipe) is dropped.
 */
export async function run<T>(
  f: () => Promise<T>,
  ctx: FieldContext = "none",
  opts: { keepError?: boolean } = {},
): Promise<T | undefined> {
  const epoch = state.epoch;
  state.busy++;
  // A background read (availability) must not hide the error the person is reading.
  if (!opts.keepError) state.error = null;
  changed();
  try {
    const v = await f();
    return epoch === state.epoch ? v : undefined;
  } catch (e) {
    if (epoch === state.epoch) report(toDeskError(e), ctx);
    return undefined;
  } finally {
    state.busy--;
    changed();
  }
}

export function announce(text: string): void {
  state.announce = text;
  changed();
}

export function clearFieldErrors(prefix: string): void {
  for (const k of Object.keys(state.fieldErrors)) if (k.startsWith(prefix)) delete state.fieldErrors[k];
}

export function current(): CartView | undefined {
  return state.carts[state.selected];
}

/** An unknown-outcome order of this cart: the cart's own word, else the last answer's. */
export function pendingFor(domain: string): PendingOrderView | null {
  return state.carts[domain]?.pending_order ?? state.pending[domain] ?? null;
}

/** Orders what the backend said: a read started before a newer answer must not undo it. */
let seq = 0;
const cartAt: Record<string, number> = {};
let totalAt = 0;

/** The point in that order now (before sending a read whose answer may be overtaken). */
export function answerSeq(): number {
  return seq;
}

/** The hive total delivered with a `cart-updated` event. */
export function applyHiveTotal(total: MoneyView[]): void {
  state.hiveTotal = total;
  totalAt = ++seq;
}

/** Stores a cart from the backend and announces a changed total. */
export function applyCart(next: CartView): void {
  cartAt[next.domain] = ++seq;
  const before = state.carts[next.domain];
  // Parts equal to what is shown keep their identity: views memoized on them (a line item,
  // a shipment, an addon) are not re-evaluated when something else in the cart changed.
  const cart = before ? share(before, next) : next;
  state.carts[cart.domain] = cart;
  if (cart.pending_order) state.pending[cart.domain] = cart.pending_order;
  else delete state.pending[cart.domain];
  if (!cart.load_error) delete state.merchantErrors[cart.domain];
  if (before && before.totals.total.amount !== cart.totals.total.amount && cart.domain === state.selected) {
    state.announce = t("announce.total", { merchant: merchantName(cart.domain), total: money(cart.totals.total) });
  }
  if (cart.shipping_info && !state.shipping.address1) {
    state.shipping = { ...cart.shipping_info };
  }
  changed();
}

/**
 * Stores a cart a command answered (asked at `since`, `answerSeq()`), unless the backend
 * sent that merchant's cart after it was asked for: that one is newer (a tick, a change that
 * answered first) and stays. Returns whether it was stored.
 */
export function applyCartAnswer(next: CartView, since: number): boolean {
  if ((cartAt[next.domain] ?? 0) > since) return false;
  applyCart(next);
  return true;
}

/**
 * Stores every cart of the hive. With `since` (`answerSeq()` when the hive was asked for), a
 * cart or total the backend sent after that is newer than the hive's and is kept.
 */
export function applyHive(hive: HiveView, since?: number): void {
  for (const c of hive.carts) if (since === undefined || (cartAt[c.domain] ?? 0) <= since) applyCart(c);
  if (since === undefined || totalAt <= since) state.hiveTotal = hive.total;
  changed();
}

/** Re-reads one cart without the banner: a failure shows on the merchant's tab. */
export async function refreshCart(domain: string): Promise<void> {
  const epoch = state.epoch;
  const since = answerSeq();
  try {
    const cart = await call(commands.getCart(domain));
    if (epoch === state.epoch) applyCartAnswer(cart, since);
  } catch (e) {
    if (epoch === state.epoch) {
      state.merchantErrors[domain] = toDeskError(e);
      changed();
    }
  }
}

export async function refreshHive(): Promise<void> {
  const hive = await run(() => call(commands.getHive()));
  if (hive) applyHive(hive);
}

/** Availability, loading state and pre-selection are per merchant and shipment. */
export function shipKey(domain: string, shipmentId: string): string {
  return `${domain}/${shipmentId}`;
}

/**
 * `next`, with every part that deep-equals the same part of `prev` replaced by that part
 * (structural sharing; arrays match by position), or `prev` itself when nothing differs.
 * Only for plain JSON data that nobody mutates (the backend's answers). `next` must be a
 * fresh answer: its equal parts are swapped in place, so a big cart is shared in one walk
 * that allocates nothing (docs/BENCHMARKS.md §7).
 */
export function share<T>(prev: T, next: T): T {
  if (Object.is(prev, next)) return prev;
  if (typeof prev !== "object" || typeof next !== "object" || prev === null || next === null) return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(prev)) return next;
    let same = prev.length === next.length;
    const n = Math.min(prev.length, next.length);
    for (let i = 0; i < n; i++) {
      const w = share(prev[i], next[i]);
      if (w === prev[i]) next[i] = w;
      else same = false;
    }
    return (same ? prev : next) as T;
  }
  if (Array.isArray(prev)) return next;
  const a = prev as Record<string, unknown>;
  const b = next as Record<string, unknown>;
  let same = true;
  let keys = 0;
  for (const k in b) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) continue;
    keys++;
    const old = a[k];
    if (old === undefined && !(k in a)) {
      same = false;
      continue;
    }
    const w = share(old, b[k]);
    if (w === old) b[k] = w;
    else same = false;
  }
  return (same && ownKeys(a) === keys ? prev : next) as T;
}

/** How many own keys an object has, counted without building their list. */
function ownKeys(o: object): number {
  let n = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k)) n++;
  return n;
}
