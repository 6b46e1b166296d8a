// Address forms that save themselves: the country and region lists from Rust, which fields
// a merchant requires, and the automatic save once the address is complete (shortly after
// the last keystroke, or at once when focus leaves the form). A save that fails keeps what
// was typed and shows the field's error; nothing needs an "Update address" click.
import type { AddressFormView, AddressView, CartView, RegionView } from "./bindings";
import { commands } from "./ipc";
import { changed, state } from "./state";
import { current, digitalOnly } from "./core";
import { submitBilling, submitShipping } from "./actions";

export type AddressKind = "shipping" | "billing";

/** The form's fields in order; `contact` ones only where the address carries the contact. */
export const ADDRESS_FORM: { key: keyof AddressView; auto: string; contact?: boolean; optional?: boolean }[] = [
  { key: "first_name", auto: "given-name" },
  { key: "last_name", auto: "family-name" },
  { key: "email", auto: "email", contact: true },
  { key: "phone", auto: "tel", contact: true },
  { key: "address1", auto: "address-line1" },
  { key: "address2", auto: "address-line2", optional: true },
  { key: "city", auto: "address-level2" },
  { key: "country", auto: "country" },
  { key: "state_or_province", auto: "address-level1" },
  { key: "postal_code", auto: "postal-code" },
];

/** How long after the last keystroke a complete address is saved (ms). */
export const AUTOSAVE_MS = 700;

let lists: AddressFormView | null = null;
let loading = false;

/** The country and region lists (asked once; `null` until they arrived). */
export function addressLists(): AddressFormView | null {
  if (!lists && !loading) {
    loading = true;
    commands.addressForm().then(
      (f) => {
        lists = f;
        changed();
      },
      () => {
        loading = false;
      },
    );
  }
  return lists;
}

/** Tests: the lists as Rust would answer them. */
export function setAddressLists(f: AddressFormView | null): void {
  lists = f;
  loading = false;
}

/** The regions to choose from for a country, or `null` where the region is free text. */
export function regionsOf(country: string): RegionView[] | null {
  const code = country.trim().toUpperCase();
  return addressLists()?.regions.find((r) => r.country === code)?.regions ?? null;
}

/** Whether the address carries the contact: shipping always, billing when nothing ships. */
export function hasContact(kind: AddressKind, cart: CartView | undefined): boolean {
  return kind === "shipping" || digitalOnly(cart);
}

/** The fields this merchant requires of this form. */
export function requiredFields(kind: AddressKind, cart: CartView | undefined, contact = hasContact(kind, cart)): (keyof AddressView)[] {
  const optional = cart?.optional_fields ?? [];
  const accountEmail = kind === "shipping" && !!cart?.account_email;
  return ADDRESS_FORM.filter(
    (f) =>
      (contact || !f.contact) &&
      !f.optional &&
      !optional.includes(`${kind}_${f.key}`) &&
      !(f.key === "email" && accountEmail),
  ).map((f) => f.key);
}

/** The required fields still empty, in the form's order. */
export function missingFields(address: AddressView, required: (keyof AddressView)[]): (keyof AddressView)[] {
  return required.filter((k) => !address[k].trim());
}

function draft(kind: AddressKind): AddressView {
  return kind === "shipping" ? state.shipping : state.billing;
}

export function addressComplete(kind: AddressKind, cart = current()): boolean {
  return missingFields(draft(kind), requiredFields(kind, cart)).length === 0;
}

const timers: Partial<Record<AddressKind, ReturnType<typeof setTimeout>>> = {};
/** The address last saved per customer, merchant and form (nothing is sent twice). */
const sent = new Map<string, string>();
/** The address last tried per customer, merchant and form by `addressEffects`. */
const tried = new Map<string, string>();
const inFlight: Partial<Record<AddressKind, Promise<boolean>>> = {};
const again: Partial<Record<AddressKind, boolean>> = {};

function setStatus(kind: AddressKind, s: (typeof state.counter.addressSave)[AddressKind]): void {
  if (state.counter.addressSave[kind] === s) return;
  state.counter.addressSave[kind] = s;
  changed();
}

/** A field of an address form changed: once the address is complete it saves itself shortly. */
export function addressEdited(kind: AddressKind): void {
  clearTimeout(timers[kind]);
  setStatus(kind, "editing");
  if (addressComplete(kind)) timers[kind] = setTimeout(() => void autosave(kind), AUTOSAVE_MS);
}

/** Focus left an address form: a complete address that changed is saved at once. */
export function addressLeft(kind: AddressKind): void {
  if (state.counter.addressSave[kind] !== "editing" || !addressComplete(kind)) return;
  clearTimeout(timers[kind]);
  void autosave(kind);
}

/**
 * Saves the address (checked first; the problems show at their fields). `force` saves even
 * what was saved already (the explicit Save button). Returns whether the cart has it now.
 */
export async function autosave(kind: AddressKind, force = false): Promise<boolean> {
  clearTimeout(timers[kind]);
  const cart = current();
  if (!cart || !cart.line_items.length) return false;
  const address = draft(kind);
  // Signed in at this merchant: the shipping email is the account's (it cannot change).
  if (kind === "shipping" && cart.account_email) address.email = cart.account_email;
  const sig = JSON.stringify(address);
  const key = `${state.epoch}|${cart.domain}|${kind}`;
  const saved = kind === "shipping" ? cart.shipping_info : cart.billing_info;
  if (!force && saved && sent.get(key) === sig) {
    setStatus(kind, "saved");
    return true;
  }
  const running = inFlight[kind];
  if (running) {
    again[kind] = true;
    return running;
  }
  setStatus(kind, "saving");
  const save = kind === "shipping" ? submitShipping() : submitBilling(hasContact(kind, cart));
  inFlight[kind] = save;
  let ok = false;
  try {
    ok = await save;
  } finally {
    delete inFlight[kind];
  }
  if (ok) sent.set(key, sig);
  setStatus(kind, ok ? "saved" : "failed");
  if (again[kind]) {
    again[kind] = false;
    if (JSON.stringify(draft(kind)) !== sig && addressComplete(kind)) return autosave(kind);
  }
  return ok;
}

/**
 * What showing a cart's checkout starts: an address typed for another merchant, complete,
 * is saved to this one too (once per address; a failure is not retried by itself).
 */
export function addressEffects(cart: CartView): void {
  if (!cart.line_items.length || cart.status !== "active") return;
  const kind: AddressKind = digitalOnly(cart) ? "billing" : "shipping";
  const saved = kind === "shipping" ? cart.shipping_info : cart.billing_info;
  if (saved || !addressComplete(kind, cart) || inFlight[kind]) return;
  const key = `${state.epoch}|${cart.domain}|${kind}`;
  const sig = JSON.stringify(draft(kind));
  if (tried.get(key) === sig) return;
  tried.set(key, sig);
  queueMicrotask(() => {
    if (current()?.domain === cart.domain) void autosave(kind);
  });
}

/** A saved address of the shopper (an unlocked wallet's) chosen: it fills the form and is saved. */
export async function useAddressOption(a: AddressView): Promise<void> {
  state.shipping = { ...a };
  changed();
  await autosave("shipping", true);
}
