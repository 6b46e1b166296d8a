// Right column: contact and shipping address (saved by itself once complete), billing
// (or billing only, when nothing ships), consents with their links, payment, the totals
// breakdown, and a sticky order summary (the total, what still blocks the order as links to
// the field, Place order with its progress). Also the panel of an order whose outcome is
// unknown.
import { html, nothing } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import type { AddressView, Blocker, CartView, ConsentView, PaymentOptionView, TotalsView, ValidationMessageView } from "../bindings";
import { state, changed, type CardDraft } from "../state";
import {
  applyAddressToAll,
  cancelPaypal,
  closeLinkViewer,
  openConsentLink,
  requestOtp,
  requestWalletCode,
  setConsent,
  startPaypal,
  unlockWallet,
  verifyOtp,
} from "../actions";
import { askOverride, checkOrder, confirmOverride, openPayAll, placeOrder } from "../orders";
import { digitalOnly, pendingFor } from "../core";
import { countryName, countryOptions, formatCardNumber, formatExpiry, moment, money } from "../format";
import { t, tMaybe } from "../i18n";
import { blockerText, errorText, onKiosk, paymentLabel, staffRef, unknownCauseText } from "../messages";
import { DeskError } from "../ipc";
import { merchantName } from "../names";
import {
  ADDRESS_FORM,
  addressEdited,
  addressEffects,
  addressLeft,
  addressLists,
  autosave,
  hasContact,
  regionsOf,
  requiredFields,
  useAddressOption,
  type AddressKind,
} from "../address";
import { blockerTestId, focusBlocker } from "../blockers";
import { brandOf, checkCardBrand, cvvDigits } from "../card";
import { payAllLabel } from "./payall";
import { dialog, field, fieldError } from "./common";
import { memo } from "./memo";

/** Where a merchant's validation message belongs, by the field it names. */
export function validationPlace(field: string): "shipping" | "billing" | "payment" | "consents" | "cart" {
  const f = field.toLowerCase();
  if (!f) return "cart";
  if (/billing/.test(f)) return "billing";
  if (/card|payment|cvv|expir/.test(f)) return "payment";
  if (/consent|terms/.test(f)) return "consents";
  const last = f.split(/[.[\]/]/).filter(Boolean).pop() ?? f;
  if (/shipping|address|email|phone/.test(f) || (ADDRESS_FORM as { key: string }[]).some((a) => a.key === last)) return "shipping";
  return "cart";
}

/** The merchant's validation messages that belong to one place of the checkout. */
function validationNotices(cart: CartView, place: ReturnType<typeof validationPlace>) {
  const list: [ValidationMessageView, number][] = cart.validation_errors.map((v, i) => [v, i]);
  const here = list.filter(([v]) => validationPlace(v.field) === place);
  if (!here.length) return nothing;
  return html`<ul class="validation" role="list">
    ${here.map(([v, i]) => html`<li class="notice warning" data-testid=${`cart-validation-${i}`} data-place=${place}>${v.message}</li>`)}
  </ul>`;
}

/** A country choice: the backend's list, named in the UI's language; US and Canada first. */
function countrySelect(kind: AddressKind, value: AddressView) {
  const id = `${kind}-country`;
  const codes = addressLists()?.countries ?? NO_COUNTRIES;
  const named = countryOptions(codes);
  const current = value.country.trim().toUpperCase();
  const known = codes.includes(current);
  return selectField({
    id,
    label: t("label.country"),
    required: true,
    value: current,
    options: !current || known ? named : [[current, countryName(current)] as const, ...named],
    placeholder: current ? undefined : t("form.choose"),
    autocomplete: `${kind === "billing" ? "billing" : "shipping"} country`,
    onChange: (v) => {
      value.country = v;
      // A region that is not one of the new country's is cleared (typed again or chosen).
      const regions = regionsOf(v);
      if (regions && !regions.some((r) => r.code === value.state_or_province)) value.state_or_province = "";
      addressEdited(kind);
      changed();
    },
  });
}

/** The state or province: a choice where the country has a list, free text elsewhere. */
function regionField(kind: AddressKind, value: AddressView, required: boolean) {
  const id = `${kind}-state_or_province`;
  const regions = regionsOf(value.country);
  const label = t(value.country.trim().toUpperCase() === "CA" ? "label.province" : "label.state_or_province");
  if (!regions) {
    return field({
      id,
      label,
      value: value.state_or_province,
      required,
      autocomplete: `${kind === "billing" ? "billing" : "shipping"} address-level1`,
      onInput: (v) => {
        value.state_or_province = v;
        addressEdited(kind);
      },
    });
  }
  return selectField({
    id,
    label,
    required,
    value: value.state_or_province,
    options: regions.map((r) => [r.code, r.name] as const),
    placeholder: t("form.choose"),
    autocomplete: `${kind === "billing" ? "billing" : "shipping"} address-level1`,
    onChange: (v) => {
      value.state_or_province = v;
      addressEdited(kind);
      changed();
    },
  });
}

/** A labelled `<select>` with its error below it (the error key is its id). */
export function selectField(opts: {
  id: string;
  label: string;
  value: string;
  options: readonly (readonly [string, string])[];
  onChange: (v: string) => void;
  required?: boolean;
  placeholder?: string;
  autocomplete?: string;
}) {
  const err = state.fieldErrors[opts.id];
  return html`<div class="field ${err ? "invalid" : ""}">
    <label for=${opts.id}>${opts.label}${opts.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
    <select
      id=${opts.id}
      data-testid=${opts.id}
      autocomplete=${opts.autocomplete ?? "off"}
      ?required=${opts.required}
      aria-invalid=${err ? "true" : "false"}
      aria-describedby=${err ? `err-${opts.id}` : nothing}
      @change=${(e: Event) => {
        delete state.fieldErrors[opts.id];
        opts.onChange((e.target as HTMLSelectElement).value);
      }}
    >
      ${memo(optionList, { placeholder: opts.placeholder, options: opts.options, value: opts.value })}
    </select>
    ${fieldError(opts.id)}
  </div>`;
}

/** A select's options (memoized: ≈ 250 countries are drawn again only when the choice or the list changed). */
function optionList(o: { placeholder: string | undefined; options: readonly (readonly [string, string])[]; value: string }) {
  return html`${o.placeholder ? html`<option value="" ?selected=${!o.value}>${o.placeholder}</option>` : nothing}
  ${o.options.map(([v, name]) => html`<option value=${v} ?selected=${v === o.value}>${name}</option>`)}`;
}

/** No country list yet (the lists arrive with the address form's first answer). */
const NO_COUNTRIES: readonly string[] = [];

/** An address form; `contact` adds email and phone (shipping, or billing when nothing ships). */
function addressForm(kind: AddressKind, value: AddressView, cart: CartView, contact: boolean) {
  const accountEmail = kind === "shipping" && contact ? cart.account_email : null;
  const required = requiredFields(kind, cart, contact);
  return html`${ADDRESS_FORM.filter((f) => contact || !f.contact).map((f) => {
    const merchantOptional = cart.optional_fields.includes(`${kind}_${f.key}`);
    const isRequired = required.includes(f.key) || (f.key === "email" && !!accountEmail);
    if (f.key === "country") return countrySelect(kind, value);
    if (f.key === "state_or_province") return regionField(kind, value, isRequired);
    if (f.key === "email" && accountEmail) {
      return field({
        id: `${kind}-email`,
        label: t("label.email"),
        value: accountEmail,
        type: "email",
        readonly: true,
        hint: t("form.emailFromAccount"),
        onInput: () => undefined,
      });
    }
    const us = value.country.trim().toUpperCase() === "US";
    return field({
      id: `${kind}-${f.key}`,
      label: t(`label.${f.key}`) + (merchantOptional && !f.optional ? ` ${t("form.optional")}` : ""),
      value: value[f.key],
      autocomplete: `${kind === "billing" ? "billing" : "shipping"} ${f.auto}`,
      required: isRequired,
      type: f.key === "email" ? "email" : f.key === "phone" ? "tel" : "text",
      inputmode: f.key === "phone" ? "tel" : f.key === "postal_code" && us ? "numeric" : undefined,
      onInput: (v) => {
        value[f.key] = v;
        addressEdited(kind);
      },
    });
  })}`;
}

/** The form's saving state, in words (a polite live region). */
function addressStatus(kind: AddressKind, cart: CartView) {
  const s = state.counter.addressSave[kind];
  const saved = kind === "shipping" ? cart.shipping_info : cart.billing_info;
  let text = "";
  if (s === "saving") text = t("address.saving");
  else if (s === "failed") text = t("address.failed");
  else if (s === "editing") text = t("address.editing");
  else if (saved) text = t("address.saved");
  else text = t("address.explain");
  return html`<p class="address-status ${s}" role="status" data-testid=${`${kind}-status`} data-state=${saved && s === "idle" ? "saved" : s}>
    ${text}
  </p>`;
}

/** An address form that saves itself: on a pause in typing once complete, or when focus leaves it. */
function autosaveForm(kind: AddressKind, cart: CartView, contact: boolean, value: AddressView, labelledBy: string) {
  return html`<form
    class="address"
    aria-labelledby=${labelledBy}
    novalidate
    @submit=${(e: Event) => {
      e.preventDefault();
      void autosave(kind, true);
    }}
    @focusout=${(e: FocusEvent) => {
      const form = e.currentTarget as HTMLFormElement;
      if (!(e.relatedTarget instanceof Node) || !form.contains(e.relatedTarget)) addressLeft(kind);
    }}
  >
    ${addressForm(kind, value, cart, contact)} ${addressStatus(kind, cart)}
    <button type="submit" class="secondary small" data-testid=${`${kind}-submit`}>${t("address.saveNow")}</button>
  </form>`;
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
      ${cart ? breakdown(cart) : nothing}
    </aside>`;
  }
  addressEffects(cart);
  const digital = digitalOnly(cart);
  return html`<aside class="col checkout" aria-labelledby="checkout-h">
    <div class="checkout-body">
      <h2 id="checkout-h">${t("checkout.title")}</h2>
      ${validationNotices(cart, "cart")} ${loginPanel(cart)} ${digital ? nothing : shippingForm(cart)} ${billing(cart, digital)}
      ${consents(cart)} ${payment(cart)} ${breakdown(cart)}
    </div>
    ${orderSummary(cart)}
  </aside>`;
}

/** The shopper's saved addresses (an unlocked wallet's), to use with one press. */
function addressOptions(cart: CartView) {
  if (!cart.address_options.length) return nothing;
  return html`<fieldset class="radios address-options">
    <legend>${t("address.options")}</legend>
    ${cart.address_options.map(
      (a, i) => html`<label class="radio">
        <input
          type="radio"
          name="address-option"
          data-testid=${`address-option-${i}`}
          .checked=${sameAddress(a, state.shipping)}
          @change=${() => useAddressOption(a)}
        />
        <span>${addressLine(a)}</span>
      </label>`,
    )}
  </fieldset>`;
}

function sameAddress(a: AddressView, b: AddressView): boolean {
  return a.address1 === b.address1 && a.postal_code === b.postal_code && a.city === b.city && a.first_name === b.first_name;
}

/** An address on one line: name, street, city, region and postal code, country. */
export function addressLine(a: AddressView): string {
  const name = [a.first_name, a.last_name].filter(Boolean).join(" ");
  const region = [a.state_or_province, a.postal_code].filter(Boolean).join(" ");
  return [name, a.address1, a.address2, a.city, region, a.country ? countryName(a.country) : ""].filter(Boolean).join(", ");
}

function shippingForm(cart: CartView) {
  return html`<section class="shipping" aria-labelledby="ship-h">
      <h3 id="ship-h">${t("checkout.shipping")}</h3>
      ${addressOptions(cart)} ${autosaveForm("shipping", cart, true, state.shipping, "ship-h")} ${validationNotices(cart, "shipping")}
    </section>
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
            const name = merchantName(r.domain);
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
    <h3 id="login-h">${t("otp.title", { merchant: merchantName(cart.domain) })}</h3>
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
      ${autosaveForm("billing", cart, true, state.billing, "bill-h")} ${validationNotices(cart, "billing")}
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
    ${state.billingSame ? nothing : autosaveForm("billing", cart, hasContact("billing", cart), state.billing, "bill-h")}
    ${validationNotices(cart, "billing")}
  </section>`;
}

/** Punctuation that closes the words before it (a link's "." or ")"): kept on the link's line. */
const CLOSING = /^[.,;:!?)\]»”’…]+/u;

/**
 * A consent's words: plain runs, and its links as buttons that open them (never live markup).
 * A button is laid out as one box, so the line could break between a link and the full stop
 * after it; the two are glued in a span that does not wrap.
 */
function consentText(c: ConsentView) {
  if (!c.parts.length) return c.rich_text ? plainText(c.text) : c.text;
  // The closing punctuation taken by each link from the run after it.
  const taken = c.parts.map((p, i) => {
    const next = c.parts[i + 1];
    return p.link && next && !next.link ? (CLOSING.exec(next.text)?.[0] ?? "") : "";
  });
  return c.parts.map((p, i) => {
    if (!p.link) return p.text.slice(i > 0 ? taken[i - 1].length : 0);
    const button = html`<button
      type="button"
      class="link inline"
      data-testid=${`link-consent-${c.id}-${i}`}
      aria-describedby=${`consent-opens-${c.id}`}
      @click=${(e: Event) => {
        e.preventDefault();
        void openConsentLink(p.link ?? "");
      }}
    >
      ${p.text}</button
    >`;
    return taken[i] ? html`<span class="glue">${button}${taken[i]}</span>` : button;
  });
}

function consents(cart: CartView) {
  const list = cart.consents;
  if (!list.length) return nothing;
  const kiosk = onKiosk();
  return html`<section class="consents" aria-labelledby="consent-h">
    <h3 id="consent-h" tabindex="-1">${t("consents.title")}</h3>
    ${list.map((c) => {
      const links = c.parts.some((p) => p.link);
      return html`<div class="check consent">
        <input
          type="checkbox"
          id=${`consent-${c.id}`}
          data-testid=${`consent-${c.id}`}
          .checked=${c.signed}
          ?disabled=${c.signed && !c.revokable}
          @change=${(e: Event) => {
            const box = e.target as HTMLInputElement;
            void setConsent(c.id, box.checked, box);
          }}
        />
        <label for=${`consent-${c.id}`}
          >${consentText(c)}${c.required ? html` <small class="req">${t("consents.required")}</small>` : nothing}</label
        >
        ${links ? html`<span class="sr-only" id=${`consent-opens-${c.id}`}>${t(kiosk ? "consents.opensViewer" : "consents.opensBrowser")}</span>` : nothing}
      </div>`;
    })}
    ${kiosk && state.counter.linkViewer
      ? html`<button class="secondary" data-testid="link-viewer-close" @click=${closeLinkViewer}>${t("consents.closeLink")}</button>`
      : nothing}
    ${validationNotices(cart, "consents")}
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
      <p class="notice warning" id="no-payment-methods" tabindex="-1" data-testid="no-payment-methods">${t("blocker.no_payment_method")}</p>
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
    ${fieldError("captcha")} ${validationNotices(cart, "payment")}
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

/** The brand's name as the card check named it (brand names are the same in every language). */
export function brandName(brand: string | null): string {
  return brand ? (tMaybe(`card.brand.${brand}`) ?? "") : "";
}

/**
 * The card entry, for one cart (`card-*`) or for "pay all" (`pay-all-card-*`): the number
 * (its brand from Rust's card check), the name, one `MM/YY` expiry and the CVV (as long as
 * the brand's).
 */
export function cardFields(prefix: "card" | "pay-all-card", c: CardDraft) {
  const brand = brandName(brandOf(prefix));
  const cvv = cvvDigits(prefix);
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
        c.number = formatCardNumber(v, brandOf(prefix));
        changed();
        void checkCardBrand(prefix, c);
      },
    })}
    ${field({ id: `${prefix}-name`, label: t("card.name"), value: c.name, autocomplete: "off", required: true, onInput: (v) => (c.name = v) })}
    <div class="row2">
      ${field({
        id: `${prefix}-exp`,
        label: t("card.expiry"),
        value: c.exp,
        inputmode: "numeric",
        maxlength: 7,
        placeholder: t("card.expiryPlaceholder"),
        required: true,
        onInput: (v) => {
          const next = formatExpiry(v);
          const reshaped = next !== c.exp && next !== v;
          c.exp = next;
          if (reshaped) changed();
        },
      })}
      ${field({
        id: `${prefix}-cvv`,
        label: t("card.cvvDigits", { n: cvv }),
        value: c.cvv,
        inputmode: "numeric",
        maxlength: cvv,
        type: "password",
        required: true,
        onInput: (v) => (c.cvv = v),
      })}
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
    ${cart.paypal_account
      ? nothing
      : html`<button class="paypal-btn" id="paypal-button" data-testid="paypal-button" @click=${startPaypal}>${t("paypal.button")}</button>`}
    ${p?.state === "open" ? html`<button class="link" data-testid="paypal-cancel" @click=${cancelPaypal}>${t("paypal.cancel")}</button>` : nothing}
    <p data-testid="paypal-status" role="status">
      ${status}${p?.error ? html` ${errorText(new DeskError(p.error))}` : nothing}
    </p>
  </div>`;
}

export function totals(cart: CartView | undefined) {
  return cart ? breakdown(cart) : nothing;
}

/**
 * An order's totals: subtotal, shipping, tax (none on a cart whose prices include it),
 * add-ons, discount and the total. `grand: false` leaves the total to the order summary.
 */
export function totalsList(x: TotalsView, opts: { grand?: boolean; taxIncluded?: boolean; extra?: unknown } = {}) {
  const grand = opts.grand ?? true;
  return html`<dl class="totals" aria-label=${t("totals.label")}>
    <dt>${t("totals.subtotal")}</dt>
    <dd data-testid="cart-subtotal">${money(x.subtotal)}</dd>
    <dt>${t("totals.shipping")}</dt>
    <dd data-testid="cart-shipping-total">${money(x.shipping)}</dd>
    ${opts.taxIncluded
      ? nothing
      : html`<dt>${t("totals.tax")}</dt>
          <dd data-testid="cart-tax-total">${money(x.tax)}</dd>`}
    <dt>${t("totals.addons")}</dt>
    <dd data-testid="cart-addon-total">${money(x.addons)}</dd>
    <dt>${t("totals.discount")}</dt>
    <dd data-testid="cart-discount-total">${Number(x.discount.amount) ? `−${money(x.discount)}` : money(x.discount)}</dd>
    ${opts.extra ?? nothing}
    ${grand
      ? html`<dt class="grand">${t("totals.total")}</dt>
          <dd class="grand" data-testid="cart-total">
            ${money(x.total)}${opts.taxIncluded ? html` <small class="muted" data-testid="tax-included">${t("totals.inclTax")}</small>` : nothing}
          </dd>`
      : nothing}
  </dl>`;
}

/** The cart's breakdown in the checkout: its lines, discount lines, credits, points and extra methods. */
function breakdown(cart: CartView) {
  const extra = html`${cart.discount_breakdown.map(
      (d, i) => html`<dt class="sub">${d.label ?? t("totals.discountLine")}</dt>
        <dd class="sub" data-testid=${`discount-line-${i}`}>${d.amount ? `−${money(d.amount)}` : ""}</dd>`,
    )}
    ${cart.additional_shipping_methods.map(
      (m, i) => html`<dt class="sub">${m.description}</dt>
        <dd class="sub" data-testid=${`additional-shipping-${i}`}>${m.price ? money(m.price) : t("price.free")}</dd>`,
    )}
    ${cart.store_credits
      ? html`<dt>${t("totals.storeCredit")}</dt>
          <dd data-testid="store-credits">${money(cart.store_credits)}</dd>`
      : nothing}`;
  const perks =
    cart.available_store_credit || cart.reward_points || cart.available_reward_points
      ? html`<ul class="perks" role="list">
          ${cart.available_store_credit
            ? html`<li data-testid="available-store-credit">${t("perks.availableCredit", { amount: money(cart.available_store_credit) })}</li>`
            : nothing}
          ${cart.reward_points ? html`<li data-testid="reward-points">${t("perks.earns", { points: cart.reward_points })}</li>` : nothing}
          ${cart.available_reward_points
            ? html`<li data-testid="available-reward-points">${t("perks.available", { points: cart.available_reward_points })}</li>`
            : nothing}
        </ul>`
      : nothing;
  return html`<section class="breakdown" aria-labelledby="totals-h">
    <h3 id="totals-h" class="sr-only">${t("totals.label")}</h3>
    ${totalsList(cart.totals, { grand: cart.line_items.length === 0, taxIncluded: cart.tax_included, extra })} ${perks}
  </section>`;
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

let summaryObserver: ResizeObserver | null = null;

/**
 * The column scrolls a field into view above the sticky summary, never under it (focus by
 * Tab, a blocker's link, typing): its scroll padding follows the summary's height.
 */
function keepClearOfSummary(el: Element | undefined): void {
  if (!el || typeof ResizeObserver === "undefined") return;
  summaryObserver?.disconnect();
  summaryObserver = new ResizeObserver(() => {
    const col = el.closest<HTMLElement>(".col");
    col?.style.setProperty("scroll-padding-bottom", `${Math.ceil(el.getBoundingClientRect().height) + 8}px`);
  });
  summaryObserver.observe(el);
}

/** Kiosk with several carts ready: Pay all is the main action. */
function payAllFirst(): boolean {
  return onKiosk() && (state.counter.payAllPreview?.ready.length ?? 0) >= 2;
}

/**
 * The order summary that never scrolls away: the total, what still blocks the order (each
 * a link that moves focus to what resolves it), and Place order with its progress.
 */
function orderSummary(cart: CartView) {
  const blockers = placeBlockers(cart);
  const settling = !!state.info?.settling;
  const placing = state.placing;
  const disabled = state.busy > 0 || placing || settling || blockers.length > 0;
  const first = payAllFirst();
  return html`<section class="order-summary" data-testid="order-summary" aria-labelledby="summary-h" ${ref(keepClearOfSummary)}>
    <h3 id="summary-h" class="sr-only">${t("checkout.summary")}</h3>
    <p class="summary-total">
      <span>${t("totals.total")}</span>
      <strong data-testid="cart-total">${money(cart.totals.total)}</strong>
      ${cart.tax_included ? html`<small class="muted" data-testid="tax-included">${t("totals.inclTax")}</small>` : nothing}
    </p>
    <div id="place-hint" class="hint" data-testid="place-hint" aria-live="polite">
      ${settling ? html`<p>${t("startup.settling")}</p>` : nothing}
      ${blockers.length
        ? html`<p>${t("checkout.before")}</p>
            <ul class="blockers" role="list">
              ${blockers.map(
                (b) => html`<li data-blocker=${b.kind}>
                  <button class="link blocker" data-testid=${blockerTestId(b)} @click=${() => focusBlocker(b, cart)}>${blockerText(b, cart)}</button>
                </li>`,
              )}
            </ul>`
        : nothing}
    </div>
    ${first
      ? html`<button class="primary place" data-testid="pay-all-summary" ?disabled=${state.busy > 0 || state.payAll.running} @click=${() => openPayAll(true)}>
          ${payAllLabel()}
        </button>`
      : nothing}
    <button
      class="${first ? "secondary" : "primary"} place"
      data-testid="place-order"
      ?disabled=${disabled}
      aria-busy=${placing ? "true" : "false"}
      aria-describedby="place-hint"
      @click=${() => placeOrder()}
    >
      ${placing ? html`<span class="busy" aria-hidden="true"></span> ${t("checkout.placing")}` : t("checkout.place", { total: money(cart.totals.total) })}
    </button>
  </section>`;
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
      <button class="secondary" id="order-check-again" data-testid="order-check-again" ?disabled=${state.busy > 0} @click=${() => checkOrder(cart.domain)}>
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
      <p id="override-p">${t("override.body", { merchant: merchantName(cart?.domain ?? state.selected) })}</p>
      <div class="actions">
        <button class="secondary" data-testid="order-override-cancel" autofocus @click=${() => askOverride(false)}>
          ${t("override.cancel")}
        </button>
        <button class="danger" data-testid="order-override-confirm" @click=${confirmOverride}>${t("override.confirm")}</button>
      </div>`,
  });
}
