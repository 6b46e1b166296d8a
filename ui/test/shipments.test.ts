// Shipments: showing one asks the backend for its step (availability, an only choice
// pre-selected in Rust); windows and pickup options are choices; a slot is shown booked only
// when the merchant confirms it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AvailabilityView, CartView } from "../src/bindings";
import { boot } from "../src/session";
import { byTestId, called, flush, LUMA, on, readyCart, setup, shipment, teardown, usd } from "./fixtures";

beforeEach(setup);
afterEach(teardown);

function availability(extra: Partial<AvailabilityView> = {}): AvailabilityView {
  return { shipment_id: "s1", fulfillment_type: "SCHEDULED_DELIVERY", dates: [], locations: [], methods: [], windows: [], pickup_options: [], chosen_window: null, chosen_pickup_option: null, ...extra };
}

const location = (id: string, available = true) => ({
  location_id: id,
  name: `Store ${id}`,
  address: "1 Main St",
  phone: null,
  hours: [],
  distance: null,
  available,
  dates: [],
});

describe("shipments", () => {
  it("a pickup shipment asks the backend for its step once, and shows the stores it answers", async () => {
    const c: CartView = readyCart(1, {
      shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "IN_STORE_PICKUP" })],
      blockers: [{ kind: "shipment_location", shipment_id: "s1" }],
    });
    on("get_cart", () => c);
    on("prepare_shipment", () => ({
      cart: c,
      availability: availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2", false)] }),
    }));
    await boot();
    await flush();
    expect(called("prepare_shipment")).toHaveLength(1);
    expect(called("prepare_shipment")[0].args).toEqual({ domain: LUMA, shipmentId: "s1" });
    // The rule that pre-selects an only choice lives in Rust: the UI sends nothing else.
    expect(called("set_fulfillment")).toHaveLength(0);
    expect(called("set_shipment_method")).toHaveLength(0);
    expect(byTestId("pickup-location-L1")).not.toBeNull();
    expect(byTestId<HTMLInputElement>("pickup-location-L2")?.disabled).toBe(true);
  });

  it("choosing a store sends the shipment's kind, never a rewritten id, and shows the step's answer", async () => {
    let c: CartView = readyCart(1, {
      shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "IN_STORE_PICKUP" })],
    });
    const avail = availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2")] });
    on("get_cart", () => c);
    on("prepare_shipment", () => ({ cart: c, availability: avail }));
    on("set_fulfillment", (a) => {
      c = readyCart(1, {
        shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "IN_STORE_PICKUP", selected_location: location(String(a.locationId)), selected_method: "IN_STORE_PICKUP" })],
      });
      return { cart: c, availability: avail };
    });
    await boot();
    await flush();
    byTestId<HTMLInputElement>("pickup-location-L2")!.click();
    await flush();
    expect(called("set_fulfillment")[0].args).toEqual({ domain: LUMA, shipmentId: "s1", kind: "PICKUP_IN_STORE", locationId: "L2" });
    expect(byTestId<HTMLInputElement>("pickup-location-L2")?.checked).toBe(true);
  });

  it("a shipment with a single shipping method is prepared by the backend without a click", async () => {
    const methods = [{ id: "ground", description: "Ground", price: usd("5.00"), estimated_delivery: null }];
    const before = readyCart(1, { shipments: [shipment({ methods })], blockers: [{ kind: "shipment_method", shipment_id: "s1" }] });
    const after = readyCart(1, { shipments: [shipment({ methods, selected_method: "ground" })] });
    on("get_cart", () => before);
    on("prepare_shipment", () => ({ cart: after, availability: null }));
    await boot();
    await flush();
    expect(called("prepare_shipment")).toHaveLength(1);
    expect(called("set_shipment_method")).toHaveLength(0);
    expect(byTestId<HTMLInputElement>("shipping-method-ground")?.checked).toBe(true);
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(false);
  });

  it("a delivery window and a pickup option are chosen end to end", async () => {
    const c = readyCart(1, { shipments: [shipment({ fulfillment_type: "SCHEDULED_DELIVERY", fulfillment_id: "SCHEDULED_DELIVERY" })] });
    const windows = [{ window_id: "w1", name: "Premium week", description: null, price: usd("30.00"), start_date: "2026-12-10", end_date: "2026-12-16" }];
    on("get_cart", () => c);
    on("prepare_shipment", () => ({ cart: c, availability: availability({ windows }) }));
    on("choose_delivery_window", (a) => ({ cart: c, availability: availability({ windows, chosen_window: a.windowId as string }) }));
    await boot();
    await flush();
    expect(byTestId<HTMLInputElement>("delivery-window-any-s1")?.checked).toBe(true);
    byTestId<HTMLInputElement>("delivery-window-w1")!.click();
    await flush();
    expect(called("choose_delivery_window")[0].args).toEqual({ domain: LUMA, shipmentId: "s1", windowId: "w1" });
    expect(byTestId<HTMLInputElement>("delivery-window-w1")?.checked).toBe(true);
  });

  it("a pickup option is a choice, with its instructions", async () => {
    const c = readyCart(1, { shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "PICKUP_IN_STORE" })] });
    const options = [
      { option_id: "curbside", name: "Curbside", description: null, instructions: "Park in bay 3" },
      { option_id: "in-store", name: "In store", description: null, instructions: null },
    ];
    on("get_cart", () => c);
    on("prepare_shipment", () => ({ cart: c, availability: availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2")], pickup_options: options }) }));
    on("choose_pickup_option", (a) => ({
      cart: c,
      availability: availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2")], pickup_options: options, chosen_pickup_option: a.optionId as string }),
    }));
    await boot();
    await flush();
    expect(byTestId("pickup-option-curbside")?.parentElement?.textContent).toContain("Park in bay 3");
    byTestId<HTMLInputElement>("pickup-option-curbside")!.click();
    await flush();
    expect(called("choose_pickup_option")[0].args).toEqual({ domain: LUMA, shipmentId: "s1", optionId: "curbside" });
    expect(byTestId<HTMLInputElement>("pickup-option-curbside")?.checked).toBe(true);
  });

  it("a slot is booked only when the cart confirms it; an unconfirmed one is said so", async () => {
    const slot = { slot_id: "t9", start: "09:00", end: "11:00", description: null, available: true, price: null };
    const c = readyCart(1, {
      shipments: [
        shipment({ shipment_id: "s1", fulfillment_type: "SCHEDULED_DELIVERY", fulfillment_id: "SCHEDULED_DELIVERY", selected_method: "m1", selected_date: "2026-12-03", unconfirmed_slot: "t9" }),
      ],
    });
    on("get_cart", () => c);
    on("prepare_shipment", () => ({ cart: c, availability: availability({ dates: [{ date: "2026-12-03", description: null, slots: [slot] }] }) }));
    await boot();
    await flush();
    expect(byTestId("slot-option-t9")?.getAttribute("aria-pressed")).toBe("false");
    expect(byTestId("slot-unconfirmed-s1")).not.toBeNull();
    expect(byTestId("slot-booked-s1")).toBeNull();
  });

  it("names the fulfillment type from the catalog and keys its option by the API's id", async () => {
    on("get_cart", () =>
      readyCart(1, {
        shipments: [
          shipment({
            fulfillment_options: [
              { kind: "SHIP_TO_ADDRESS", id: "SHIP_TO_ADDRESS", name: "Ship it!!", description: null },
              { kind: "PICKUP_IN_STORE", id: "IN_STORE_PICKUP", name: null, description: null },
              { kind: "OTHER", id: "LOCKER", name: "Parcel locker", description: null },
            ],
          }),
        ],
      }),
    );
    await boot();
    await flush();
    expect(byTestId<HTMLInputElement>("fulfillment-option-SHIP_TO_ADDRESS")?.checked).toBe(true);
    expect(byTestId("fulfillment-option-IN_STORE_PICKUP")?.parentElement?.textContent).toContain("Pick up in store");
    expect(byTestId("fulfillment-option-LOCKER")?.parentElement?.textContent).toContain("Parcel locker");
    expect(byTestId("shipment-s1")?.textContent).toContain("Ship to address");
    expect(byTestId("shipment-s1")?.textContent).not.toContain("Ship it!!");
  });
});
