// Left column: one tab per merchant cart (health, item count, subtotal, its own failure),
// the postal-code preference, the hive total with "Pay all", and the catalog.
import { html, nothing } from "lit-html";
import { guard } from "lit-html/directives/guard.js";
import type { CartView, MerchantHealth, PayAllEntry } from "../bindings";
import { state, changed } from "../state";
import { addMerchant, addToCart, applyPostalCode, openProduct, selectMerchant } from "../actions";
import { openPayAll, payAll } from "../orders";
import { money } from "../format";
import { lang, t, tCount } from "../i18n";
import { blockerText, errorText, healthText, onKiosk, staffRef } from "../messages";
import { DeskError } from "../ipc";
import { dialog, field } from "./common";
import { cardFields } from "./checkout";

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
    <button class="secondary wide" data-testid="pay-all" ?disabled=${!payable || state.busy > 0} @click=${() => openPayAll(true)}>
      ${t("payAll.open")}
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
      ],
      catalog,
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
            <span class="tab-name">${healthDot(m.domain)}${m.display_name}</span>
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

function catalog() {
  const products = state.products[state.selected] ?? [];
  const p = state.product;
  return html`<section class="catalog" aria-labelledby="catalog-h">
    <h2 id="catalog-h">${t("catalog.title")}</h2>
    <label class="sr-only" for="merchant-select">${t("catalog.merchant")}</label>
    <select id="merchant-select" data-testid="merchant-select" @change=${(e: Event) => selectMerchant((e.target as HTMLSelectElement).value)}>
      ${(state.info?.merchants ?? []).map(
        (m) => html`<option value=${m.domain} ?selected=${m.domain === state.selected}>${m.display_name}</option>`,
      )}
    </select>
    <ul class="products" role="list">
      ${products.map(
        (pr) => html`<li>
          <button
            class="product ${p?.handle === pr.handle ? "selected" : ""}"
            data-testid=${`product-card-${pr.handle}`}
            aria-pressed=${p?.handle === pr.handle ? "true" : "false"}
            @click=${() => openProduct(pr.handle)}
          >
            ${pr.image_url ? html`<img src=${pr.image_url} alt="" width="40" height="40" />` : nothing}
            <span>${pr.title}</span>
          </button>
        </li>`,
      )}
    </ul>
    ${p
      ? html`<div class="product-detail" role="group" aria-label=${p.title}>
          <h3>${p.title}</h3>
          ${p.description ? html`<p class="muted">${p.description}</p>` : nothing}
          <label for="variant-select">${t("catalog.variant")}</label>
          <select
            id="variant-select"
            data-testid="variant-select"
            @change=${(e: Event) => {
              state.variantId = (e.target as HTMLSelectElement).value;
              changed();
            }}
          >
            ${p.variants.map(
              (v) =>
                html`<option value=${v.variant_id} ?selected=${v.variant_id === state.variantId} ?disabled=${!v.available}>
                  ${v.title} — ${money(v.price)}${v.available ? "" : ` (${t("catalog.soldOut")})`}
                </option>`,
            )}
          </select>
          ${state.fieldErrors["variant-select"]
            ? html`<p class="field-error" role="alert" data-testid="field-error-variant-select">${state.fieldErrors["variant-select"]}</p>`
            : nothing}
          <label for="qty-input">${t("catalog.quantity")}</label>
          <input
            id="qty-input"
            data-testid="qty-input"
            type="number"
            min="1"
            max="99"
            .value=${String(state.qty)}
            @input=${(e: Event) => {
              state.qty = Math.max(1, Math.floor(Number((e.target as HTMLInputElement).value) || 1));
            }}
          />
          ${state.fieldErrors["qty-input"]
            ? html`<p class="field-error" role="alert" data-testid="field-error-qty-input">${state.fieldErrors["qty-input"]}</p>`
            : nothing}
          <button class="primary" data-testid="add-to-cart" ?disabled=${!state.variantId} @click=${addToCart}>
            ${t("catalog.add")}
          </button>
        </div>`
      : nothing}
  </section>`;
}

// ----- pay all ---------------------------------------------------------------------------

function resultLine(r: PayAllEntry) {
  const o = r.outcome;
  const outcome = o ? o.outcome : "not_ready";
  let detail;
  if (!o) {
    const cart = state.carts[r.domain];
    detail = html`<ul class="blockers">
      ${r.not_ready.map((b) => html`<li>${blockerText(b, cart)}</li>`)}
    </ul>`;
  } else if (o.outcome === "placed") {
    detail = t("payAll.placed", { number: o.order.order_number, total: money(o.order.total) });
  } else if (o.outcome === "not_placed") {
    const e = new DeskError(o.error);
    detail = html`${t("payAll.notPlaced")} ${errorText(e)}${e.description && e.description !== errorText(e) ? html` — ${e.description}` : nothing}`;
  } else {
    detail = html`<strong>${t("payAll.unknown")}</strong>`;
  }
  return html`<li class="result ${outcome}" data-testid=${`pay-all-result-${r.domain}`} data-outcome=${outcome}>
    <strong>${r.display_name}</strong> <span class="outcome-word">${t(`payAll.outcome.${outcome}`)}</span>
    <div>${detail}</div>
  </li>`;
}

export function payAllDialog() {
  const pa = state.payAll;
  const carts = Object.values(state.carts).filter((c) => c.line_items.length > 0 && c.status === "active");
  return dialog({
    id: "pay-all-dialog",
    testid: "pay-all-panel",
    labelledBy: "pay-all-h",
    wide: true,
    onClose: () => openPayAll(false),
    body: html`<h2 id="pay-all-h">${t("payAll.title")}</h2>
      <p class="muted">${t("payAll.explain")}</p>
      <ul class="pay-all-carts">
        ${carts.map(
          (c) => html`<li>
            ${c.display_name} · ${money(c.totals.total)}
            ${c.blockers.length ? html`<small class="muted"> — ${t("payAll.notReady")}</small>` : nothing}
          </li>`,
        )}
      </ul>
      ${pa.results
        ? html`<ul class="pay-all-results" role="list" aria-live="polite">
            ${pa.results.map(resultLine)}
          </ul>`
        : html`<form
            novalidate
            @submit=${(e: Event) => {
              e.preventDefault();
              void payAll();
            }}
          >
            ${cardFields("pay-all-card", pa.card)}
            <button class="primary place" type="submit" data-testid="pay-all-submit" ?disabled=${pa.running || state.busy > 0}>
              ${pa.running ? t("payAll.running") : t("payAll.submit")}
            </button>
          </form>`}
      <div class="actions">
        <button class="secondary" data-testid="pay-all-close" @click=${() => openPayAll(false)}>${t("dialog.close")}</button>
      </div>`,
  });
}
