// Right column: contact and shipping address, billing, consents, payment method, totals
// and "Place order".
import { html, nothing } from "lit-html";
import type { AddressView, CartView, TotalsView } from "../bindings";
import { state, changed } from "../state";
import {
  cancelPaypal,
  placeOrder,
  requestOtp,
  setConsent,
  startPaypal,
  submitBilling,
  submitShipping,
  verifyOtp,
  requestWalletCode,
  unlockWallet,
} from "../actions";
import { money } from "../format";
import { field } from "./common";

const FIELDS: { key: keyof AddressView; label: string; auto: string; shippingOnly?: boolean; optional?: boolean }[] = [
  { key: "first_name", label: "First name", auto: "given-name" },
  { key: "last_name", label: "Last name", auto: "family-name" },
  { key: "email", label: "Email", auto: "email", shippingOnly: true },
  { key: "phone", label: "Phone", auto: "tel", shippingOnly: true },
  { key: "address1", label: "Address", auto: "address-line1" },
  { key: "address2", label: "Apartment, suite (optional)", auto: "address-line2", optional: true },
  { key: "city", label: "City", auto: "address-level2" },
  { key: "state_or_province", label: "State", auto: "address-level1" },
  { key: "postal_code", label: "ZIP code", auto: "postal-code" },
  { key: "country", label: "Country", auto: "country" },
];

function addressForm(kind: "shipping" | "billing", value: AddressView, cart: CartView) {
  const lockedEmail = kind === "shipping" && cart.session.is_logged_in;
  return html`${FIELDS.filter((f) => kind === "shipping" || !f.shippingOnly).map((f) => {
    const optional = f.optional || cart.optional_fields.includes(`${kind}_${f.key}`);
    return field({
      id: `${kind}-${f.key}`,
      label: f.label + (optional && !f.optional ? " (optional)" : ""),
      value: value[f.key],
      autocomplete: f.auto,
      required: !optional,
      disabled: f.key === "email" && lockedEmail,
      hint: f.key === "email" && lockedEmail ? "Signed in: the merchant uses your account email." : undefined,
      type: f.key === "email" ? "email" : f.key === "phone" ? "tel" : "text",
      onInput: (v) => {
        value[f.key] = v;
      },
    });
  })}`;
}

export function checkoutColumn() {
  const cart = state.carts[state.selected];
  if (!cart || cart.line_items.length === 0) {
    return html`<aside class="col checkout" aria-label="Checkout"><h2>Checkout</h2><p class="muted">Add items to check out.</p>${totals(cart)}</aside>`;
  }
  return html`<aside class="col checkout" aria-label="Checkout">
    <h2>Checkout</h2>
    ${loginPanel(cart)}
    <form
      class="address"
      aria-labelledby="ship-h"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void submitShipping();
      }}
    >
      <h3 id="ship-h">Contact and shipping address</h3>
      ${addressForm("shipping", state.shipping, cart)}
      <button type="submit" class="secondary" data-testid="shipping-submit">
        ${cart.shipping_info ? "Update address" : "Save address"}
      </button>
    </form>
    ${billing(cart)}
    ${consents()}
    ${payment(cart)}
    ${totals(cart)}
    <button
      class="primary place"
      data-testid="place-order"
      ?disabled=${state.busy > 0 || state.placing || !cart.ready_for_payment || (state.payMethod === "PayPal" && !cart.paypal_account)}
      aria-describedby="place-hint"
      @click=${placeOrder}
    >
      Place order · ${money(cart.totals.total)}
    </button>
    <p id="place-hint" class="hint" data-testid="place-hint" aria-live="polite">${placeHint(cart)}</p>
  </aside>`;
}

function placeHint(cart: CartView): string {
  if (!cart.shipping_info) return "Save the shipping address first.";
  const missing = cart.shipments.find((s) => s.missing);
  if (missing?.missing) return missing.missing;
  if (!cart.ready_for_payment) return "Complete the delivery choices above.";
  if (state.payMethod === "PayPal" && !cart.paypal_account) return "Approve the payment with PayPal first.";
  const required = (state.consents[state.selected] ?? []).filter((c) => c.required && !c.signed);
  if (required.length) return "Accept the required terms below the address.";
  return "";
}

function loginPanel(cart: CartView) {
  const s = cart.session;
  if (!s.requires_login || s.is_logged_in) return nothing;
  return html`<section class="login" aria-labelledby="login-h">
    <h3 id="login-h">Sign in to ${cart.display_name}</h3>
    <p>This merchant requires a signed-in account to place an order. We'll send a one-time code to your email.</p>
    ${field({ id: "otp-email", label: "Account email", value: state.otp.email, type: "email", autocomplete: "email", onInput: (v) => (state.otp.email = v) })}
    <button class="secondary" data-testid="otp-request" @click=${requestOtp}>Send code</button>
    ${state.otp.sent.length
      ? html`<p class="muted">Code sent to ${state.otp.sent.join(", ")}</p>
          ${field({ id: "otp-code", label: "One-time code", value: state.otp.code, inputmode: "numeric", autocomplete: "one-time-code", onInput: (v) => (state.otp.code = v) })}
          <button class="secondary" data-testid="otp-verify" @click=${verifyOtp}>Sign in</button>`
      : nothing}
  </section>`;
}

function billing(cart: CartView) {
  return html`<section class="billing" aria-labelledby="bill-h">
    <h3 id="bill-h">Billing address</h3>
    <label class="check">
      <input
        type="checkbox"
        data-testid="billing-same-as-shipping"
        .checked=${state.billingSame}
        @change=${(e: Event) => {
          state.billingSame = (e.target as HTMLInputElement).checked;
          changed();
        }}
      />
      <span>Same as shipping address</span>
    </label>
    ${state.billingSame
      ? nothing
      : html`<form
          novalidate
          @submit=${(e: Event) => {
            e.preventDefault();
            void submitBilling();
          }}
        >
          ${addressForm("billing", state.billing, cart)}
          <button type="submit" class="secondary" data-testid="billing-submit">Save billing address</button>
        </form>`}
  </section>`;
}

function consents() {
  const list = state.consents[state.selected] ?? [];
  if (!list.length) return nothing;
  return html`<section class="consents" aria-labelledby="consent-h">
    <h3 id="consent-h">Consents</h3>
    ${list.map(
      (c) => html`<label class="check">
        <input
          type="checkbox"
          data-testid=${`consent-${c.id}`}
          .checked=${c.signed}
          ?disabled=${c.signed && !c.revokable}
          @change=${(e: Event) => setConsent(c.id, (e.target as HTMLInputElement).checked)}
        />
        <span>${c.rich_text ? plainText(c.text) : c.text}${c.required ? html` <small class="req">(required)</small>` : nothing}</span>
      </label>`,
    )}
  </section>`;
}

/** Consent text may contain HTML links (`rich_text`); show its words, never live markup. */
export function plainText(html: string): string {
  return new DOMParser().parseFromString(html, "text/html").body.textContent ?? "";
}

function payment(cart: CartView) {
  const options = cart.payment_options;
  if (!options.length) {
    return html`<section class="payment"><h3>Payment</h3>
      <p class="notice warning" data-testid="no-payment-methods">This merchant offers no payment method this app supports. Checkout must continue on the merchant's own site.</p></section>`;
  }
  const current = options.some((o) => optionKey(o) === state.payMethod) ? state.payMethod : optionKey(options[0]);
  if (current !== state.payMethod) state.payMethod = current;
  return html`<section class="payment" aria-labelledby="pay-h">
    <h3 id="pay-h">Payment</h3>
    <fieldset class="radios">
      <legend class="sr-only">Payment method</legend>
      ${options.map(
        (o) => html`<label class="radio">
          <input
            type="radio"
            name="pay"
            data-testid=${o.kind === "SavedCard"
              ? `pay-method-saved-${o.id}`
              : o.kind === "Wallet"
                ? `pay-method-wallet-${o.id}`
                : `pay-method-${o.kind}`}
            .checked=${optionKey(o) === state.payMethod}
            @change=${() => {
              state.payMethod = optionKey(o);
              changed();
            }}
          />
          <span>${o.label}</span>
        </label>`,
      )}
    </fieldset>
    ${state.payMethod === "CreditCard" ? cardForm() : nothing}
    ${state.payMethod === "PayPal" ? paypal(cart) : nothing}
    ${state.payMethod.startsWith("Wallet:") ? walletUnlock(state.payMethod.slice("Wallet:".length)) : nothing}
  </section>`;
}

function optionKey(o: { kind: string; id: string | null }): string {
  return o.kind === "SavedCard" || o.kind === "Wallet" ? `${o.kind}:${o.id}` : o.kind;
}

/** Unlocking a saved wallet by one-time code; its cards then join the payment options. */
function walletUnlock(wallet: string) {
  const w = state.wallet;
  return html`<div class="wallet" role="group" aria-label="Unlock your wallet">
    <p class="muted">Sign in to your wallet to pay with a card saved there. We'll send a one-time code.</p>
    ${field({ id: "wallet-email", label: "Wallet email", value: w.email, type: "email", autocomplete: "email", onInput: (v) => (w.email = v) })}
    <button class="secondary" data-testid="wallet-request" @click=${() => requestWalletCode(wallet)}>Send code</button>
    ${w.sent.length
      ? html`<p class="muted" role="status">Code sent to ${w.sent.join(", ")}</p>
          ${field({ id: "wallet-otp", label: "Wallet code", value: w.code, inputmode: "numeric", autocomplete: "one-time-code", onInput: (v) => (w.code = v) })}
          <button class="secondary" data-testid="wallet-unlock" @click=${() => unlockWallet(wallet)}>Unlock wallet</button>`
      : nothing}
  </div>`;
}

/** Groups digits in fours while typing (Amex: 4-6-5). */
export function formatCardNumber(raw: string): string {
  const d = raw.replace(/\D/g, "").slice(0, 19);
  if (/^3[47]/.test(d)) return [d.slice(0, 4), d.slice(4, 10), d.slice(10, 15)].filter(Boolean).join(" ");
  return d.replace(/(.{4})/g, "$1 ").trim();
}

export function cardBrand(raw: string): string {
  const d = raw.replace(/\D/g, "");
  if (/^4/.test(d)) return "Visa";
  if (/^(5[1-5]|2[2-7])/.test(d)) return "Mastercard";
  if (/^3[47]/.test(d)) return "American Express";
  if (/^6(011|5)/.test(d)) return "Discover";
  return "";
}

function cardForm() {
  const c = state.card;
  const brand = cardBrand(c.number);
  return html`<div class="card-form" role="group" aria-label="Card details">
    ${field({
      id: "card-number",
      label: `Card number${brand ? ` (${brand})` : ""}`,
      value: c.number,
      inputmode: "numeric",
      autocomplete: "off",
      maxlength: 23,
      required: true,
      onInput: (v) => {
        c.number = formatCardNumber(v);
        changed();
      },
    })}
    ${field({ id: "card-name", label: "Name on card", value: c.name, autocomplete: "off", required: true, onInput: (v) => (c.name = v) })}
    <div class="row3">
      ${field({ id: "card-exp-month", label: "Month (MM)", value: c.exp_month, inputmode: "numeric", maxlength: 2, required: true, onInput: (v) => (c.exp_month = v) })}
      ${field({ id: "card-exp-year", label: "Year (YYYY)", value: c.exp_year, inputmode: "numeric", maxlength: 4, required: true, onInput: (v) => (c.exp_year = v) })}
      ${field({ id: "card-cvv", label: "CVV", value: c.cvv, inputmode: "numeric", maxlength: 4, type: "password", required: true, onInput: (v) => (c.cvv = v) })}
    </div>
  </div>`;
}

function paypal(cart: CartView) {
  const p = state.paypal && state.paypal.domain === state.selected ? state.paypal : null;
  let status = "";
  if (cart.paypal_account) status = `Approved: ${cart.paypal_account}. Press "Place order" to pay with PayPal.`;
  else if (p?.state === "open" || p?.state === "starting") status = "Waiting for approval in the PayPal window…";
  else if (p?.message) status = p.message;
  return html`<div class="paypal">
    ${cart.paypal_account
      ? nothing
      : html`<button class="paypal-btn" data-testid="paypal-button" @click=${startPaypal}>Pay with PayPal</button>`}
    ${p?.state === "open" ? html`<button class="link" @click=${cancelPaypal}>Cancel PayPal</button>` : nothing}
    <p data-testid="paypal-status" role="status">${status}</p>
  </div>`;
}

export function totals(cart: CartView | undefined) {
  return cart ? totalsList(cart.totals) : nothing;
}

export function totalsList(t: TotalsView) {
  return html`<dl class="totals" aria-label="Order totals">
    <dt>Subtotal</dt><dd data-testid="cart-subtotal">${money(t.subtotal)}</dd>
    <dt>Shipping</dt><dd data-testid="cart-shipping-total">${money(t.shipping)}</dd>
    <dt>Tax</dt><dd data-testid="cart-tax-total">${money(t.tax)}</dd>
    <dt>Add-ons</dt><dd data-testid="cart-addon-total">${money(t.addons)}</dd>
    <dt>Discount</dt><dd data-testid="cart-discount-total">${Number(t.discount.amount) ? `−${money(t.discount)}` : money(t.discount)}</dd>
    <dt class="grand">Total</dt><dd class="grand" data-testid="cart-total">${money(t.total)}</dd>
  </dl>`;
}
