// What still blocks an order, as links: each blocker names the control that resolves it,
// and following it moves focus there (the field to fill, the shipment's choice, the consent).
import type { Blocker, CartView } from "./bindings";
import { state } from "./state";
import { digitalOnly } from "./core";
import { ADDRESS_FORM, missingFields, requiredFields, type AddressKind } from "./address";

/** A blocker's test id (`blocker-<kind>`, with its shipment, item or consent when it has one). */
export function blockerTestId(b: Blocker): string {
  switch (b.kind) {
    case "shipment_method":
    case "shipment_date":
    case "shipment_location":
      return `blocker-${b.kind}-${b.shipment_id}`;
    case "item_unavailable":
      return `blocker-${b.kind}-${b.line_item_id}`;
    default:
      return `blocker-${b.kind}`;
  }
}

/** The address field to fix first: one with an error, else the first required one left empty. */
function addressField(kind: AddressKind, cart: CartView): string {
  const order = ADDRESS_FORM.map((f) => f.key);
  const withError = order.find((k) => state.fieldErrors[`${kind}-${k}`]);
  const empty = missingFields(kind === "shipping" ? state.shipping : state.billing, requiredFields(kind, cart))[0];
  return `${kind}-${withError ?? empty ?? "first_name"}`;
}

/**
 * The element id a blocker's link moves focus to: an input, or a region whose first control
 * takes the focus (a shipment's methods, calendar or stores).
 */
export function blockerTarget(b: Blocker, cart: CartView): string {
  switch (b.kind) {
    case "shipping_address":
      return addressField("shipping", cart);
    case "billing_address":
      return addressField("billing", cart);
    case "shipment_method":
      return `methods-${b.shipment_id}`;
    case "shipment_date":
      return `cal-${b.shipment_id}`;
    case "shipment_location":
      return `locations-${b.shipment_id}`;
    case "item_unavailable":
      return `remove-${b.line_item_id}`;
    case "login":
      return "otp-email";
    case "consents": {
      const first = cart.consents.find((c) => c.required && !c.signed && b.ids.includes(c.id)) ?? cart.consents.find((c) => b.ids.includes(c.id));
      return first ? `consent-${first.id}` : "consent-h";
    }
    case "no_payment_method":
      return "no-payment-methods";
    case "paypal_not_approved":
      return "paypal-button";
    case "wallet_locked":
      return "wallet-email";
    case "order_pending":
      return "order-check-again";
    case "empty_cart":
      return "product-search";
  }
}

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The element a target id names, as focus should land: itself when it takes focus, else its first control. */
export function focusableFor(el: HTMLElement): HTMLElement {
  if (el.matches(FOCUSABLE)) return el;
  // A calendar: its date in the Tab order, else its first date that can be chosen.
  const day = el.querySelector<HTMLElement>('[data-testid^="date-option-"][tabindex="0"], [data-testid^="date-option-"]:not([disabled])');
  if (day) return day;
  const inner = el.querySelector<HTMLElement>(FOCUSABLE);
  if (inner) return inner;
  if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
  return el;
}

/**
 * Follows a blocker's link: focus moves to what resolves it (scrolled into view in its own
 * column). A shipment whose choices are not shown yet gets the focus on its card.
 */
export function focusBlocker(b: Blocker, cart: CartView): boolean {
  const id = blockerTarget(b, cart);
  let el = document.getElementById(id);
  if (!el && "shipment_id" in b) el = document.getElementById(`shipment-${b.shipment_id}`);
  if (!el && (b.kind === "shipping_address" || b.kind === "billing_address")) {
    el = document.getElementById(digitalOnly(cart) ? "bill-h" : "ship-h");
  }
  if (!el) return false;
  const target = focusableFor(el);
  target.scrollIntoView?.({ block: "center" });
  target.focus();
  return document.activeElement === target;
}
