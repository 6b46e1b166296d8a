// Rendering per view: a cart change re-evaluates only what shows that cart. `t` is counted
// (each view asks for its own words), so a view that was not re-evaluated asked for none.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { AddonView, CartView } from "../src/bindings";
import { boot, chooseLanguage } from "../src/session";
import { listenToBackend } from "../src/listen";
import { share } from "../src/core";
import { state } from "../src/state";
import { t } from "../src/i18n";
import { appInfo, byTestId, cart, flush, LUMA, on, readyCart, setup, shipment, teardown, usd } from "./fixtures";

vi.mock("../src/i18n", async (importOriginal) => {
  const real = await importOriginal<typeof import("../src/i18n")>();
  return { ...real, t: vi.fn(real.t) };
});

const asked = (key: string): number => vi.mocked(t).mock.calls.filter(([k]) => k === key).length;

function item(n: number, quantity = 1): CartView["line_items"][number] {
  return {
    line_item_id: `li-${n}`,
    sku: `SKU-${n}`,
    variant_id: `V-${n}`,
    title: `Item ${n}`,
    variant: null,
    quantity,
    unit_price: usd("10.00"),
    line_price: usd((10 * quantity).toFixed(2)),
    image_url: null,
    discounts: [],
    notices: [],
  };
}

function addon(n: number): AddonView {
  return {
    addon_id: `a-${n}`,
    name: `Protection ${n}`,
    description: null,
    scope: "CART",
    coverage_mode: null,
    price: usd("5.00"),
    items: [],
    exclusive_group_id: null,
    requires_addon_ids: [],
    children: [],
    selected: false,
    selected_price: null,
    disabled_reason: null,
  };
}

/** A cart of `n` line items (the second with `q2` pieces), two shipments and two addons. */
function bigCart(n: number, q2 = 1): CartView {
  const items = Array.from({ length: n }, (_, i) => item(i + 1, i === 1 ? q2 : 1));
  const total = (10 * (n - 1 + q2)).toFixed(2);
  return readyCart(1, {
    item_count: n - 1 + q2,
    line_items: items,
    shipments: [
      shipment({ shipment_id: "s1", line_item_ids: ["li-1"] }),
      shipment({ shipment_id: "s2", line_item_ids: items.slice(1).map((i) => i.line_item_id) }),
    ],
    addons: [addon(1), addon(2)],
    totals: { subtotal: usd(total), shipping: usd("0.00"), tax: usd("0.00"), addons: usd("0.00"), discount: usd("0.00"), total: usd(total) },
  });
}

let stop: () => void = () => undefined;
beforeEach(async () => {
  setup();
  stop = await listenToBackend();
});
afterEach(() => {
  stop();
  teardown();
});

async function bootWith(c: CartView, mode: "demo" | "agent" = "agent"): Promise<void> {
  on("app_info", () => appInfo({ mode }));
  on("get_hive", () => ({ carts: [c], total: [c.totals.total] }));
  on("get_cart", () => c);
  await boot();
  await flush();
  vi.mocked(t).mockClear();
}

describe("rendering per view", () => {
  it("a cart-updated event re-evaluates the changed line item only, not the catalog or support drawer", async () => {
    await bootWith(bigCart(20));
    const catalogTitle = byTestId("product-card-hero-hoodie");
    const first = byTestId("line-item-li-1");
    await emit("cart-updated", { cart: bigCart(20, 3), hive_total: [usd("220.00")] });
    await flush();
    // One line item (the second) was re-evaluated; the other 19 were not.
    expect(asked("cart.qtyUp")).toBe(1);
    expect(byTestId("line-item-li-2")?.textContent).toContain("$30.00");
    // The catalog, the support drawer and the unchanged addons were not re-evaluated at all.
    expect(asked("catalog.title")).toBe(0);
    expect(asked("support.title")).toBe(0);
    expect(asked("addon.perItem") + asked("addon.covers")).toBe(0);
    // The shipments show their items' pictures and titles only: a quantity re-evaluates none.
    expect(asked("ship.notes")).toBe(0);
    // Same DOM, updated where the cart changed; the change is announced.
    expect(byTestId("product-card-hero-hoodie")).toBe(catalogTitle);
    expect(byTestId("line-item-li-1")).toBe(first);
    expect(byTestId("cart-total")?.textContent).toBe("$220.00");
    expect(byTestId("hive-total")?.textContent).toContain("$220.00");
    expect(byTestId("announcer")?.textContent).toBe("Luma total is now $220.00");
  });

  it("a cart update names and sorts no country again, and keeps the country list drawn", async () => {
    await bootWith(bigCart(20));
    await flush();
    const options = document.querySelectorAll("#shipping-country option");
    expect(options.length).toBeGreaterThan(3);
    const named = vi.spyOn(Intl.DisplayNames.prototype, "of");
    try {
      await emit("cart-updated", { cart: bigCart(20, 3), hive_total: [usd("220.00")] });
      await flush();
      expect(named).not.toHaveBeenCalled();
      // The same option elements: the list was not drawn again.
      const after = document.querySelectorAll("#shipping-country option");
      expect(Array.from(after)).toEqual(Array.from(options));
      expect(byTestId("cart-total")?.textContent).toBe("$220.00");
    } finally {
      named.mockRestore();
    }
  });

  it("a renamed item re-evaluates the shipment holding it, not the other", async () => {
    await bootWith(bigCart(20));
    const renamed = bigCart(20);
    renamed.line_items[1] = { ...renamed.line_items[1], title: "Item 2, blue" };
    await emit("cart-updated", { cart: renamed, hive_total: [usd("200.00")] });
    await flush();
    expect(asked("ship.notes")).toBe(1);
    expect(byTestId("shipment-s2")?.textContent).toContain("Item 2, blue");
    expect(byTestId("shipment-s1")?.textContent).not.toContain("Item 2, blue");
  });

  it("an equal cart keeps its identity, so nothing in the cart is re-evaluated", async () => {
    await bootWith(bigCart(5));
    const shown = state.carts[LUMA];
    await emit("cart-updated", { cart: bigCart(5), hive_total: [usd("50.00")] });
    await flush();
    expect(state.carts[LUMA]).toBe(shown);
    expect(asked("cart.qtyUp")).toBe(0);
    expect(asked("ship.notes")).toBe(0);
  });

  it("memoized views follow the language", async () => {
    await bootWith(bigCart(3));
    await chooseLanguage("es");
    await flush();
    expect(byTestId("qty-increase-li-1")?.getAttribute("aria-label")).toBe("Aumentar la cantidad de Item 1");
    expect(byTestId("support-open")?.textContent).toBe("Herramientas de soporte");
    expect(document.querySelector("#catalog-h")?.textContent).toBe("Catálogo");
    expect(document.querySelector("[data-testid=addons-panel] h3")?.textContent).toBe("Protección y servicios");
  });

  it("a removed line item leaves the others' DOM in place, in order", async () => {
    await bootWith(bigCart(4));
    const c = bigCart(4);
    const fewer = { ...c, line_items: c.line_items.filter((li) => li.line_item_id !== "li-2") };
    await emit("cart-updated", { cart: fewer, hive_total: [usd("30.00")] });
    await flush();
    const ids = [...document.querySelectorAll("[data-testid^=line-item-]")].map((e) => e.getAttribute("data-testid"));
    expect(ids).toEqual(["line-item-li-1", "line-item-li-3", "line-item-li-4"]);
    expect(byTestId("remove-li-3")?.getAttribute("aria-label")).toContain("Item 3");
  });

  it("a tab re-renders for its own cart; the catalog for its merchant's products", async () => {
    await bootWith(cart(0), "demo");
    await emit("cart-updated", { cart: cart(2), hive_total: [usd("108.00")] });
    await flush();
    expect(byTestId(`cart-tab-${LUMA}`)?.textContent).toContain("2 items");
    expect(asked("catalog.title")).toBe(0);
  });
});

describe("the settings dialog", () => {
  it("is not re-evaluated by a cart event, and keeps the focus where the person is typing", async () => {
    on("get_settings", () => ({
      app_id: "desk",
      api_base: "https://api.example.com/",
      vault_base: "https://vault.example.com/",
      status_base: "https://status.example.com/",
      idle_seconds: 120,
      card_encryption: "jwe",
      language: "en",
    }));
    await bootWith(bigCart(3), "demo");
    byTestId("settings-open")?.click();
    await flush();
    const input = byTestId<HTMLInputElement>("settings-api_base");
    expect(input).not.toBeNull();
    input?.focus();
    // What is typed goes into the store's draft in place: the same draft, so no new render.
    const idle = byTestId<HTMLInputElement>("settings-idle_seconds")!;
    idle.value = "";
    idle.dispatchEvent(new Event("input"));
    expect(state.settings.draft?.idle_seconds).toBe(0);
    vi.mocked(t).mockClear();
    await emit("cart-updated", { cart: bigCart(3, 2), hive_total: [usd("40.00")] });
    await flush();
    expect(asked("settings.title")).toBe(0);
    expect(byTestId("settings-dialog")).not.toBeNull();
    expect(document.activeElement).toBe(input);
    // The field being typed in is not written over with the draft's reading of it.
    expect(idle.value).toBe("");
  });
});

describe("structural sharing", () => {
  it("keeps equal parts of the new answer and returns the old one when all is equal", () => {
    const a = bigCart(3);
    const b = bigCart(3, 2);
    const s = share(a, b);
    expect(s).not.toBe(a);
    expect(s).toEqual(b);
    expect(s.line_items[0]).toBe(a.line_items[0]);
    expect(s.line_items[1]).not.toBe(a.line_items[1]);
    expect(s.addons).toBe(a.addons);
    expect(s.shipments[0]).toBe(a.shipments[0]);
    expect(share(a, bigCart(3))).toBe(a);
    expect(share({ x: 1 }, { x: 1, y: 2 } as { x: number })).toEqual({ x: 1, y: 2 });
    expect(share({ x: 1, y: 2 } as { x: number }, { x: 1 })).toEqual({ x: 1 });
    expect(share([1, 2], [1])).toEqual([1]);
    expect(share({ x: null } as { x: number | null }, { x: 0 })).toEqual({ x: 0 });
    expect(share([1], [1, 2])).toEqual([1, 2]);
    expect(share({ x: 1, y: undefined } as { x: number; y?: number }, { x: 1 })).toEqual({ x: 1 });
    expect(share({ x: [1] }, { x: {} } as unknown as { x: number[] })).toEqual({ x: {} });
    expect(share({ x: {} } as unknown as { x: number[] }, { x: [1] })).toEqual({ x: [1] });
  });

  it("shares into the new answer itself: its equal parts become the old ones, nothing is copied", () => {
    const a = bigCart(3);
    const b = bigCart(3, 2);
    const items = b.line_items;
    const s = share(a, b);
    expect(s).toBe(b);
    expect(s.line_items).toBe(items);
    expect(items[0]).toBe(a.line_items[0]);
    expect(items[1].quantity).toBe(2);
    expect(s.totals).not.toBe(a.totals);
    expect(s.totals.shipping).toBe(a.totals.shipping);
  });
});
