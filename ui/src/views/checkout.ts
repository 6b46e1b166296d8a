// Right column: contact and shipping address (or billing only, when nothing ships),
// consents, payment method, totals, "Place order" with what still blocks it, and the panel
// of an order whose outcome is unknown.
import { html, nothing } from "lit-html";
import type { AddressView, Blocker, CartView, PaymentOptionView, TotalsView } from "../bindings";
import { state, changed, type CardDraft } from "../state";
import {
  applyAddressToAll,
  cancelPaypal,
  requestOtp,
  requestWalletCode,
  setConsent,
  startPaypal,
  submitBilling,
  submitShipping,
  unlockWallet,
  verifyOtp,
} from "../actions";
import { askOverride, checkOrder, confirmOverride, placeOrder } from "../orders";
import { digitalOnly, pendingFor } from "../core";
import { moment, money } from "../format";
import { t, tMaybe } from "../i18n";
import { blockerText, errorText, onKiosk, paymentLabel, staffRef, unknownCauseText } from "../messages";
import { DeskError } from "../ipc";
import { dialog, field } from "./common";

const FIELDS: { key: keyof AddressView; auto: string; contact?: boolean; optional?: boolean }[] = [
  { key: "first_name", auto: "given-name" },
  { key: "last_name", auto: "family-name" },
  { key: "email", auto: "email", contact: true },
  { key: "phone", auto: "tel", contact: true },
  { key: "address1", auto: "address-line1" },
  { key: "address2", auto: "address-line2", optional: true },
  { key: "city", auto: "address-level2" },
  { key: "state_or_province", auto: "address-level1" },
  { key: "postal_code", auto: "postal-code" },
  { key: "country", auto: "country" },
];

/** An address form; `contact` adds email and phone (shipping, or billing when nothing ships). */
function addressForm(kind: "shipping" | "billing", value: AddressView, cart: CartView, contact: boolean) {
  const lockedEmail = contact && cart.session.is_logged_in;
  return html`${FIELDS.filter((f) => contact || !f.contact).map((f) => {
    const merchantOptional = cart.optional_fields.includes(`${kind}_${f.key}`);
    const optional = f.optional || merchantOptional;
    return field({
      id: `${kind}-${f.key}`,
      label: t(`label.${f.key}`) + (merchantOptional && !f.optional ? ` ${t("form.optional")}` : ""),
      value: value[f.key],
      autocomplete: `${kind === "billing" ? "billing" : "shipping"} ${f.auto}`,
      required: !optional,
      disabled: f.key === "email" && lockedEmail,
      hint: f.key === "email" && lockedEmail ? t("form.emailFromAccount") : undefined,
      type: f.key === "email" ? "email" : f.key === "phone" ? "tel" : "text",
      onInput: (v) => {
        value[f.key] = v;
      },
    });
  })}`;
}

export function checkoutColumn() {
  const cart = state.carts[state.selected];
  if (!cart && state.hiveLoading) {
    return html`<aside class="col checkout" aria-labelledby="checkout-h" aria-busy="true">
      <h2 id="checkout-h">${t("checkout.title")}</h2>
    </aside>`;
  }
  if (!cart || cart.line_items.length === 0) {
    return html`<aside class="col checkout" aria-labelledby="checkout-h">
      <h2 id="checkout-h">${t("checkout.title")}</h2>
      <p class="muted">${t("checkout.addItems")}</p>
      ${totals(cart)}
    </aside>`;
  }
  const digital = digitalOnly(cart);
  return html`<aside class="col checkout" aria-labelledby="checkout-h">
    <h2 id="checkout-h">${t("checkout.title")}</h2>
    ${loginPanel(cart)} ${digital ? nothing : shippingForm(cart)} ${billing(cart, digital)} ${consents(cart)}
    ${payment(cart)} ${totals(cart)} ${placeButton(cart)}
  </aside>`;
}

function shippingForm(cart: CartView) {
  return html`<form
      class="address"
      aria-labelledby="ship-h"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        void submitShipping();
      }}
    >
      <h3 id="ship-h">${t("checkout.shipping")}</h3>
      ${addressForm("shipping", state.shipping, cart, true)}
      <button type="submit" class="secondary" data-testid="shipping-submit">
        ${cart.shipping_info ? t("checkout.updateAddress") : t("checkout.saveAddress")}
      </button>
    </form>
    ${applyAllPanel()}`;
}

/** "Use this address for every cart" and each merchant's result. */
function applyAllPanel() {
  const others = (state.info?.merchants.length ?? 0) > 1;
  if (!others) return nothing;
  const results = state.applyAll;
  return html`<div class="apply-all">
    <button class="secondary" data-testid="apply-address-all" @click=${applyAddressToAll}>${t("applyAll.button")}</button>
    ${results
      ? html`<ul class="apply-all-results" role="list" aria-live="polite">
          ${results.map((r) => {
            const name = state.info?.merchants.find((m) => m.domain === r.domain)?.display_name ?? r.domain;
            const e = r.error ? new DeskError(r.error) : null;
            return html`<li data-testid=${`apply-address-result-${r.domain}`} data-outcome=${e ? "error" : "ok"} class=${e ? "bad" : "good"}>
              <strong>${name}</strong>: ${e ? html`${errorText(e)}${e.description && e.description !== errorText(e) ? html` — ${e.description}` : nothing}` : t("applyAll.ok")}
            </li>`;
          })}
        </ul>`
      : nothing}
  </div>`;
}

function loginPanel(cart: CartView) {
  const s = cart.session;
  if (!s.requires_login || s.is_logged_in) return nothing;
  return html`<section class="login" aria-labelledby="login-h">
    <h3 id="login-h">${t("otp.title", { merchant: cart.display_name })}</h3>
    <p>${t("otp.explain")}</p>
    ${field({ id: "otp-email", label: t("otp.email"), value: state.otp.email, type: "email", autocomplete: "email", onInput: (v) => (state.otp.email = v), onEnter: requestOtp })}
    <button class="secondary" data-testid="otp-request" @click=${requestOtp}>${t("otp.send")}</button>
    ${state.otp.sent.length
      ? html`<p class="muted" role="status">${t("otp.sent", { to: state.otp.sent.join(", ") })}</p>
          ${field({
            id: "otp-code",
            errorKey: "otp",
            label: t("otp.code"),
            value: state.otp.code,
            inputmode: "numeric",
            autocomplete: "one-time-code",
            onInput: (v) => (state.otp.code = v),
            onEnter: verifyOtp,
          })}
          <button class="secondary" data-testid="otp-verify" @click=${verifyOtp}>${t("otp.verify")}</button>`
      : nothing}
  </section>`;
}

function billing(cart: CartView, digital: boolean) {
  if (digital) {
    // Nothing ships: the billing address is the only address and carries the contact.
    return html`<section class="billing" aria-labelledby="bill-h">
      <h3 id="bill-h">${t("checkout.billing")}</h3>
      <p class="muted" data-testid="billing-only">${t("checkout.billingOnly")}</p>
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void submitBilling(true);
        }}
      >
        ${addressForm("billing", state.billing, cart, true)}
        <button type="submit" class="secondary" data-testid="billing-submit">
          ${cart.billing_info ? t("checkout.updateBilling") : t("checkout.saveBilling")}
        </button>
      </form>
    </section>`;
  }
  return html`<section class="billing" aria-labelledby="bill-h">
    <h3 id="bill-h">${t("checkout.billing")}</h3>
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
      <span>${t("checkout.sameAsShipping")}</span>
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
          ${addressForm("billing", state.billing, cart, false)}
          <button type="submit" class="secondary" data-testid="billing-submit">${t("checkout.saveBilling")}</button>
        </form>`}
  </section>`;
}

function consents(cart: CartView) {
  const list = cart.consents;
  if (!list.length) return nothing;
  return html`<section class="consents" aria-labelledby="consent-h">
    <h3 id="consent-h">${t("consents.title")}</h3>
    ${list.map(
      (c) => html`<label class="check">
        <input
          type="checkbox"
          data-testid=${`consent-${c.id}`}
          .checked=${c.signed}
          ?disabled=${c.signed && !c.revokable}
          @change=${(e: Event) => setConsent(c.id, (e.target as HTMLInputElement).checked)}
        />
        <span>${c.rich_text ? plainText(c.text) : c.text}${c.required ? html` <small class="req">${t("consents.required")}</small>` : nothing}</span>
      </label>`,
    )}
  </section>`;
}

/** Consent text may contain HTML links (`rich_text`); show its words, never live markup. */
export function plainText(markup: string): string {
  return new DOMParser().parseFromString(markup, "text/html").body.textContent ?? "";
}

function optionKey(o: { kind: string; id: string | null }): string {
  return o.kind === "SavedCard" || o.kind === "Wallet" ? `${o.kind}:${o.id}` : o.kind;
}

function selectedOption(cart: CartView): PaymentOptionView | undefined {
  return cart.payment_options.find((o) => optionKey(o) === state.payMethod);
}

function payment(cart: CartView) {
  const options = cart.payment_options;
  if (!options.length) {
    return html`<section class="payment" aria-labelledby="pay-h">
      <h3 id="pay-h">${t("pay.title")}</h3>
      <p class="notice warning" data-testid="no-payment-methods">${t("blocker.no_payment_method")}</p>
    </section>`;
  }
  if (!options.some((o) => optionKey(o) === state.payMethod)) state.payMethod = optionKey(options[0]);
  return html`<section class="payment" aria-labelledby="pay-h">
    <h3 id="pay-h">${t("pay.title")}</h3>
    <fieldset class="radios">
      <legend class="sr-only">${t("pay.method")}</legend>
      ${options.map(
        (o) => html`<label class="radio">
          <input
            type="radio"
            name="pay"
            data-testid=${o.kind === "SavedCard" ? `pay-method-saved-${o.id}` : o.kind === "Wallet" ? `pay-method-wallet-${o.id}` : `pay-method-${o.kind}`}
            .checked=${optionKey(o) === state.payMethod}
            @change=${() => {
              state.payMethod = optionKey(o);
              changed();
            }}
          />
          <span>${paymentLabel(o)}</span>
        </label>`,
      )}
    </fieldset>
    ${state.payMethod === "CreditCard" ? cardFields("card", state.card) : nothing}
    ${state.payMethod === "PayPal" ? paypal(cart) : nothing}
    ${state.payMethod.startsWith("Wallet:") ? walletUnlock(state.payMethod.slice("Wallet:".length)) : nothing}
  </section>`;
}

/** Unlocking a saved wallet by one-time code; its cards then join the payment options. */
function walletUnlock(wallet: string) {
  const w = state.wallet;
  return html`<div class="wallet" role="group" aria-labelledby="wallet-h">
    <p class="muted" id="wallet-h">${t("wallet.explain")}</p>
    ${field({ id: "wallet-email", label: t("wallet.email"), value: w.email, type: "email", autocomplete: "email", onInput: (v) => (w.email = v) })}
    <button class="secondary" data-testid="wallet-request" @click=${() => requestWalletCode(wallet)}>${t("otp.send")}</button>
    ${w.sent.length
      ? html`<p class="muted" role="status">${t("otp.sent", { to: w.sent.join(", ") })}</p>
          ${field({ id: "wallet-otp", label: t("wallet.code"), value: w.code, inputmode: "numeric", autocomplete: "one-time-code", onInput: (v) => (w.code = v) })}
          <button class="secondary" data-testid="wallet-unlock" @click=${() => unlockWallet(wallet)}>${t("wallet.unlock")}</button>`
      : nothing}
  </div>`;
}

/** Groups digits in fours while typing (Amex: 4-6-5). */
export function formatCardNumber(raw: string): string {
  const d = raw.replace(/\D/g, "").slice(0, 19);
  if (/^3[47]/.test(d)) return [d.slice(0, 4), d.slice(4, 10), d.slice(10, 15)].filter(Boolean).join(" ");
  return d.replace(/(.{4})/g, "$1 ").trim();
}

/** The brand shown next to the number while typing (brand names are not translated). */
export function cardBrand(raw: string): string {
  const d = raw.replace(/\D/g, "");
  if (/^4/.test(d)) return "Visa";
  if (/^(5[1-5]|2[2-7])/.test(d)) return "Mastercard";
  if (/^3[47]/.test(d)) return "American Express";
  if (/^6(011|5)/.test(d)) return "Discover";
  return "";
}

/** The card entry, for one cart (`card-*`) or for "pay all" (`pay-all-card-*`). */
export function cardFields(prefix: "card" | "pay-all-card", c: CardDraft) {
  const brand = cardBrand(c.number);
  return html`<div class="card-form" role="group" aria-label=${t("card.group")}>
    ${field({
      id: `${prefix}-number`,
      label: brand ? t("card.numberBrand", { brand }) : t("card.number"),
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
    ${field({ id: `${prefix}-name`, label: t("card.name"), value: c.name, autocomplete: "off", required: true, onInput: (v) => (c.name = v) })}
    <div class="row3">
      ${field({ id: `${prefix}-exp-month`, label: t("card.month"), value: c.exp_month, inputmode: "numeric", maxlength: 2, required: true, onInput: (v) => (c.exp_month = v) })}
      ${field({ id: `${prefix}-exp-year`, label: t("card.year"), value: c.exp_year, inputmode: "numeric", maxlength: 4, required: true, onInput: (v) => (c.exp_year = v) })}
      ${field({ id: `${prefix}-cvv`, label: t("card.cvv"), value: c.cvv, inputmode: "numeric", maxlength: 4, type: "password", required: true, onInput: (v) => (c.cvv = v) })}
    </div>
  </div>`;
}

function paypal(cart: CartView) {
  const p = state.paypal && state.paypal.domain === state.selected ? state.paypal : null;
  let status = "";
  if (cart.paypal_account) status = t("paypal.approved", { account: cart.paypal_account });
  else if (p?.state === "open" || p?.state === "starting") status = t("paypal.waiting");
  else if (p?.end) status = t(`paypal.end.${p.end}`);
  else if (p) status = tMaybe(`paypal.state.${p.state}`) ?? "";
  return html`<div class="paypal">
    ${cart.paypal_account ? nothing : html`<button class="paypal-btn" data-testid="paypal-button" @click=${startPaypal}>${t("paypal.button")}</button>`}
    ${p?.state === "open" ? html`<button class="link" data-testid="paypal-cancel" @click=${cancelPaypal}>${t("paypal.cancel")}</button>` : nothing}
    <p data-testid="paypal-status" role="status">
      ${status}${p?.error ? html` ${errorText(new DeskError(p.error))}` : nothing}
    </p>
  </div>`;
}

export function totals(cart: CartView | undefined) {
  return cart ? totalsList(cart.totals) : nothing;
}

export function totalsList(x: TotalsView) {
  return html`<dl class="totals" aria-label=${t("totals.label")}>
    <dt>${t("totals.subtotal")}</dt>
    <dd data-testid="cart-subtotal">${money(x.subtotal)}</dd>
    <dt>${t("totals.shipping")}</dt>
    <dd data-testid="cart-shipping-total">${money(x.shipping)}</dd>
    <dt>${t("totals.tax")}</dt>
    <dd data-testid="cart-tax-total">${money(x.tax)}</dd>
    <dt>${t("totals.addons")}</dt>
    <dd data-testid="cart-addon-total">${money(x.addons)}</dd>
    <dt>${t("totals.discount")}</dt>
    <dd data-testid="cart-discount-total">${Number(x.discount.amount) ? `−${money(x.discount)}` : money(x.discount)}</dd>
    <dt class="grand">${t("totals.total")}</dt>
    <dd class="grand" data-testid="cart-total">${money(x.total)}</dd>
  </dl>`;
}

/** Everything that blocks the order: the cart's blockers and the chosen method's own. */
export function placeBlockers(cart: CartView): Blocker[] {
  const list = [...cart.blockers];
  const own = selectedOption(cart)?.blocker;
  if (own && !list.some((b) => b.kind === own.kind)) list.push(own);
  // An order handed to staff after the time limit no longer blocks paying (the backend's word).
  const p = pendingFor(cart.domain);
  if (p && !p.with_staff && !list.some((b) => b.kind === "order_pending")) list.unshift({ kind: "order_pending" });
  return list;
}

function placeButton(cart: CartView) {
  const blockers = placeBlockers(cart);
  const settling = !!state.info?.settling;
  const disabled = state.busy > 0 || state.placing || settling || blockers.length > 0;
  return html`<button
      class="primary place"
      data-testid="place-order"
      ?disabled=${disabled}
      aria-describedby="place-hint"
      @click=${() => placeOrder()}
    >
      ${t("checkout.place", { total: money(cart.totals.total) })}
    </button>
    <div id="place-hint" class="hint" data-testid="place-hint" aria-live="polite">
      ${settling ? html`<p>${t("startup.settling")}</p>` : nothing}
      ${blockers.length
        ? html`<p>${t("checkout.before")}</p>
            <ul class="blockers">
              ${blockers.map((b) => html`<li data-blocker=${b.kind}>${blockerText(b, cart)}</li>`)}
            </ul>`
        : nothing}
    </div>`;
}

/**
 * An order whose outcome is not known: may still go through; do not pay again. Once handed
 * to staff (`with_staff`) it says so. A kiosk's shopper reads words only, and a short staff
 * reference (the end of the journal record's id) instead of any id or code.
 */
export function pendingPanel(cart: CartView) {
  const p = pendingFor(cart.domain);
  if (!p) return nothing;
  const agent = state.info?.mode === "agent";
  const kiosk = onKiosk();
  return html`<section class="pending" data-testid="order-pending" role="region" aria-labelledby="pending-h">
    <h3 id="pending-h">
      ${t("pending.title")}
      ${p.with_staff ? html`<span class="badge staff" data-testid="order-pending-with-staff">${t("pending.withStaff")}</span>` : nothing}
    </h3>
    <p><strong>${p.with_staff ? t("pending.withStaffBody") : t("pending.doNotPay")}</strong></p>
    <p>${t("pending.since", { at: moment(p.started_at) })}</p>
    ${p.cause ? html`<p data-testid="order-pending-reason">${t("pending.reason")} ${unknownCauseText(p.cause)}</p>` : nothing}
    <p data-testid="order-pending-checking" data-checking=${p.checking ? "true" : "false"}>
      ${p.checking ? t("pending.checking") : kiosk ? t("pending.notCheckingKiosk") : t("pending.notChecking")}
      ${p.checks ? html` ${t("pending.checks", { n: p.checks, at: moment(p.last_checked_at) })}` : nothing}
    </p>
    ${kiosk
      ? html`<p class="muted" data-testid="order-pending-ref">${t("error.staffRef", { ref: staffRef(p.id) ?? "" })}</p>`
      : nothing}
    <div class="actions start">
      <button class="secondary" data-testid="order-check-again" ?disabled=${state.busy > 0} @click=${() => checkOrder(cart.domain)}>
        ${t("pending.checkAgain")}
      </button>
      ${agent
        ? html`<button class="danger" data-testid="order-override" ?disabled=${state.busy > 0 || state.placing} @click=${() => askOverride(true)}>
            ${t("pending.override")}
          </button>`
        : nothing}
    </div>
  </section>`;
}

/** The agent's explicit confirmation before paying again. */
export function overrideDialog() {
  const cart = state.carts[state.selected];
  return dialog({
    id: "override-dialog",
    testid: "order-override-dialog",
    labelledBy: "override-h",
    describedBy: "override-p",
    alert: true,
    onClose: () => askOverride(false),
    body: html`<h2 id="override-h">${t("override.title")}</h2>
      <p id="override-p">${t("override.body", { merchant: cart?.display_name ?? state.selected })}</p>
      <div class="actions">
        <button class="secondary" data-testid="order-override-cancel" autofocus @click=${() => askOverride(false)}>
          ${t("override.cancel")}
        </button>
        <button class="danger" data-testid="order-override-confirm" @click=${confirmOverride}>${t("override.confirm")}</button>
      </div>`,
  });
}
