// Left column: one tab per merchant cart (health, item count, subtotal, its own failure),
// the postal-code preference, the hive total with "Pay all", and the catalog.
import { html, nothing } from "lit-html";
import type { CartView, MerchantHealth } from "../bindings";
import { state } from "../state";
import { addMerchant, applyPostalCode, selectMerchant } from "../actions";
import { openPayAll } from "../orders";
import { money } from "../format";
import { t, tCount } from "../i18n";
import { errorText, healthText, onKiosk, staffRef } from "../messages";
import { DeskError } from "../ipc";
import { merchantName } from "../names";
import { field } from "./common";
import { memo } from "./memo";
import { catalogView } from "./catalog";
import { payAllLabel } from "./payall";

/** The failure of one merchant (its cart or catalog could not be read), if any. */
export function merchantError(domain: string): DeskError | null {
  return failureOf(state.carts[domain], state.merchantErrors[domain]);
}

/** A merchant's failure from its cart (which may carry its own) and its read error. */
function failureOf(cart: CartView | undefined, error: DeskError | undefined): DeskError | null {
  if (cart?.load_error) return new DeskError(cart.load_error);
  return error ?? null;
}

export function merchantsColumn() {
  const merchants = state.info?.merchants ?? [];
  // Summed in Rust (per currency) and delivered with every cart-updated event.
  const totals = state.hiveTotal;
  const payable = Object.values(state.carts).some((c) => c.line_items.length > 0 && c.status === "active");
  return html`<nav class="col merchants" aria-label=${t("merchants.nav")}>
    <h2>${t("merchants.title")}</h2>
    <ul class="tabs" role="list">
      ${merchants.map((m) =>
        memo(merchantTab, {
          domain: m.domain,
          name: merchantName(m.domain),
          cart: state.carts[m.domain],
          selected: m.domain === state.selected,
          health: state.health[m.domain],
          error: state.merchantErrors[m.domain],
          loading: state.hiveLoading,
          kiosk: onKiosk(),
        }),
      )}
    </ul>
    ${memo(healthLegend, { health: state.health })}
    ${state.info?.mode !== "kiosk" ? memo(addMerchantForm, { draft: state.merchantDraft, error: state.fieldErrors["domain"] ?? null }) : nothing}
    ${memo(postalCodeForm, {
      draft: state.postalDraft,
      postalCode: state.info?.postal_code ?? null,
      error: state.fieldErrors["postal-code"] ?? null,
    })}
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
    ${catalogView()}
  </nav>`;
}

/** What a merchant's tab shows, read from the store by `merchantsColumn`. */
interface TabProps {
  domain: string;
  /** The merchant's name (`merchantName`). */
  name: string;
  cart: CartView | undefined;
  selected: boolean;
  health: MerchantHealth | undefined;
  /** Why its cart or catalog could not be read (its cart may carry its own failure). */
  error: DeskError | undefined;
  /** The carts are still being read (start-up). */
  loading: boolean;
  /** The desk is a kiosk (`onKiosk`: errors are worded for the shopper, with a staff reference). */
  kiosk: boolean;
}

/** One merchant's tab: its health, item count and subtotal, or its failure. */
function merchantTab(p: TabProps) {
  const { domain, cart, selected: sel } = p;
  const count = cart?.item_count ?? 0;
  const err = failureOf(cart, p.error);
  return html`<li>
          <button
            class="tab ${sel ? "selected" : ""} ${err ? "failed" : ""}"
            data-testid=${`cart-tab-${domain}`}
            aria-current=${sel ? "page" : "false"}
            aria-describedby=${err ? `merchant-error-${domain}` : nothing}
            @click=${() => selectMerchant(domain)}
          >
            <span class="tab-name">${healthDot(domain, p.health, p.kiosk)}${p.name}</span>
            <span class="tab-domain">${domain}</span>
            ${healthError(domain, p.health, p.kiosk)}
            <span class="tab-meta"
              >${!cart && p.loading
                ? t("merchants.loading")
                : html`${tCount("count.items", count)}${count > 0 && cart ? html` · ${money(cart.totals.subtotal)}` : nothing}`}</span
            >
          </button>
          ${err
            ? html`<p class="tab-error" id=${`merchant-error-${domain}`} data-testid=${`merchant-error-${domain}`}>
                ${errorText(err, p.kiosk)}${err.description && err.description !== errorText(err, p.kiosk) ? html` — ${err.description}` : nothing}
                ${err.requestId
                  ? html`<small class="muted">
                      · ${p.kiosk ? t("error.staffRef", { ref: staffRef(err.requestId) ?? "" }) : t("error.requestId", { id: err.requestId })}</small
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

function healthDot(domain: string, h: MerchantHealth | undefined, kiosk: boolean) {
  if (!h || h.state === "not_configured") return nothing;
  const words = healthText(h, kiosk);
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
function healthError(domain: string, h: MerchantHealth | undefined, kiosk: boolean) {
  return h?.state === "failed"
    ? html`<span class="tab-health-error" data-testid=${`health-error-${domain}`}>${healthText(h, kiosk)}</span>`
    : nothing;
}

/** What each dot means, in words beside it (colour is never the only sign). */
function healthLegend({ health }: { health: Record<string, MerchantHealth> }) {
  const states = new Set<string>(Object.values(health).map((h) => h.state));
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

/** Add a merchant by its domain (what is typed is kept in `state.merchantDraft`). */
function addMerchantForm({ draft, error }: { draft: string; error: string | null }) {
  return html`<form
    class="add-merchant"
    novalidate
    @submit=${(e: Event) => {
      e.preventDefault();
      // What is typed now (typing does not draw the form again).
      void addMerchant(state.merchantDraft);
    }}
  >
    <div class="inline-field">
      ${field({
        id: "merchant-add-input",
        errorKey: "domain",
        label: t("merchants.add"),
        placeholder: t("merchants.addPlaceholder"),
        value: draft,
        error,
        onInput: (v) => (state.merchantDraft = v),
      })}
      <button class="secondary" type="submit" data-testid="merchant-add">${t("merchants.addButton")}</button>
    </div>
  </form>`;
}

/** The postal code preference: what is typed, else the desk's (`AppInfo.postal_code`). */
function postalCodeForm({ draft, postalCode, error }: { draft: string | null; postalCode: string | null; error: string | null }) {
  const value = draft ?? postalCode ?? "";
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
        error,
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
