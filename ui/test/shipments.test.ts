// Shipments: availability loads by itself, an only choice is pre-selected by the same
// command a click sends, and a slot is shown booked only when the merchant confirms it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AvailabilityView, CartView } from "../src/bindings";
import { boot } from "../src/session";
import { byTestId, called, flush, LUMA, on, readyCart, setup, shipment, teardown, usd } from "./fixtures";

beforeEach(setup);
afterEach(teardown);

function availability(extra: Partial<AvailabilityView> = {}): AvailabilityView {
  return { shipment_id: "s1", fulfillment_type: "SCHEDULED_DELIVERY", dates: [], locations: [], methods: [], windows: [], pickup_options: [], ...extra };
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
  it("a pickup with a single open store chooses it by itself", async () => {
    let c: CartView = readyCart(1, {
      shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "IN_STORE_PICKUP" })],
      blockers: [{ kind: "shipment_location", shipment_id: "s1" }],
    });
    on("get_cart", () => c);
    on("get_availability", () => availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2", false)] }));
    on("set_fulfillment", (a) => {
      c = readyCart(1, { shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "IN_STORE_PICKUP", selected_location: location(String(a.locationId)) })] });
      return c;
    });
    await boot();
    await flush();
    expect(called("get_availability")[0]?.args).toEqual({ domain: LUMA, shipmentId: "s1" });
    expect(called("set_fulfillment")).toHaveLength(1);
    expect(called("set_fulfillment")[0].args).toEqual({ domain: LUMA, shipmentId: "s1", fulfillmentType: "IN_STORE_PICKUP", locationId: "L1" });
    expect(byTestId<HTMLInputElement>("pickup-location-L1")?.checked).toBe(true);
    expect(byTestId("load-availability-s1")).toBeNull();
  });

  it("a single method and a single date without slots are chosen by themselves", async () => {
    let c: CartView = readyCart(1, {
      shipments: [shipment({ fulfillment_type: "SCHEDULED_DELIVERY", fulfillment_id: "SCHEDULED_DELIVERY", methods: [{ id: "m1", description: "White glove", price: usd("20.00"), estimated_delivery: null }] })],
      blockers: [{ kind: "shipment_date", shipment_id: "s1" }],
    });
    on("get_cart", () => c);
    on("get_availability", () => availability({ dates: [{ date: "2026-12-03", description: null, slots: [] }] }));
    on("set_shipment_method", (a) => {
      const choice = a.choice as { shipping_method_id: string; selected_date: string | null };
      c = readyCart(1, {
        shipments: [shipment({ fulfillment_type: "SCHEDULED_DELIVERY", fulfillment_id: "SCHEDULED_DELIVERY", methods: c.shipments[0].methods, selected_method: choice.shipping_method_id, selected_date: choice.selected_date })],
        blockers: choice.selected_date ? [] : [{ kind: "shipment_date", shipment_id: "s1" }],
      });
      return c;
    });
    await boot();
    await flush();
    const sent = called("set_shipment_method").map((x) => x.args.choice);
    expect(sent.at(-1)).toMatchObject({ shipment_id: "s1", shipping_method_id: "m1", selected_date: "2026-12-03", time_slot_id: null });
    expect(sent.length).toBeLessThanOrEqual(2);
    expect(byTestId("date-option-2026-12-03")?.getAttribute("aria-pressed")).toBe("true");
  });

  it("a shipment with a single shipping method gets it without a click", async () => {
    const methods = [{ id: "ground", description: "Ground", price: usd("5.00"), estimated_delivery: null }];
    let c: CartView = readyCart(1, { shipments: [shipment({ methods })], blockers: [{ kind: "shipment_method", shipment_id: "s1" }] });
    on("get_cart", () => c);
    on("set_shipment_method", () => {
      c = readyCart(1, { shipments: [shipment({ methods, selected_method: "ground" })] });
      return c;
    });
    await boot();
    await flush();
    expect(called("set_shipment_method")).toHaveLength(1);
    expect(called("set_shipment_method")[0].args.choice).toMatchObject({ shipment_id: "s1", shipping_method_id: "ground" });
    expect(called("get_availability")).toHaveLength(0);
    expect(byTestId<HTMLInputElement>("shipping-method-ground")?.checked).toBe(true);
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(false);
  });

  it("several choices are left to the person", async () => {
    on("get_cart", () =>
      readyCart(1, { shipments: [shipment({ fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "PICKUP_IN_STORE" })] }),
    );
    on("get_availability", () => availability({ fulfillment_type: "PICKUP_IN_STORE", locations: [location("L1"), location("L2")], pickup_options: [{ option_id: "curbside", name: "Curbside", description: null, instructions: "Park in bay 3" }] }));
    await boot();
    await flush();
    expect(called("set_fulfillment")).toHaveLength(0);
    expect(byTestId("pickup-location-L2")).not.toBeNull();
    expect(byTestId("pickup-option-curbside")?.textContent).toContain("Park in bay 3");
  });

  it("a slot is booked only when the cart confirms it; an unconfirmed one is said so", async () => {
    const slot = { slot_id: "t9", start: "09:00", end: "11:00", description: null, available: true, price: null };
    on("get_cart", () =>
      readyCart(1, {
        shipments: [
          shipment({ shipment_id: "s1", fulfillment_type: "SCHEDULED_DELIVERY", fulfillment_id: "SCHEDULED_DELIVERY", selected_method: "m1", selected_date: "2026-12-03", unconfirmed_slot: "t9" }),
        ],
      }),
    );
    on("get_availability", () => availability({ dates: [{ date: "2026-12-03", description: null, slots: [slot] }], windows: [{ window_id: "w1", name: "Morning", description: null, price: null, start_date: "2026-12-03", end_date: null }] }));
    await boot();
    await flush();
    expect(byTestId("slot-option-t9")?.getAttribute("aria-pressed")).toBe("false");
    expect(byTestId("slot-unconfirmed-s1")).not.toBeNull();
    expect(byTestId("slot-booked-s1")).toBeNull();
    expect(byTestId("delivery-window-w1")?.textContent).toContain("Morning");
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
