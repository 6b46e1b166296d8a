// One card per shipment: its fulfillment type in words, items, cost, the type choice, and
// what the type needs — dates and slots (scheduled), stores with their dates (pickup),
// methods and notes. Availability loads by itself when such a shipment is shown.
import { html, nothing } from "lit-html";
import type { AvailabilityView, AvailableDateView, CartView, ShipmentView } from "../bindings";
import { state, changed } from "../state";
import { chooseWindow, choosePickupOption, loadAvailability, needsAvailability, setFulfillment, setMethod } from "../actions";
import { shipKey } from "../core";
import { day, formatPhone, hoursRows, isZero, money, slotText } from "../format";
import { t } from "../i18n";
import { fulfillmentName } from "../messages";
import { calendar, monthOf } from "./calendar";
import { memo } from "./memo";

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
  return memo(card, {
    domain: cart.domain,
    sh,
    index,
    titles: items.map((li) => li.title),
    images: items.map((li) => li.image_url),
    avail: state.availability[key],
    loading: state.availabilityLoading[key],
    note: state.notesDraft[key],
    pendingDate: state.pendingDate[key],
    month: state.calendarMonth[key],
  });
}

/** What a shipment's card shows, read from the store by `shipmentCard`. */
interface CardProps {
  /** The merchant whose cart holds the shipment. */
  domain: string;
  sh: ShipmentView;
  /** Its place in the cart (the card's title counts from 1). */
  index: number;
  /** Its items' titles and pictures (not their quantities or prices: the card shows none). */
  titles: string[];
  images: (string | null)[];
  avail: AvailabilityView | undefined;
  /** Its availability is being read, or could not be. */
  loading: "loading" | "failed" | undefined;
  /** The notes as typed, not yet sent. */
  note: string | undefined;
  /** The date picked in the calendar, before a slot is chosen. */
  pendingDate: string | undefined;
  /** The month the calendar shows. */
  month: string | undefined;
}

function card(c: CardProps) {
  const { sh, avail, loading, titles, images } = c;
  const sid = sh.shipment_id;
  const key = shipKey(c.domain, sid);
  const current = sh.fulfillment_options.find((o) => o.id === sh.fulfillment_id);
  const name = fulfillmentName(sh.fulfillment_type, current?.name ?? null, sh.fulfillment_id);
  const title = t("ship.title", { n: c.index + 1, name });
  return html`<section class="shipment" id=${`shipment-${sid}`} tabindex="-1" data-testid=${`shipment-${sid}`} aria-label=${title}>
    <header>
      <strong>${title}</strong>
      <span class="ship-cost">${sh.cost ? priceText(sh.cost) : ""}</span>
    </header>
    <div class="ship-items">
      ${titles.map(
        (item, i) =>
          html`<span class="ship-item"
            >${images[i] ? html`<img src=${images[i]} alt="" width="28" height="28" />` : nothing}${item}</span
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
    ${sh.fulfillment_type === "SCHEDULED_DELIVERY" && avail ? scheduled(c, avail) : nothing}
    ${sh.fulfillment_type === "PICKUP_IN_STORE" && avail ? pickup(c, avail) : nothing}
    ${methods(sh)} ${booked(sh)}
    <label for=${`notes-${sid}`}>${t("ship.notes")}</label>
    <textarea
      id=${`notes-${sid}`}
      data-testid="shipment-notes"
      rows="2"
      .value=${c.note ?? sh.notes ?? ""}
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
function datesAndSlots(c: CardProps, dates: AvailableDateView[], method: string | null) {
  const sh = c.sh;
  const sid = sh.shipment_id;
  const key = shipKey(c.domain, sid);
  if (!dates.length) return nothing;
  const available = new Set(dates.filter((d) => !d.slots.length || d.slots.some((s) => s.available)).map((d) => d.date));
  const selected = c.pendingDate ?? sh.selected_date ?? null;
  const month = c.month ?? monthOf(selected ?? dates[0]?.date ?? new Date().toISOString());
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

function scheduled(c: CardProps, avail: AvailabilityView) {
  const sh = c.sh;
  return html`<div class="scheduled">
    ${datesAndSlots(c, avail.dates, methodFor(sh, avail))}
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

function pickup(c: CardProps, avail: AvailabilityView) {
  const sh = c.sh;
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
          ${datesAndSlots(c, dates, methodFor(sh, avail))}
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
