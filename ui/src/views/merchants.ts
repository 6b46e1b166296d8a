// Left column: one tab per merchant cart (health, item count, subtotal, its own failure),
// the postal-code preference, the hive total with "Pay all", and the catalog.
import { html, nothing } from "lit-html";
import { guard } from "lit-html/directives/guard.js";
import type { CartView, MerchantHealth } from "../bindings";
import { state } from "../state";
import { addMerchant, applyPostalCode, selectMerchant } from "../actions";
import { openPayAll } from "../orders";
import { money } from "../format";
import { lang, t, tCount } from "../i18n";
import { errorText, healthText, onKiosk, staffRef } from "../messages";
import { DeskError } from "../ipc";
import { merchantName } from "../names";
import { field } from "./common";
import { catalogView } from "./catalog";
import { payAllLabel } from "./payall";

/** The failure of one merchant (its cart or catalog could not be read), if any. */
export function merchantError(domain: string): DeskError | null {
  const c = state.carts[domain];
  if (c?.load_error) return new DeskError(c.load_error);
  return state.merchantErrors[domain] ?? null;
}

export function merchantsColumn() {
  const merchants = state.info?.merchants ?? [];
  // Summed in Rust (per currency) and delivered with every cart-updated event.
  const totals = state.hiveTotal;
  const payable = Object.values(state.carts).some((c) => c.line_items.length > 0 && c.status === "active");
  return html`<nav class="col merchants" aria-label=${t("merchants.nav")}>
    <h2>${t("merchants.title")}</h2>
    <ul class="tabs" role="list">
      ${merchants.map((m) => {
        const cart = state.carts[m.domain];
        const sel = m.domain === state.selected;
        return guard(
          [lang(), m, cart, sel, state.health[m.domain], state.merchantErrors[m.domain], state.hiveLoading],
          () => merchantTab(m, cart, sel),
        );
      })}
    </ul>
    ${guard([lang(), state.health], healthLegend)}
    ${state.info?.mode !== "kiosk" ? guard([lang(), state.merchantDraft, state.fieldErrors["domain"]], addMerchantForm) : nothing}
    ${guard([lang(), state.postalDraft, state.info?.postal_code, state.fieldErrors["postal-code"]], postalCodeForm)}
    <p class="hive-total" data-testid="hive-total" aria-live="polite">
      ${t("merchants.allCarts")} ${state.hiveLoading ? t("merchants.loading") : totals.length ? totals.map((x) => money(x)).join(" + ") : t("merchants.empty")}
    </p>
    <button
      class="${payAllMain() ? "primary" : "secondary"} wide"
      data-testid="pay-all"
      ?disabled=${!payable || state.busy > 0}
      @click=${() => openPayAll(true)}
    >
      ${payAllLabel()}
    </button>
    ${guard(
      [
        lang(),
        state.selected,
        state.products[state.selected],
        state.product,
        state.info?.merchants,
        state.variantId,
        state.qty,
        state.fieldErrors["variant-select"],
        state.fieldErrors["qty-input"],
        state.fieldErrors["add-by-link"],
        state.counter.prices[state.selected],
        state.counter.catalogQuery[state.selected],
        state.counter.linkDraft,
        state.counter.productLink,
      ],
      catalogView,
    )}
  </nav>`;
}

/** One merchant's tab: its health, item count and subtotal, or its failure. */
function merchantTab(m: { domain: string; display_name: string }, cart: CartView | undefined, sel: boolean) {
  const count = cart?.item_count ?? 0;
  const err = merchantError(m.domain);
  return html`<li>
          <button
            class="tab ${sel ? "selected" : ""} ${err ? "failed" : ""}"
            data-testid=${`cart-tab-${m.domain}`}
            aria-current=${sel ? "page" : "false"}
            aria-describedby=${err ? `merchant-error-${m.domain}` : nothing}
            @click=${() => selectMerchant(m.domain)}
          >
            <span class="tab-name">${healthDot(m.domain)}${merchantName(m.domain)}</span>
            <span class="tab-domain">${m.domain}</span>
            ${healthError(m.domain)}
            <span class="tab-meta"
              >${!cart && state.hiveLoading
                ? t("merchants.loading")
                : html`${tCount("count.items", count)}${count > 0 && cart ? html` · ${money(cart.totals.subtotal)}` : nothing}`}</span
            >
          </button>
          ${err
            ? html`<p class="tab-error" id=${`merchant-error-${m.domain}`} data-testid=${`merchant-error-${m.domain}`}>
                ${errorText(err)}${err.description && err.description !== errorText(err) ? html` — ${err.description}` : nothing}
                ${err.requestId
                  ? html`<small class="muted">
                      · ${onKiosk() ? t("error.staffRef", { ref: staffRef(err.requestId) ?? "" }) : t("error.requestId", { id: err.requestId })}</small
                    >`
                  : nothing}
                ${cart?.merchant_site ? merchantSite(cart.merchant_site) : nothing}
              </p>`
            : nothing}
        </li>`;
}

/** Where the shopper can finish on the merchant's own site: text to copy, never a link that navigates. */
export function merchantSite(url: string) {
  return html`<span class="merchant-site"
    >${t("merchants.site")} <code class="selectable" data-testid="merchant-site">${url}</code></span
  >`;
}

/** Health states that draw a dot (none for `not_configured`: no status host is set). */
type Shown = Exclude<MerchantHealth["state"], "not_configured">;
const SHOWN: Shown[] = ["operational", "degraded", "outage", "other", "failed"];

function healthDot(domain: string) {
  const h = state.health[domain];
  if (!h || h.state === "not_configured") return nothing;
  const words = healthText(h);
  return html`<span
    class="dot ${h.state}"
    role="img"
    aria-label=${words}
    title=${words}
    data-testid=${`health-${domain}`}
    data-status=${h.state}
  ></span>`;
}

/** A failure to read a merchant's health, in words on its tab (an error is not "unknown"). */
function healthError(domain: string) {
  const h = state.health[domain];
  return h?.state === "failed"
    ? html`<span class="tab-health-error" data-testid=${`health-error-${domain}`}>${healthText(h)}</span>`
    : nothing;
}

/** What each dot means, in words beside it (colour is never the only sign). */
function healthLegend() {
  const states = new Set<string>(Object.values(state.health).map((h) => h.state));
  const shown = SHOWN.filter((s) => states.has(s));
  if (!shown.length) return nothing;
  return html`<p class="health-legend" data-testid="health-legend">
    <span>${t("health.legend")}</span>
    ${shown.map(
      (s) => html`<span class="legend-item" data-testid=${`health-legend-${s}`}
        ><span class="dot ${s}" aria-hidden="true"></span>${t(`health.legend.${s}`)}</span
      >`,
    )}
  </p>`;
}

function addMerchantForm() {
  return html`<form
    class="add-merchant"
    novalidate
    @submit=${(e: Event) => {
      e.preventDefault();
      void addMerchant(state.merchantDraft);
    }}
  >
    <div class="inline-field">
      ${field({
        id: "merchant-add-input",
        errorKey: "domain",
        label: t("merchants.add"),
        placeholder: t("merchants.addPlaceholder"),
        value: state.merchantDraft,
        onInput: (v) => (state.merchantDraft = v),
      })}
      <button class="secondary" type="submit" data-testid="merchant-add">${t("merchants.addButton")}</button>
    </div>
  </form>`;
}

function postalCodeForm() {
  const value = state.postalDraft ?? state.info?.postal_code ?? "";
  return html`<form
    class="postal"
    novalidate
    @submit=${(e: Event) => {
      e.preventDefault();
      void applyPostalCode();
    }}
  >
    <div class="inline-field">
      ${field({
        id: "postal-code-input",
        errorKey: "postal-code",
        label: t("postal.label"),
        hint: t("postal.hint"),
        value,
        inputmode: "text",
        autocomplete: "postal-code",
        onInput: (v) => (state.postalDraft = v),
      })}
      <button class="secondary" type="submit" data-testid="postal-code-apply">${t("postal.apply")}</button>
    </div>
  </form>`;
}

/** Kiosk with several carts ready to pay: Pay all is the main action. */
function payAllMain(): boolean {
  return onKiosk() && (state.counter.payAllPreview?.ready.length ?? 0) >= 2;
}
