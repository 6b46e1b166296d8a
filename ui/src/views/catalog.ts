// The selected merchant's catalog: "Add by link or code" (a product link typed, pasted or
// scanned), a search over the products, a grid of cards with picture and price, and the
// open product with its variant, the cart's −/+ quantity stepper and Add to cart.
import { html, nothing } from "lit-html";
import type { ProductPriceView, ProductSummaryView, ProductView } from "../bindings";
import { state, changed } from "../state";
import { addToCart, openProduct, stepQuantity } from "../actions";
import { addByLink, filterProducts, loadPrices } from "../catalog";
import { money } from "../format";
import { t } from "../i18n";
import { merchantName } from "../names";
import { fieldError } from "./common";
import { memo } from "./memo";

/** The selected merchant's catalog, drawn again only when something it shows changed. */
export function catalogView() {
  const domain = state.selected;
  const errors = state.fieldErrors;
  const counter = state.counter;
  return memo(catalog, {
    domain,
    name: merchantName(domain),
    products: state.products[domain],
    query: counter.catalogQuery[domain] ?? "",
    prices: counter.prices[domain],
    product: state.product,
    variantId: state.variantId,
    qty: state.qty,
    variantError: errors["variant-select"] ?? null,
    qtyError: errors["qty-input"] ?? null,
    linkError: errors["add-by-link"] ?? null,
    linkDraft: counter.linkDraft,
    productLink: counter.productLink,
  });
}

/** What the catalog shows, read from the store by `catalogView`. */
interface CatalogProps {
  /** The selected merchant ("" before one is). */
  domain: string;
  /** Its name (`merchantName`). */
  name: string;
  products: ProductSummaryView[] | undefined;
  /** What the search is narrowed to. */
  query: string;
  prices: Record<string, ProductPriceView> | undefined;
  /** The open product. */
  product: ProductView | null;
  variantId: string;
  qty: number;
  variantError: string | null;
  qtyError: string | null;
  linkError: string | null;
  /** "Add by link or code" as typed. */
  linkDraft: string;
  /** The link the open product came from (Add to cart then adds by that link). */
  productLink: string | null;
}

function catalog(c: CatalogProps) {
  const { domain, query } = c;
  const products = c.products ?? [];
  if (products.length) queueMicrotask(() => void loadPrices(domain));
  const shown = filterProducts(products, query);
  const prices = c.prices ?? {};
  const p = c.product;
  return html`<section class="catalog" aria-labelledby="catalog-h">
    <h2 id="catalog-h">${t("catalog.title")}</h2>
    ${addByLinkForm(c.linkDraft, c.linkError)}
    ${domain
      ? html`<div class="field product-search">
          <label for="product-search">${t("catalog.search", { merchant: c.name })}</label>
          <input
            id="product-search"
            data-testid="product-search"
            type="search"
            autocomplete="off"
            .value=${query}
            aria-controls="product-grid"
            @input=${(e: Event) => {
              state.counter.catalogQuery = { ...state.counter.catalogQuery, [domain]: (e.target as HTMLInputElement).value };
              changed();
            }}
          />
        </div>`
      : nothing}
    <p class="sr-only" role="status" data-testid="catalog-count">
      ${query ? t("catalog.found", { n: shown.length, total: products.length }) : ""}
    </p>
    ${query && !shown.length ? html`<p class="muted" data-testid="catalog-none">${t("catalog.none", { query })}</p>` : nothing}
    <ul class="product-grid" id="product-grid" role="list">
      ${shown.map((pr) => productCard(pr, prices[pr.handle], p?.handle === pr.handle))}
    </ul>
    ${p ? productDetail(p, c) : nothing}
  </section>`;
}

function productCard(pr: ProductSummaryView, price: ProductPriceView | undefined, open: boolean) {
  return html`<li>
    <button
      class="product ${open ? "selected" : ""}"
      data-testid=${`product-card-${pr.handle}`}
      aria-pressed=${open ? "true" : "false"}
      @click=${() => openProduct(pr.handle)}
    >
      ${pr.image_url
        ? html`<img src=${pr.image_url} alt="" width="96" height="96" loading="lazy" />`
        : html`<span class="thumb" aria-hidden="true"></span>`}
      <span class="product-title">${pr.title}</span>
      <span class="product-price" data-testid=${`product-price-${pr.handle}`}>
        ${price?.price ? (price.price_varies ? t("catalog.from", { price: money(price.price) }) : money(price.price)) : ""}
        ${price && !price.available ? html`<small class="muted">${t("catalog.soldOut")}</small>` : nothing}
      </span>
    </button>
  </li>`;
}

/** The open product: its variant, the quantity stepper and Add to cart. */
function productDetail(p: ProductView, c: CatalogProps) {
  const { variantId, qty, qtyError: qtyErr, productLink: fromLink } = c;
  return html`<div class="product-detail" role="group" aria-labelledby="product-h" data-testid="product-detail">
    <h3 id="product-h">${p.title}</h3>
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
          html`<option value=${v.variant_id} ?selected=${v.variant_id === variantId} ?disabled=${!v.available}>
            ${v.title} — ${money(v.price)}${v.available ? "" : ` (${t("catalog.soldOut")})`}
          </option>`,
      )}
    </select>
    ${fieldError("variant-select", c.variantError)}
    <span class="label" id="qty-label">${t("catalog.quantity")}</span>
    <div class="qty" role="group" aria-labelledby="qty-label" aria-describedby=${qtyErr ? "err-qty-input" : nothing}>
      <button
        class="icon"
        data-testid="qty-decrease"
        aria-label=${t("catalog.qtyDown")}
        ?disabled=${qty <= 1}
        @click=${() => stepQuantity(-1)}
      >
        −
      </button>
      <span data-testid="qty-value" aria-live="polite">${qty}</span>
      <button class="icon" data-testid="qty-increase" aria-label=${t("catalog.qtyUp")} ?disabled=${qty >= 99} @click=${() => stepQuantity(1)}>
        +
      </button>
    </div>
    ${fieldError("qty-input", qtyErr)}
    <button
      class="primary"
      data-testid="add-to-cart"
      ?disabled=${!variantId}
      @click=${() => (fromLink ? addByLink(state.variantId, fromLink) : addToCart())}
    >
      ${t("catalog.add")}
    </button>
  </div>`;
}

/**
 * "Add by link or code": a product page's link, typed or pasted, or scanned by a keyboard
 * scanner (it types the link and presses Enter).
 */
function addByLinkForm(draft: string, err: string | null) {
  return html`<form
    class="add-by-link"
    novalidate
    @submit=${(e: Event) => {
      e.preventDefault();
      void addByLink();
    }}
  >
    <div class="inline-field">
      <div class="field ${err ? "invalid" : ""}">
        <label for="add-by-link">${t("link.label")}</label>
        <input
          id="add-by-link"
          data-testid="add-by-link"
          type="text"
          inputmode="url"
          autocomplete="off"
          spellcheck="false"
          placeholder=${t("link.placeholder")}
          .value=${draft}
          aria-invalid=${err ? "true" : "false"}
          aria-describedby=${err ? "err-add-by-link" : "hint-add-by-link"}
          @input=${(e: Event) => {
            state.counter.linkDraft = (e.target as HTMLInputElement).value;
            if (state.fieldErrors["add-by-link"]) {
              delete state.fieldErrors["add-by-link"];
              changed();
            }
          }}
        />
      </div>
      <button class="secondary" type="submit" data-testid="add-by-link-submit">${t("link.add")}</button>
      <small class="hint" id="hint-add-by-link">${t("link.hint")}</small>
      ${err ? html`<div data-testid="add-by-link-error">${fieldError("add-by-link", err)}</div>` : nothing}
    </div>
  </form>`;
}
