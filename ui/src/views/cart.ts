// Middle column: the selected merchant's cart — line items, one card per shipment,
// the addons panel and promo codes.
import { html, nothing } from "lit-html";
import type { AddonView, CartView, ShipmentView } from "../bindings";
import { state, changed } from "../state";
import {
  applyPromo,
  clearCart,
  clearPromos,
  loadAvailability,
  removeAddon,
  selectAddon,
  setFulfillment,
  setMethod,
  setQuantity,
} from "../actions";
import { isZero, money, plural } from "../format";
import { calendar, monthOf } from "./calendar";

const calendarMonth: Record<string, string> = {};
const pendingDate: Record<string, string> = {};

export function cartColumn() {
  const cart = state.carts[state.selected];
  if (!cart) return html`<main class="col cart" id="main"><p class="muted">Choose a merchant.</p></main>`;
  return html`<main class="col cart" id="main" aria-labelledby="cart-h">
    <div class="cart-head">
      <h2 id="cart-h">${cart.display_name} cart</h2>
      <span class="muted">${plural(cart.item_count, "item", "items")}</span>
      ${cart.line_items.length
        ? html`<button class="link" data-testid="clear-cart" @click=${clearCart}>Clear cart</button>`
        : nothing}
    </div>
    ${cart.notices.map(
      (n) => html`<p class="notice ${n.severity}" data-testid=${`notice-${n.code}`}>${n.message}</p>`,
    )}
    ${cart.line_items.length === 0
      ? html`<p class="empty" data-testid="cart-empty">This cart is empty. Pick a product from the catalog.</p>`
      : html`<ul class="line-items" role="list">${cart.line_items.map((li) => lineItem(cart, li))}</ul>`}
    ${cart.shipments.length ? html`<h3>Delivery</h3>${cart.shipments.map((s, i) => shipmentCard(cart, s, i))}` : nothing}
    ${cart.addons.length ? addonsPanel(cart) : nothing}
    ${cart.line_items.length ? promoPanel(cart) : nothing}
  </main>`;
}

function lineItem(cart: CartView, li: CartView["line_items"][number]) {
  const id = li.line_item_id;
  return html`<li class="line-item" data-testid=${`line-item-${id}`}>
    ${li.image_url ? html`<img src=${li.image_url} alt="" width="56" height="56" />` : html`<span class="thumb"></span>`}
    <div class="li-main">
      <div class="li-title">${li.title}</div>
      ${li.variant ? html`<div class="muted">${li.variant}</div>` : nothing}
      <div class="muted">${money(li.unit_price)} each</div>
      ${li.discounts.map(
        (d) => html`<div class="discount">${d.code}${d.amount ? html` −${money(d.amount)}` : nothing}</div>`,
      )}
      ${li.notices.map(
        (n) => html`<p class="notice ${n.severity}" data-testid=${`notice-${n.code}`}>${n.message}</p>`,
      )}
    </div>
    <div class="qty" role="group" aria-label=${`Quantity of ${li.title}`}>
      <button class="icon" data-testid=${`qty-decrease-${id}`} aria-label=${`Decrease quantity of ${li.title}`} @click=${() => setQuantity(id, li.quantity - 1)}>−</button>
      <span aria-live="polite">${li.quantity}</span>
      <button class="icon" data-testid=${`qty-increase-${id}`} aria-label=${`Increase quantity of ${li.title}`} @click=${() => setQuantity(id, li.quantity + 1)}>+</button>
    </div>
    <div class="li-price">${money(li.line_price)}</div>
    <button class="link" data-testid=${`remove-${id}`} aria-label=${`Remove ${li.title}`} @click=${() => setQuantity(id, 0)}>Remove</button>
  </li>`;
  void cart;
}

function shipmentCard(cart: CartView, sh: ShipmentView, index: number) {
  const items = cart.line_items.filter((li) => sh.line_item_ids.includes(li.line_item_id));
  const sid = sh.shipment_id;
  const avail = state.availability[sid];
  const groupName = `ft-${sid}`;
  return html`<section class="shipment" data-testid=${`shipment-${sid}`} aria-label=${`Shipment ${index + 1}: ${sh.label}`}>
    <header>
      <strong>Shipment ${index + 1}: ${sh.label}</strong>
      <span class="ship-cost">${sh.cost ? (isZero(sh.cost) ? "Free" : money(sh.cost)) : ""}</span>
    </header>
    <div class="ship-items">
      ${items.map(
        (li) => html`<span class="ship-item">${li.image_url ? html`<img src=${li.image_url} alt="" width="28" height="28" />` : nothing}${li.title}</span>`,
      )}
    </div>
    ${sh.fulfillment_options.length > 1
      ? html`<fieldset class="radios">
          <legend>How to get it</legend>
          ${sh.fulfillment_options.map(
            (o) => html`<label class="radio">
              <input
                type="radio"
                name=${groupName}
                data-testid=${`fulfillment-option-${o.id}`}
                .checked=${o.id === sh.fulfillment_type}
                @change=${() => setFulfillment(sid, o.id, null)}
              />
              <span>${o.name}${o.description ? html`<small class="muted"> — ${o.description}</small>` : nothing}</span>
            </label>`,
          )}
        </fieldset>`
      : nothing}
    ${sh.fulfillment_type === "SCHEDULED_DELIVERY" ? scheduled(sh, avail) : nothing}
    ${sh.fulfillment_type === "PICKUP_IN_STORE" ? pickup(sh, avail) : nothing}
    ${methods(sh)}
    <label for=${`notes-${sid}`}>Delivery notes</label>
    <textarea
      id=${`notes-${sid}`}
      data-testid="shipment-notes"
      rows="2"
      .value=${state.notesDraft[sid] ?? sh.notes ?? ""}
      @input=${(e: Event) => {
        state.notesDraft[sid] = (e.target as HTMLTextAreaElement).value;
      }}
      @change=${() => {
        if (sh.selected_method) void setMethod(sid, sh.selected_method, sh.selected_date, sh.selected_slot?.slot_id ?? null);
      }}
    ></textarea>
    ${sh.missing ? html`<p class="hint" data-testid=${`shipment-missing-${sid}`}>${sh.missing}</p>` : nothing}
  </section>`;
}

function methods(sh: ShipmentView) {
  if (!sh.methods.length) return nothing;
  const sid = sh.shipment_id;
  return html`<fieldset class="radios">
    <legend>${sh.fulfillment_type === "PICKUP_IN_STORE" ? "Pickup option" : "Service"}</legend>
    ${sh.methods.map(
      (m) => html`<label class="radio">
        <input
          type="radio"
          name=${`method-${sid}`}
          data-testid=${`shipping-method-${m.id}`}
          .checked=${m.id === sh.selected_method}
          @change=${() => setMethod(sid, m.id, sh.selected_date ?? pendingDate[sid] ?? null, sh.selected_slot?.slot_id ?? null)}
        />
        <span>${m.description} <strong>${isZero(m.price) ? "Free" : money(m.price)}</strong>${m.estimated_delivery ? html`<small class="muted"> · ${m.estimated_delivery}</small>` : nothing}</span>
      </label>`,
    )}
  </fieldset>`;
}

function scheduled(sh: ShipmentView, avail: typeof state.availability[string] | undefined) {
  const sid = sh.shipment_id;
  if (!avail) {
    return html`<button class="secondary" data-testid=${`load-availability-${sid}`} @click=${() => loadAvailability(sid)}>Show delivery dates</button>`;
  }
  const dates = new Set(avail.dates.map((d) => d.date));
  const selected = pendingDate[sid] ?? sh.selected_date ?? null;
  const month = calendarMonth[sid] ?? monthOf(selected ?? avail.dates[0]?.date ?? new Date().toISOString());
  const day = avail.dates.find((d) => d.date === selected);
  const method = sh.selected_method ?? sh.methods[0]?.id ?? "";
  return html`<div class="scheduled">
    ${calendar({
      id: `cal-${sid}`,
      month,
      available: dates,
      selected,
      onPick: (d) => {
        pendingDate[sid] = d;
        changed();
        const slots = avail.dates.find((x) => x.date === d)?.slots ?? [];
        if (!slots.length && method) void setMethod(sid, method, d, null);
      },
      onMonth: (m) => {
        calendarMonth[sid] = m;
        changed();
      },
    })}
    ${day && day.slots.length
      ? html`<div class="slots" role="group" aria-label="Time slots">
          ${day.slots.map(
            (t) => html`<button
              class="slot ${sh.selected_slot?.slot_id === t.slot_id ? "selected" : ""}"
              data-testid=${`slot-option-${t.slot_id}`}
              ?disabled=${!t.available}
              aria-pressed=${sh.selected_slot?.slot_id === t.slot_id ? "true" : "false"}
              @click=${() => setMethod(sid, method, day.date, t.slot_id)}
            >
              <span>${t.start}–${t.end}</span>
              ${t.description ? html`<small>${t.description}</small>` : nothing}
              <small>${t.available ? (t.price ? `+${money(t.price)}` : "Free") : "Unavailable"}</small>
            </button>`,
          )}
        </div>`
      : nothing}
  </div>`;
}

function pickup(sh: ShipmentView, avail: typeof state.availability[string] | undefined) {
  const sid = sh.shipment_id;
  if (!avail) {
    return html`<button class="secondary" data-testid=${`load-availability-${sid}`} @click=${() => loadAvailability(sid)}>Show pickup locations</button>`;
  }
  return html`<fieldset class="radios locations">
    <legend>Pickup location</legend>
    ${avail.locations.map(
      (l) => html`<label class="radio location">
        <input
          type="radio"
          name=${`loc-${sid}`}
          data-testid=${`pickup-location-${l.location_id}`}
          .checked=${sh.selected_location?.location_id === l.location_id}
          ?disabled=${!l.available}
          @change=${() => setFulfillment(sid, "PICKUP_IN_STORE", l.location_id)}
        />
        <span>
          <strong>${l.name}</strong>${l.distance ? html` <small class="muted">${l.distance}</small>` : nothing}<br />
          <small>${l.address}</small>
          ${l.phone ? html`<br /><small>${l.phone}</small>` : nothing}
          ${l.hours.length ? html`<br /><small class="muted">${l.hours.join(" · ")}</small>` : nothing}
        </span>
      </label>`,
    )}
  </fieldset>`;
}

function addonsPanel(cart: CartView) {
  return html`<section class="addons" data-testid="addons-panel" aria-labelledby="addons-h">
    <h3 id="addons-h">Protection and services</h3>
    ${cart.addons.map((a) => addon(a))}
  </section>`;
}

function selectedItems(a: AddonView): string[] {
  return a.items.filter((i) => i.selected).map((i) => i.line_item_id);
}

function addon(a: AddonView) {
  const reason = a.disabled_reason;
  const hint = reason ? html`<p class="why-not" id=${`why-${a.addon_id}`}>${reason}</p>` : nothing;
  const header = html`<div class="addon-head">
    <strong>${a.name}</strong>
    ${a.price ? html`<span>${money(a.price)}${a.coverage_mode === "PER_ITEM" ? " per item" : ""}</span>` : nothing}
    ${a.selected_price ? html`<span class="muted">Selected: ${money(a.selected_price)}</span>` : nothing}
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
      ${hint}
    </div>`;
  }
  if (a.coverage_mode === "FREE_GROUPING") {
    const items = selectedItems(a);
    const children = a.children.filter((c) => c.selected).map((c) => c.addon_id);
    return html`<div class="addon" data-addon=${a.addon_id}>
      ${header}
      <fieldset>
        <legend>Items to cover</legend>
        ${a.items.map(
          (i) => html`<label class="check">
            <input
              type="checkbox"
              data-testid=${`addon-${a.addon_id}-item-${i.line_item_id}`}
              .checked=${i.selected}
              ?disabled=${!!reason && !a.selected}
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
            <legend>Options</legend>
            ${a.children.map((c) => {
              const exclusive = !!c.exclusive_group_id;
              return html`<label class=${exclusive ? "radio" : "check"}>
                <input
                  type=${exclusive ? "radio" : "checkbox"}
                  name=${exclusive ? `child-${a.addon_id}-${c.exclusive_group_id}` : nothing}
                  data-testid=${`addon-${a.addon_id}-child-${c.addon_id}`}
                  .checked=${c.selected}
                  ?disabled=${!items.length || (!!c.disabled_reason && !exclusive)}
                  aria-describedby=${c.disabled_reason ? `why-${c.addon_id}` : nothing}
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
              ${c.disabled_reason && !exclusive ? html`<p class="why-not" id=${`why-${c.addon_id}`}>${c.disabled_reason}</p>` : nothing}`;
            })}
            ${!items.length ? html`<p class="why-not">Choose the items to cover first.</p>` : nothing}
          </fieldset>`
        : nothing}
      ${hint}
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
    ${a.scope !== "CART" && a.items.length
      ? html`<p class="muted">Covers: ${a.items.map((i) => i.title).join(", ")}</p>`
      : nothing}
    ${hint}
  </div>`;
}

function promoPanel(cart: CartView) {
  const err = state.fieldErrors["promo"];
  return html`<section class="promo" aria-labelledby="promo-h">
    <h3 id="promo-h">Promo codes</h3>
    <div class="promo-row">
      <label class="sr-only" for="promo-input">Promo code</label>
      <input
        id="promo-input"
        data-testid="promo-input"
        placeholder="Promo code"
        .value=${state.promoDraft}
        aria-invalid=${err ? "true" : "false"}
        aria-describedby=${err ? "promo-error" : nothing}
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
      <button class="secondary" data-testid="promo-apply" @click=${applyPromo}>Apply</button>
    </div>
    ${err ? html`<p class="field-error" id="promo-error" data-testid="field-error-promo" role="alert">${err}</p>` : nothing}
    ${cart.promo_codes.length
      ? html`<div class="chips">
          ${cart.promo_codes.map((c) => html`<span class="chip" data-testid=${`promo-chip-${c}`}>${c}</span>`)}
          <button class="link" data-testid="promo-clear" @click=${clearPromos}>Clear codes</button>
        </div>`
      : nothing}
  </section>`;
}
