// Middle column: the selected merchant's cart — its failure or unknown-outcome order, line
// items, one card per shipment, the addons panel and promo codes.
import { html, nothing } from "lit-html";
import type { AddonView, CartView } from "../bindings";
import { state, changed } from "../state";
import { applyPromo, clearCart, clearPromos, removeAddon, selectAddon, setQuantity } from "../actions";
import { money } from "../format";
import { t, tCount } from "../i18n";
import { addonBlockText, errorText } from "../messages";
import { merchantError, merchantSite } from "./merchants";
import { shipmentCard, shipmentEffects } from "./shipments";
import { pendingPanel } from "./checkout";
import { fieldError } from "./common";
import { memo } from "./memo";
import { merchantName } from "../names";

export function cartColumn() {
  const cart = state.carts[state.selected];
  const err = state.selected ? merchantError(state.selected) : null;
  if (!cart && !err && state.hiveLoading) {
    // Start-up: the carts are being read; nothing that is not yet true (an empty cart) is shown.
    return html`<main class="col cart" id="main" tabindex="-1" aria-busy="true">
      <p class="muted" role="status" data-testid="cart-loading">${t("merchants.loading")}</p>
    </main>`;
  }
  if (!cart) {
    return html`<main class="col cart" id="main" tabindex="-1">
      ${err ? merchantFailure(err, null) : html`<p class="muted">${t("cart.choose")}</p>`}
    </main>`;
  }
  return html`<main class="col cart" id="main" tabindex="-1" aria-labelledby="cart-h">
    <div class="cart-head">
      <h2 id="cart-h">${t("cart.title", { merchant: merchantName(cart.domain) })}</h2>
      <span class="muted">${tCount("count.items", cart.item_count)}</span>
      ${cart.line_items.length
        ? html`<button class="link" data-testid="clear-cart" @click=${clearCart}>${t("cart.clear")}</button>`
        : nothing}
    </div>
    ${err ? merchantFailure(err, cart.merchant_site) : nothing}
    ${pendingPanel(cart)}
    ${cart.notices.map((n) => html`<p class="notice ${n.severity}" data-testid=${`notice-${n.code}`}>${n.message}</p>`)}
    ${cart.line_items.length === 0
      ? html`<p class="empty" data-testid="cart-empty">${t("cart.empty")}</p>`
      : html`<ul class="line-items" role="list">
          ${cart.line_items.map((li) => memo(lineItem, { li }))}
        </ul>`}
    ${cart.shipments.length
      ? html`<h3>${t("cart.delivery")}</h3>
          ${cart.shipments.map((s, i) => {
            shipmentEffects(cart, s);
            return shipmentCard(cart, s, i);
          })}`
      : nothing}
    ${cart.addons.length ? addonsPanel(cart) : nothing} ${cart.line_items.length ? promoPanel(cart) : nothing}
  </main>`;
}

function merchantFailure(err: ReturnType<typeof merchantError>, site: string | null) {
  if (!err) return nothing;
  return html`<div class="notice error" role="status">
    <strong>${t("cart.failed")}</strong> ${errorText(err)}
    ${err.description && err.description !== errorText(err) ? html`<p>${err.description}</p>` : nothing}
    ${site ? html`<p>${merchantSite(site)}</p>` : nothing}
  </div>`;
}

/** One line of the cart (memoized: it reads only the line). */
function lineItem({ li }: { li: CartView["line_items"][number] }) {
  const id = li.line_item_id;
  return html`<li class="line-item" data-testid=${`line-item-${id}`}>
    ${li.image_url ? html`<img src=${li.image_url} alt="" width="56" height="56" />` : html`<span class="thumb"></span>`}
    <div class="li-main">
      <div class="li-title">${li.title}</div>
      ${li.variant ? html`<div class="muted">${li.variant}</div>` : nothing}
      <div class="muted">${t("cart.each", { price: money(li.unit_price) })}</div>
      ${li.discounts.map((d) => html`<div class="discount">${d.code}${d.amount ? html` −${money(d.amount)}` : nothing}</div>`)}
      ${li.notices.map((n) => html`<p class="notice ${n.severity}" data-testid=${`notice-${n.code}`}>${n.message}</p>`)}
    </div>
    <div class="qty" role="group" aria-label=${t("cart.qtyOf", { item: li.title })}>
      <button
        class="icon"
        data-testid=${`qty-decrease-${id}`}
        aria-label=${t("cart.qtyDown", { item: li.title })}
        @click=${() => setQuantity(id, li.quantity - 1)}
      >
        −
      </button>
      <span>${li.quantity}</span>
      <button
        class="icon"
        data-testid=${`qty-increase-${id}`}
        aria-label=${t("cart.qtyUp", { item: li.title })}
        @click=${() => setQuantity(id, li.quantity + 1)}
      >
        +
      </button>
    </div>
    <div class="li-price">${money(li.line_price)}</div>
    <button class="link" id=${`remove-${id}`} data-testid=${`remove-${id}`} aria-label=${t("cart.removeItem", { item: li.title })} @click=${() => setQuantity(id, 0)}>
      ${t("cart.remove")}
    </button>
  </li>`;
}

function addonsPanel(cart: CartView) {
  return html`<section class="addons" data-testid="addons-panel" aria-labelledby="addons-h">
    <h3 id="addons-h">${t("addon.title")}</h3>
    ${cart.addons.map((a) => memo(addon, { a }))}
  </section>`;
}

function selectedItems(a: AddonView): string[] {
  return a.items.filter((i) => i.selected).map((i) => i.line_item_id);
}

function whyNot(a: AddonView) {
  return a.disabled_reason ? html`<p class="why-not" id=${`why-${a.addon_id}`}>${addonBlockText(a.disabled_reason)}</p>` : nothing;
}

/** One addon offer (memoized: it reads only the offer). */
function addon({ a }: { a: AddonView }) {
  const reason = a.disabled_reason;
  const header = html`<div class="addon-head">
      <strong>${a.name}</strong>
      ${a.price ? html`<span>${a.coverage_mode === "PER_ITEM" ? t("addon.perItem", { price: money(a.price) }) : money(a.price)}</span>` : nothing}
      ${a.selected_price ? html`<span class="muted">${t("addon.selected", { price: money(a.selected_price) })}</span>` : nothing}
    </div>
    ${a.description ? html`<p class="muted">${a.description}</p>` : nothing}`;
  if (a.coverage_mode === "PER_ITEM") {
    return html`<div class="addon" data-addon=${a.addon_id}>
      ${header}
      ${a.items.map(
        (i) => html`<label class="check">
          <input
            type="checkbox"
            data-testid=${`addon-${a.addon_id}-item-${i.line_item_id}`}
            .checked=${i.selected}
            ?disabled=${!!reason && !a.selected}
            aria-describedby=${reason ? `why-${a.addon_id}` : nothing}
            @change=${(e: Event) => {
              const on = (e.target as HTMLInputElement).checked;
              const ids = new Set(selectedItems(a));
              if (on) ids.add(i.line_item_id);
              else ids.delete(i.line_item_id);
              void (ids.size ? selectAddon(a.addon_id, [...ids], []) : removeAddon(a.addon_id));
            }}
          />
          <span>${i.title} <strong>${money(i.price)}</strong></span>
        </label>`,
      )}
      ${whyNot(a)}
    </div>`;
  }
  if (a.coverage_mode === "FREE_GROUPING") {
    const items = selectedItems(a);
    const children = a.children.filter((c) => c.selected).map((c) => c.addon_id);
    return html`<div class="addon" data-addon=${a.addon_id}>
      ${header}
      <fieldset>
        <legend>${t("addon.itemsToCover")}</legend>
        ${a.items.map(
          (i) => html`<label class="check">
            <input
              type="checkbox"
              data-testid=${`addon-${a.addon_id}-item-${i.line_item_id}`}
              .checked=${i.selected}
              ?disabled=${!!reason && !a.selected}
              aria-describedby=${reason ? `why-${a.addon_id}` : nothing}
              @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                const ids = new Set(items);
                if (on) ids.add(i.line_item_id);
                else ids.delete(i.line_item_id);
                void (ids.size ? selectAddon(a.addon_id, [...ids], children) : removeAddon(a.addon_id));
              }}
            />
            <span>${i.title}${i.price ? html` <strong>${money(i.price)}</strong>` : nothing}</span>
          </label>`,
        )}
      </fieldset>
      ${a.children.length
        ? html`<fieldset>
            <legend>${t("addon.options")}</legend>
            ${a.children.map((c) => {
              const exclusive = !!c.exclusive_group_id;
              return html`<label class=${exclusive ? "radio" : "check"}>
                  <input
                    type=${exclusive ? "radio" : "checkbox"}
                    name=${exclusive ? `child-${a.addon_id}-${c.exclusive_group_id}` : nothing}
                    data-testid=${`addon-${a.addon_id}-child-${c.addon_id}`}
                    .checked=${c.selected}
                    ?disabled=${!items.length || (!!c.disabled_reason && !exclusive)}
                    aria-describedby=${c.disabled_reason ? `why-${c.addon_id}` : !items.length ? `why-items-${a.addon_id}` : nothing}
                    @change=${(e: Event) => {
                      const on = (e.target as HTMLInputElement).checked;
                      let next = children.filter((id) => {
                        const sib = a.children.find((x) => x.addon_id === id);
                        return !(exclusive && sib?.exclusive_group_id === c.exclusive_group_id);
                      });
                      if (on) next.push(c.addon_id);
                      else next = next.filter((id) => id !== c.addon_id);
                      void selectAddon(a.addon_id, items, next);
                    }}
                  />
                  <span>${c.name}${c.price ? html` <strong>${money(c.price)}</strong>` : nothing}</span>
                </label>
                ${c.disabled_reason && !exclusive ? whyNot(c) : nothing}`;
            })}
            ${!items.length ? html`<p class="why-not" id=${`why-items-${a.addon_id}`}>${t("addon.chooseItemsFirst")}</p>` : nothing}
          </fieldset>`
        : nothing}
      ${whyNot(a)}
    </div>`;
  }
  // CART scope or a predefined group: one toggle for the whole offer.
  const groupItems = a.items.map((i) => i.line_item_id);
  return html`<div class="addon" data-addon=${a.addon_id}>
    <label class="check toggle">
      <input
        type="checkbox"
        data-testid=${`addon-${a.addon_id}`}
        .checked=${a.selected}
        ?disabled=${!!reason && !a.selected}
        aria-describedby=${reason ? `why-${a.addon_id}` : nothing}
        @change=${(e: Event) =>
          (e.target as HTMLInputElement).checked
            ? selectAddon(a.addon_id, a.scope === "CART" ? [] : groupItems, [])
            : removeAddon(a.addon_id)}
      />
      <span>${header}</span>
    </label>
    ${a.scope !== "CART" && a.items.length ? html`<p class="muted">${t("addon.covers", { items: a.items.map((i) => i.title).join(", ") })}</p>` : nothing}
    ${whyNot(a)}
  </div>`;
}

function promoPanel(cart: CartView) {
  const err = state.fieldErrors["promo"];
  return html`<section class="promo" aria-labelledby="promo-h">
    <h3 id="promo-h">${t("promo.title")}</h3>
    <div class="promo-row">
      <label class="sr-only" for="promo-input">${t("promo.label")}</label>
      <input
        id="promo-input"
        data-testid="promo-input"
        placeholder=${t("promo.label")}
        .value=${state.promoDraft}
        aria-invalid=${err ? "true" : "false"}
        aria-describedby=${err ? "err-promo" : nothing}
        @input=${(e: Event) => {
          state.promoDraft = (e.target as HTMLInputElement).value;
          if (state.fieldErrors["promo"]) {
            delete state.fieldErrors["promo"];
            changed();
          }
        }}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === "Enter") void applyPromo();
        }}
      />
      <button class="secondary" data-testid="promo-apply" @click=${applyPromo}>${t("promo.apply")}</button>
    </div>
    ${fieldError("promo")}
    ${cart.promo_codes.length
      ? html`<div class="chips">
          ${cart.promo_codes.map((c) => html`<span class="chip" data-testid=${`promo-chip-${c}`}>${c}</span>`)}
          <button class="link" data-testid="promo-clear" @click=${clearPromos}>${t("promo.clear")}</button>
        </div>`
      : nothing}
  </section>`;
}
