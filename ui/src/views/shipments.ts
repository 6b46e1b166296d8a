// One card per shipment: its fulfillment type in words, items, cost, the type choice, and
// what the type needs — dates and slots (scheduled), stores with their dates (pickup),
// methods and notes. Availability loads by itself when such a shipment is shown.
import { html, nothing } from "lit-html";
import { guard } from "lit-html/directives/guard.js";
import type { AvailabilityView, AvailableDateView, CartView, ShipmentView } from "../bindings";
import { state, changed } from "../state";
import { chooseWindow, choosePickupOption, loadAvailability, needsAvailability, setFulfillment, setMethod } from "../actions";
import { shipKey } from "../core";
import { day, formatPhone, hoursRows, isZero, money, slotText } from "../format";
import { lang, t } from "../i18n";
import { fulfillmentName } from "../messages";
import { calendar, monthOf } from "./calendar";

function priceText(p: ShipmentView["cost"]): string {
  return isZero(p) ? t("price.free") : money(p);
}

/**
 * What showing a shipment starts: loading its dates and stores, or pre-selecting its only
 * method. Run on every render of the cart (outside the card's memo), as before.
 */
export function shipmentEffects(cart: CartView, sh: ShipmentView): void {
  const sid = sh.shipment_id;
  const key = shipKey(cart.domain, sid);
  const needs = needsAvailability(sh) || (!sh.selected_method && sh.methods.length === 1);
  // Once per shipment, type and store: the backend pre-selects an only choice once, too.
  const sig = `${sh.fulfillment_id}|${sh.selected_location?.location_id ?? ""}`;
  if (needs && !state.availabilityLoading[key] && state.prepared[key] !== sig) {
    state.prepared[key] = sig;
    if (!state.availability[key] || !needsAvailability(sh)) queueMicrotask(() => void loadAvailability(sid));
  }
}

/**
 * One shipment's card, re-evaluated only when something it shows changed: the shipment, its
 * items' pictures and titles (not their quantities or prices), its availability, what was
 * typed or picked for it, the language.
 */
export function shipmentCard(cart: CartView, sh: ShipmentView, index: number) {
  const items = cart.line_items.filter((li) => sh.line_item_ids.includes(li.line_item_id));
  const key = shipKey(cart.domain, sh.shipment_id);
  return guard(
    [
      lang(),
      cart.domain,
      sh,
      index,
      state.availability[key],
      state.availabilityLoading[key],
      state.notesDraft[key],
      state.pendingDate[key],
      state.calendarMonth[key],
      ...items.flatMap((li) => [li.title, li.image_url]),
    ],
    () => card(cart, sh, index, items),
  );
}

function card(cart: CartView, sh: ShipmentView, index: number, items: CartView["line_items"]) {
  const sid = sh.shipment_id;
  const key = shipKey(cart.domain, sid);
  const avail = state.availability[key];
  const loading = state.availabilityLoading[key];
  const current = sh.fulfillment_options.find((o) => o.id === sh.fulfillment_id);
  const name = fulfillmentName(sh.fulfillment_type, current?.name ?? null, sh.fulfillment_id);
  const title = t("ship.title", { n: index + 1, name });
  return html`<section class="shipment" id=${`shipment-${sid}`} tabindex="-1" data-testid=${`shipment-${sid}`} aria-label=${title}>
    <header>
      <strong>${title}</strong>
      <span class="ship-cost">${sh.cost ? priceText(sh.cost) : ""}</span>
    </header>
    <div class="ship-items">
      ${items.map(
        (li) =>
          html`<span class="ship-item"
            >${li.image_url ? html`<img src=${li.image_url} alt="" width="28" height="28" />` : nothing}${li.title}</span
          >`,
      )}
    </div>
    ${sh.fulfillment_options.length > 1
      ? html`<fieldset class="radios">
          <legend>${t("ship.how")}</legend>
          ${sh.fulfillment_options.map(
            (o) => html`<label class="radio">
              <input
                type="radio"
                name=${`ft-${sid}`}
                data-testid=${`fulfillment-option-${o.id}`}
                .checked=${o.id === sh.fulfillment_id}
                @change=${() => setFulfillment(sid, o.kind, null)}
              />
              <span
                >${fulfillmentName(o.kind, o.name, o.id)}${o.description ? html`<small class="muted"> — ${o.description}</small>` : nothing}</span
              >
            </label>`,
          )}
        </fieldset>`
      : nothing}
    ${needsAvailability(sh) && !avail ? availabilityStatus(sid, loading) : nothing}
    ${sh.fulfillment_type === "SCHEDULED_DELIVERY" && avail ? scheduled(cart, sh, avail) : nothing}
    ${sh.fulfillment_type === "PICKUP_IN_STORE" && avail ? pickup(cart, sh, avail) : nothing}
    ${methods(sh)} ${booked(sh)}
    <label for=${`notes-${sid}`}>${t("ship.notes")}</label>
    <textarea
      id=${`notes-${sid}`}
      data-testid="shipment-notes"
      rows="2"
      .value=${state.notesDraft[key] ?? sh.notes ?? ""}
      @input=${(e: Event) => {
        state.notesDraft[key] = (e.target as HTMLTextAreaElement).value;
      }}
      @change=${() => {
        if (sh.selected_method) void setMethod(sid, sh.selected_method, sh.selected_date, sh.selected_slot?.slot_id ?? null);
      }}
    ></textarea>
  </section>`;
}

function availabilityStatus(sid: string, loading: "loading" | "failed" | undefined) {
  if (loading === "failed") {
    return html`<p class="notice warning">
      ${t("ship.availabilityFailed")}
      <button class="link" data-testid=${`availability-retry-${sid}`} @click=${() => loadAvailability(sid, true)}>
        ${t("app.retry")}
      </button>
    </p>`;
  }
  return html`<p class="muted" role="status" data-testid=${`availability-loading-${sid}`}>${t("ship.loadingDates")}</p>`;
}

/** The booked slot comes only from the merchant's cart; a slot it did not echo is said so. */
function booked(sh: ShipmentView) {
  const sid = sh.shipment_id;
  return html`${sh.selected_slot
    ? html`<p class="booked" data-testid=${`slot-booked-${sid}`}>
        ${t("ship.slotBooked", {
          date: sh.selected_date ? day(sh.selected_date) : "",
          slot: slotText(sh.selected_slot),
        })}
      </p>`
    : nothing}
  ${sh.unconfirmed_slot
    ? html`<p class="notice warning" role="status" data-testid=${`slot-unconfirmed-${sid}`}>${t("ship.slotUnconfirmed")}</p>`
    : nothing}`;
}

function methods(sh: ShipmentView) {
  if (!sh.methods.length) return nothing;
  const sid = sh.shipment_id;
  return html`<fieldset class="radios" id=${`methods-${sid}`}>
    <legend>${sh.fulfillment_type === "PICKUP_IN_STORE" ? t("ship.pickupOption") : t("ship.service")}</legend>
    ${sh.methods.map(
      (m) => html`<label class="radio">
        <input
          type="radio"
          name=${`method-${sid}`}
          data-testid=${`shipping-method-${m.id}`}
          .checked=${m.id === sh.selected_method}
          @change=${() => setMethod(sid, m.id, sh.selected_date, sh.selected_slot?.slot_id ?? null)}
        />
        <span
          >${m.description} <strong>${priceText(m.price)}</strong>${m.estimated_delivery
            ? html`<small class="muted"> · ${m.estimated_delivery}</small>`
            : nothing}</span
        >
      </label>`,
    )}
  </fieldset>`;
}

/** A date picker and the chosen date's slots, for a scheduled delivery or a pickup store. */
function datesAndSlots(cart: CartView, sh: ShipmentView, dates: AvailableDateView[], method: string | null) {
  const sid = sh.shipment_id;
  const key = shipKey(cart.domain, sid);
  if (!dates.length) return nothing;
  const available = new Set(dates.filter((d) => !d.slots.length || d.slots.some((s) => s.available)).map((d) => d.date));
  const selected = state.pendingDate[key] ?? sh.selected_date ?? null;
  const month = state.calendarMonth[key] ?? monthOf(selected ?? dates[0]?.date ?? new Date().toISOString());
  const chosen = dates.find((d) => d.date === selected);
  return html`<div class="cal-wrap" id=${`cal-${sid}`}>${calendar({
      id: `cal-${sid}`,
      month,
      available,
      selected,
      onPick: (d) => {
        state.pendingDate[key] = d;
        changed();
        const slots = dates.find((x) => x.date === d)?.slots ?? [];
        if (!slots.length && method) void setMethod(sid, method, d, null);
      },
      onMonth: (m) => {
        state.calendarMonth[key] = m;
        changed();
      },
    })}</div>
    ${chosen?.description ? html`<p class="muted">${chosen.description}</p>` : nothing}
    ${chosen && chosen.slots.length
      ? html`<div class="slots" role="group" aria-label=${t("ship.slots")}>
          ${chosen.slots.map((s) => {
            const isBooked = sh.selected_slot?.slot_id === s.slot_id && sh.selected_date === chosen.date;
            return html`<button
              class="slot ${isBooked ? "selected" : ""} ${sh.unconfirmed_slot === s.slot_id ? "requested" : ""}"
              data-testid=${`slot-option-${s.slot_id}`}
              ?disabled=${!s.available || !method}
              aria-pressed=${isBooked ? "true" : "false"}
              @click=${() => method && setMethod(sid, method, chosen.date, s.slot_id)}
            >
              <span>${slotText(s)}</span>
              <small>${s.available ? (s.price && !isZero(s.price) ? `+${money(s.price)}` : t("price.free")) : t("ship.unavailable")}</small>
            </button>`;
          })}
        </div>`
      : nothing}`;
}

function methodFor(sh: ShipmentView, avail: AvailabilityView): string | null {
  return sh.selected_method ?? sh.methods[0]?.id ?? avail.methods[0]?.id ?? null;
}

function scheduled(cart: CartView, sh: ShipmentView, avail: AvailabilityView) {
  return html`<div class="scheduled">
    ${datesAndSlots(cart, sh, avail.dates, methodFor(sh, avail))}
    ${avail.windows.length
      ? html`<fieldset class="radios windows">
          <legend>${t("ship.windows")}</legend>
          <label class="radio">
            <input
              type="radio"
              name=${`win-${sh.shipment_id}`}
              data-testid=${`delivery-window-any-${sh.shipment_id}`}
              .checked=${!avail.chosen_window}
              @change=${() => chooseWindow(sh.shipment_id, null)}
            />
            <span>${t("ship.anyWindow")}</span>
          </label>
          ${avail.windows.map(
            (w) => html`<label class="radio">
              <input
                type="radio"
                name=${`win-${sh.shipment_id}`}
                data-testid=${`delivery-window-${w.window_id}`}
                .checked=${avail.chosen_window === w.window_id}
                @change=${() => chooseWindow(sh.shipment_id, w.window_id)}
              />
              <span>
                <strong>${w.name ?? t("ship.window")}</strong>
                ${w.start_date ? html` · ${day(w.start_date)}${w.end_date && w.end_date !== w.start_date ? html`–${day(w.end_date)}` : nothing}` : nothing}
                ${w.price ? html` · ${priceText(w.price)}` : nothing}
                ${w.description ? html`<br /><small class="muted">${w.description}</small>` : nothing}
              </span>
            </label>`,
          )}
        </fieldset>`
      : nothing}
  </div>`;
}

function pickup(cart: CartView, sh: ShipmentView, avail: AvailabilityView) {
  const sid = sh.shipment_id;
  const chosenId = sh.selected_location?.location_id ?? null;
  const chosen = avail.locations.find((l) => l.location_id === chosenId) ?? sh.selected_location;
  const dates = chosen?.dates.length ? chosen.dates : [];
  return html`<fieldset class="radios locations" id=${`locations-${sid}`}>
      <legend>${t("ship.pickupLocation")}</legend>
      ${avail.locations.length ? nothing : html`<p class="muted">${t("ship.noLocations")}</p>`}
      ${avail.locations.map(
        (l) => html`<div class="location">
          <label class="radio">
            <input
              type="radio"
              name=${`loc-${sid}`}
              data-testid=${`pickup-location-${l.location_id}`}
              .checked=${chosenId === l.location_id}
              ?disabled=${!l.available}
              aria-describedby=${l.hours.length ? `hours-${sid}-${l.location_id}` : nothing}
              @change=${() => setFulfillment(sid, sh.fulfillment_type, l.location_id)}
            />
            <span>
              <strong>${l.name}</strong>${l.distance ? html` <small class="muted">${l.distance}</small>` : nothing}<br />
              <small>${l.address}</small>
              ${l.phone ? html`<br /><small data-testid=${`pickup-phone-${l.location_id}`}>${formatPhone(l.phone)}</small>` : nothing}
              ${l.available ? nothing : html`<br /><small class="muted">${t("ship.unavailable")}</small>`}
            </span>
          </label>
          ${l.hours.length ? hoursTable(`hours-${sid}-${l.location_id}`, l.location_id, l.hours) : nothing}
        </div>`,
      )}
    </fieldset>
    ${chosen && dates.length
      ? html`<div class="pickup-dates">
          <h4>${t("ship.pickupDates", { store: chosen.name })}</h4>
          ${datesAndSlots(cart, sh, dates, methodFor(sh, avail))}
        </div>`
      : nothing}
    ${avail.pickup_options.length
      ? html`<fieldset class="radios pickup-options">
          <legend>${t("ship.handover")}</legend>
          ${avail.pickup_options.map(
            (p) => html`<label class="radio">
              <input
                type="radio"
                name=${`handover-${sid}`}
                data-testid=${`pickup-option-${p.option_id}`}
                .checked=${(avail.chosen_pickup_option ?? sh.pickup_option?.option_id) === p.option_id}
                @change=${() => choosePickupOption(sid, p.option_id)}
              />
              <span>
                <strong>${p.name ?? p.option_id}</strong>
                ${p.description ? html` — ${p.description}` : nothing}
                ${p.instructions ? html`<br /><small class="muted">${p.instructions}</small>` : nothing}
              </span>
            </label>`,
          )}
        </fieldset>`
      : nothing}`;
}

/** A store's opening hours as a table: days (joined when the hours repeat) and their hours. */
function hoursTable(id: string, locationId: string, hours: string[]) {
  return html`<table class="hours" id=${id} data-testid=${`pickup-hours-${locationId}`}>
    <caption class="sr-only">
      ${t("ship.hours")}
    </caption>
    <tbody>
      ${hoursRows(hours).map(
        (r) => html`<tr>
          <th scope="row">${r.days}</th>
          <td>${/^closed$/i.test(r.hours) ? t("ship.closed") : r.hours}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}
