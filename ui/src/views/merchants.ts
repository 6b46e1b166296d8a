// Left column: one tab per merchant cart (item count, subtotal), the hive total and the
// catalog of the selected merchant.
import { html, nothing } from "lit-html";
import { state, changed } from "../state";
import { addToCart, openProduct, selectMerchant, addMerchant } from "../actions";
import { money, plural } from "../format";

export function merchantsColumn() {
  const merchants = state.info?.merchants ?? [];
  // Summed in Rust (per currency) and delivered with every cart-updated event.
  const totals = state.hiveTotal;
  return html`<nav class="col merchants" aria-label="Merchants">
    <h2>Carts</h2>
    <ul class="tabs" role="list">
      ${merchants.map((m) => {
        const cart = state.carts[m.domain];
        const count = cart?.item_count ?? 0;
        const sel = m.domain === state.selected;
        return html`<li>
          <button
            class="tab ${sel ? "selected" : ""}"
            data-testid=${`cart-tab-${m.domain}`}
            aria-current=${sel ? "page" : "false"}
            @click=${() => selectMerchant(m.domain)}
          >
            <span class="tab-name"
              >${healthDot(m.domain)}${m.display_name}</span
            >
            <span class="tab-domain">${m.domain}</span>
            <span class="tab-meta">${plural(count, "item", "items")}${count > 0 && cart ? html` · ${money(cart.totals.subtotal)}` : nothing}</span>
          </button>
        </li>`;
      })}
    </ul>
    ${state.info?.mode !== "kiosk" ? addMerchantForm() : nothing}
    <p class="hive-total" data-testid="hive-total">
      All carts: ${totals.length ? totals.map((t) => money(t)).join(" + ") : "empty"}
    </p>
    ${catalog()}
  </nav>`;
}

const HEALTH_WORDS: Record<string, string> = {
  operational: "checkout operational",
  degraded: "checkout degraded",
  outage: "checkout outage",
  unknown: "checkout status unknown",
};

function healthDot(domain: string) {
  const status = state.health[domain];
  if (!status) return nothing;
  const words = HEALTH_WORDS[status] ?? `checkout ${status}`;
  return html`<span class="dot ${status}" role="img" aria-label=${words} title=${words} data-testid=${`health-${domain}`} data-status=${status}></span>`;
}

let merchantDraft = "";

function addMerchantForm() {
  return html`<form
    class="add-merchant"
    @submit=${async (e: Event) => {
      e.preventDefault();
      if (await addMerchant(merchantDraft)) {
        merchantDraft = "";
        changed();
      }
    }}
  >
    <label for="merchant-add-input">Add a merchant by domain</label>
    <div class="promo-row">
      <input
        id="merchant-add-input"
        data-testid="merchant-add-input"
        placeholder="shop.example.com"
        .value=${merchantDraft}
        @input=${(e: Event) => (merchantDraft = (e.target as HTMLInputElement).value)}
      />
      <button class="secondary" type="submit" data-testid="merchant-add">Add</button>
    </div>
  </form>`;
}

function catalog() {
  const products = state.products[state.selected] ?? [];
  const p = state.product;
  return html`<section class="catalog" aria-labelledby="catalog-h">
    <h2 id="catalog-h">Catalog</h2>
    <label class="sr-only" for="merchant-select">Merchant</label>
    <select
      id="merchant-select"
      data-testid="merchant-select"
      .value=${state.selected}
      @change=${(e: Event) => selectMerchant((e.target as HTMLSelectElement).value)}
    >
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
            @click=${() => openProduct(pr.handle)}
          >
            ${pr.image_url ? html`<img src=${pr.image_url} alt="" width="40" height="40" />` : nothing}
            <span>${pr.title}</span>
          </button>
        </li>`,
      )}
    </ul>
    ${p
      ? html`<div class="product-detail" aria-label=${p.title}>
          <h3>${p.title}</h3>
          ${p.description ? html`<p class="muted">${p.description}</p>` : nothing}
          <label for="variant-select">Variant</label>
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
                  ${v.title} — ${money(v.price)}${v.available ? "" : " (sold out)"}
                </option>`,
            )}
          </select>
          <label for="qty-input">Quantity</label>
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
          <button class="primary" data-testid="add-to-cart" ?disabled=${!state.variantId} @click=${addToCart}>
            Add to cart
          </button>
        </div>`
      : nothing}
  </section>`;
}
