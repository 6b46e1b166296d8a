// The checkout column as a person meets it: the address saves itself (or says why not,
// keeping what was typed), the blockers are links that move focus, Place order shows its
// progress, the card form takes its brand from Rust, and the #24 fields of a cart are shown
// where they belong.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AddressView, CartView } from "../src/bindings";
import { changed, state } from "../src/state";
import { boot, startShopping } from "../src/session";
import { AUTOSAVE_MS, setAddressLists } from "../src/address";
import { emit } from "@tauri-apps/api/event";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listenToBackend } from "../src/listen";
import { selectMerchant } from "../src/actions";
import type { ConsentView } from "../src/bindings";
import { appInfo, byTestId, called, cart, click, fail, flush, LUMA, on, order, readyCart, setup, teardown, usd } from "./fixtures";

beforeEach(() => {
  setup();
  // Each test sees Rust's lists asked for again.
  setAddressLists(null);
});
afterEach(teardown);

const ADDRESS: Partial<AddressView> = {
  first_name: "Ada",
  last_name: "Lovelace",
  email: "ada@example.com",
  phone: "2065550100",
  address1: "1 Pike Place",
  city: "Seattle",
  postal_code: "98101",
};

function type(id: string, value: string): void {
  const el = byTestId<HTMLInputElement>(id);
  if (!el) throw new Error(`no input ${id}`);
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

function choose(id: string, value: string): void {
  const el = byTestId<HTMLSelectElement>(id);
  if (!el) throw new Error(`no select ${id}`);
  el.value = value;
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A cart waiting for its address; saving it answers the ready cart. */
async function waitingForAddress(extra: Partial<CartView> = {}): Promise<void> {
  on("get_cart", () => cart(1, extra));
  on("set_shipping_info", (a) => readyCart(1, { shipping_info: a.address as AddressView, ...extra, blockers: [] }));
  await boot();
  await flush();
}

describe("an address that saves itself", () => {
  it("is saved once, a moment after it is complete; nothing is sent while it is not", async () => {
    await waitingForAddress();
    for (const [k, v] of Object.entries(ADDRESS)) type(`shipping-${k}`, v);
    await pause(AUTOSAVE_MS + 100);
    expect(called("set_shipping_info")).toHaveLength(0);
    expect(byTestId("shipping-status")?.getAttribute("data-state")).toBe("editing");
    // The state is a choice from Rust's list (the country is the US by default).
    expect(byTestId("shipping-state_or_province")?.tagName).toBe("SELECT");
    choose("shipping-state_or_province", "WA");
    await pause(AUTOSAVE_MS + 100);
    await flush();
    expect(called("set_shipping_info")).toHaveLength(1);
    expect(called("set_shipping_info")[0].args.address).toMatchObject({ ...ADDRESS, state_or_province: "WA", country: "US" });
    expect(byTestId("shipping-status")?.getAttribute("data-state")).toBe("saved");
    expect(byTestId("shipping-status")?.textContent).toContain("Address saved.");
    // Leaving the form with nothing changed sends nothing again.
    byTestId("shipping-city")?.dispatchEvent(new FocusEvent("focusout", { bubbles: true }));
    await flush();
    expect(called("set_shipping_info")).toHaveLength(1);
    expect(byTestId("announcer")?.textContent).toContain("Address saved.");
  });

  it("is saved at once when focus leaves the completed form", async () => {
    await waitingForAddress();
    for (const [k, v] of Object.entries(ADDRESS)) type(`shipping-${k}`, v);
    choose("shipping-state_or_province", "WA");
    byTestId("shipping-postal_code")?.dispatchEvent(new FocusEvent("focusout", { bubbles: true, relatedTarget: byTestId("place-order") }));
    await flush();
    expect(called("set_shipping_info")).toHaveLength(1);
  });

  it("a failed save keeps what was typed and shows the field's error", async () => {
    on("get_cart", () => cart(1));
    on(
      "set_shipping_info",
      fail({ code: "InvalidShippingInfo", message: "bad zip", field: "postal_code", description: "We do not ship to 98101.", status: 422 }),
    );
    await boot();
    await flush();
    for (const [k, v] of Object.entries(ADDRESS)) type(`shipping-${k}`, v);
    choose("shipping-state_or_province", "WA");
    click("shipping-submit");
    await flush();
    expect(byTestId("field-error-shipping-postal_code")?.textContent).toBe("We do not ship to 98101.");
    expect(byTestId<HTMLInputElement>("shipping-postal_code")?.value).toBe("98101");
    expect(byTestId<HTMLInputElement>("shipping-address1")?.value).toBe("1 Pike Place");
    expect(state.shipping).toMatchObject({ ...ADDRESS, state_or_province: "WA" });
    expect(byTestId("shipping-status")?.getAttribute("data-state")).toBe("failed");
  });

  it("a problem found before sending shows at its field and sends nothing", async () => {
    on("validate_address", () => [{ field: "email", rule: "invalid", message: "bad" }]);
    await waitingForAddress();
    for (const [k, v] of Object.entries(ADDRESS)) type(`shipping-${k}`, v);
    choose("shipping-state_or_province", "WA");
    click("shipping-submit");
    await flush();
    expect(byTestId("field-error-shipping-email")?.textContent).toBe("Enter a valid email address, like name@example.com.");
    expect(called("set_shipping_info")).toHaveLength(0);
  });

  it("countries and regions are lists from Rust: a country without one takes free text", async () => {
    await waitingForAddress();
    expect(called("address_form")).toHaveLength(1);
    const country = byTestId<HTMLSelectElement>("shipping-country")!;
    const names = [...country.options].map((o) => o.value);
    expect(names.slice(0, 2)).toEqual(["US", "CA"]);
    expect([...country.options][0].textContent?.trim()).toBe("United States");
    choose("shipping-state_or_province", "WA");
    choose("shipping-country", "CA");
    await flush();
    expect(state.shipping.state_or_province).toBe("");
    expect(byTestId("shipping-state_or_province")?.tagName).toBe("SELECT");
    expect(document.querySelector("label[for=shipping-state_or_province]")?.textContent).toContain("Province");
    choose("shipping-country", "FR");
    await flush();
    expect(byTestId("shipping-state_or_province")?.tagName).toBe("INPUT");
    type("shipping-state_or_province", "Île-de-France");
    expect(state.shipping.state_or_province).toBe("Île-de-France");
  });

  it("a signed-in shopper's account email is shown locked and sent; saved addresses are choices", async () => {
    const saved: AddressView = { ...readyCart().shipping_info!, first_name: "Grace", address1: "9 Elm St" };
    await waitingForAddress({ account_email: "member@example.com", address_options: [saved] });
    const email = byTestId<HTMLInputElement>("shipping-email")!;
    expect(email.readOnly).toBe(true);
    expect(email.value).toBe("member@example.com");
    expect(byTestId("address-option-0")?.closest("label")?.textContent).toContain("9 Elm St");
    click("address-option-0");
    await flush();
    expect(called("set_shipping_info")).toHaveLength(1);
    expect(called("set_shipping_info")[0].args.address).toMatchObject({ first_name: "Grace", address1: "9 Elm St", email: "member@example.com" });
  });
});

describe("the order summary", () => {
  it("each blocker is a link that moves focus to what resolves it", async () => {
    on("get_cart", () =>
      cart(1, {
        blockers: [{ kind: "shipping_address" }, { kind: "consents", ids: ["terms"] }],
        consents: [{ id: "terms", text: "I agree", parts: [{ text: "I agree", link: null }], rich_text: false, required: true, revokable: false, signed: false, slot: null }],
      }),
    );
    await boot();
    await flush();
    click("blocker-shipping_address");
    expect(document.activeElement?.id).toBe("shipping-first_name");
    type("shipping-first_name", "Ada");
    type("shipping-last_name", "Lovelace");
    click("blocker-shipping_address");
    expect(document.activeElement?.id).toBe("shipping-email");
    click("blocker-consents");
    expect(document.activeElement?.id).toBe("consent-terms");
    expect(byTestId("order-summary")?.contains(byTestId("place-order"))).toBe(true);
    expect(byTestId("order-summary")?.contains(byTestId("cart-total"))).toBe(true);
  });

  it("a shipment's blocker leads to its choice in the cart column", async () => {
    const c = readyCart(1, {
      shipments: [
        {
          shipment_id: "s1",
          fulfillment_type: "SHIP_TO_ADDRESS",
          fulfillment_id: "SHIP_TO_ADDRESS",
          fulfillment_options: [],
          line_item_ids: ["li-1"],
          methods: [
            { id: "GROUND", description: "Ground", price: usd("5.00"), estimated_delivery: null },
            { id: "AIR", description: "Air", price: usd("15.00"), estimated_delivery: null },
          ],
          selected_method: null,
          selected_date: null,
          selected_slot: null,
          unconfirmed_slot: null,
          selected_location: null,
          pickup_option: null,
          notes: null,
          cost: null,
          discounts: [],
        },
      ],
      blockers: [{ kind: "shipment_method", shipment_id: "s1" }],
    });
    on("get_cart", () => c);
    await boot();
    await flush();
    click("blocker-shipment_method-s1");
    expect(document.activeElement?.getAttribute("data-testid")).toBe("shipping-method-GROUND");
  });

  it("Place order says Placing order… on itself while it works, and sends the expiry as month and year", async () => {
    let answer: (v: unknown) => void = () => undefined;
    on("get_cart", () => readyCart());
    on("place_card_order", () => new Promise((r) => (answer = r)));
    await boot();
    await flush();
    state.card = { number: "4111 1111 1111 1111", name: "Ada", exp: "08/29", cvv: "123" };
    changed();
    click("place-order");
    await flush();
    const button = byTestId("place-order")!;
    expect(button.textContent).toContain("Placing order…");
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(called("place_card_order")[0].args.card).toMatchObject({ exp_month: "08", exp_year: "2029" });
    answer({ outcome: "placed", order: order() });
    await flush();
    expect(byTestId("order-confirmation")).not.toBeNull();
  });
});

describe("the card form", () => {
  it("takes its brand and CVV length from Rust's card check", async () => {
    on("get_cart", () => readyCart());
    on("validate_card", (a) => {
      const n = String((a.card as { number: string }).number).replace(/\D/g, "");
      return n.startsWith("37") ? { brand: "amex", cvv_digits: 4, problems: [] } : { brand: null, cvv_digits: 3, problems: [] };
    });
    await boot();
    await flush();
    expect(byTestId<HTMLInputElement>("card-cvv")?.maxLength).toBe(3);
    type("card-number", "378282246310005");
    await flush();
    expect(document.querySelector("label[for=card-number]")?.textContent).toContain("American Express");
    expect(byTestId<HTMLInputElement>("card-number")?.value).toBe("3782 822463 10005");
    expect(byTestId<HTMLInputElement>("card-cvv")?.maxLength).toBe(4);
    expect(document.querySelector("label[for=card-cvv]")?.textContent).toContain("4 digits");
    type("card-exp", "0829");
    await flush();
    expect(byTestId<HTMLInputElement>("card-exp")?.value).toBe("08/29");
  });
});

describe("what a cart says (#24)", () => {
  it("a tax-included cart says incl. tax and shows no tax line; discounts, credits, points and extra methods are listed", async () => {
    on("get_cart", () =>
      readyCart(1, {
        tax_included: true,
        discount_breakdown: [{ label: "Spring sale", amount: usd("5.40") }],
        store_credits: usd("10.00"),
        available_store_credit: usd("25.00"),
        reward_points: "54",
        available_reward_points: "1200",
        additional_shipping_methods: [{ id: "gift", description: "Gift wrap", price: usd("2.00"), estimated_delivery: null }],
      }),
    );
    await boot();
    await flush();
    expect(byTestId("cart-tax-total")).toBeNull();
    expect(byTestId("tax-included")?.textContent).toBe("incl. tax");
    expect(byTestId("discount-line-0")?.textContent).toBe("−$5.40");
    expect(byTestId("discount-line-0")?.previousElementSibling?.textContent).toBe("Spring sale");
    expect(byTestId("store-credits")?.textContent).toBe("$10.00");
    expect(byTestId("available-store-credit")?.textContent).toContain("$25.00");
    expect(byTestId("reward-points")?.textContent).toContain("54");
    expect(byTestId("available-reward-points")?.textContent).toContain("1200");
    expect(byTestId("additional-shipping-0")?.textContent).toBe("$2.00");
  });

  it("a cart that adds tax shows its tax line and no incl. tax", async () => {
    on("get_cart", () => readyCart());
    await boot();
    await flush();
    expect(byTestId("cart-tax-total")).not.toBeNull();
    expect(byTestId("tax-included")).toBeNull();
  });

  it("the merchant's validation messages are shown next to what they concern", async () => {
    on("get_cart", () =>
      cart(1, {
        validation_errors: [
          { field: "shipping_info.postal_code", message: "We do not deliver to this ZIP." },
          { field: "", message: "The cart needs a review." },
        ],
      }),
    );
    await boot();
    await flush();
    expect(byTestId("cart-validation-0")?.closest("section")?.getAttribute("aria-labelledby")).toBe("ship-h");
    expect(byTestId("cart-validation-0")?.textContent).toBe("We do not deliver to this ZIP.");
    expect(byTestId("cart-validation-1")?.getAttribute("data-place")).toBe("cart");
  });

  it("a consent's links are buttons that ask the backend to open them, without ticking the box", async () => {
    on("get_cart", () =>
      readyCart(1, {
        consents: [
          {
            id: "terms",
            text: 'I agree to the <a href="https://staging.luma.gift/terms">terms</a>.',
            parts: [
              { text: "I agree to the ", link: null },
              { text: "terms", link: "https://staging.luma.gift/terms" },
              { text: ".", link: null },
            ],
            rich_text: true,
            required: true,
            revokable: false,
            signed: false,
            slot: null,
          },
        ],
      }),
    );
    await boot();
    await flush();
    const label = document.querySelector("label[for=consent-terms]");
    expect(label?.textContent?.replace(/\s+/g, " ")).toContain("I agree to the terms.");
    expect(label?.querySelector("a")).toBeNull();
    // The full stop stays on the link's line: a button is one box, so the two are glued.
    const glue = label?.querySelector(".glue");
    expect(glue?.textContent?.trim()).toBe("terms.");
    expect(glue?.querySelector("button")?.textContent?.trim()).toBe("terms");
    // Every `consent-…` test id is a checkbox (the e2e steps tick them all by that prefix).
    expect([...document.querySelectorAll('[data-testid^="consent-"]')].map((e) => e.tagName)).toEqual(["INPUT"]);
    click("link-consent-terms-1");
    await flush();
    expect(called("open_link")[0].args).toEqual({ url: "https://staging.luma.gift/terms" });
    expect(called("set_consent")).toHaveLength(0);
    expect(byTestId<HTMLInputElement>("consent-terms")?.checked).toBe(false);
    expect(byTestId("link-viewer-close")).toBeNull();
    expect(byTestId("announcer")?.textContent).toContain("web browser");
  });

  it("on a kiosk the link opens in the viewer, which the screen offers to close", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    on("get_cart", () =>
      readyCart(1, {
        consents: [
          { id: "terms", text: "x", parts: [{ text: "terms", link: "https://staging.luma.gift/terms" }], rich_text: true, required: true, revokable: false, signed: false, slot: null },
        ],
      }),
    );
    await boot();
    await startShopping();
    await flush();
    click("link-consent-terms-0");
    await flush();
    click("link-viewer-close");
    await flush();
    expect(called("close_link")).toHaveLength(1);
    expect(byTestId("link-viewer-close")).toBeNull();
  });
});

describe("consents", () => {
  const terms = (signed: boolean): ConsentView => ({
    id: "terms",
    text: "I agree",
    parts: [{ text: "I agree", link: null }],
    rich_text: false,
    required: true,
    revokable: false,
    signed,
    slot: null,
  });
  const box = () => byTestId<HTMLInputElement>("consent-terms");

  it("a cart read answered after a tick never unticks the box", async () => {
    on("get_cart", () => readyCart(1, { consents: [terms(false)] }));
    const stop = await listenToBackend();
    await boot();
    await flush();
    // The cart is read again (the tab chosen) and its answer is slow: it left before the tick.
    let answer: (c: CartView) => void = () => {};
    on("get_cart", () => new Promise<CartView>((r) => (answer = r)));
    const reading = selectMerchant(LUMA);
    await flush();
    on("set_consent", () => [terms(true)]);
    box()!.click();
    await flush();
    // The backend republishes the ticked cart; then the older read answers.
    await emit("cart-updated", { cart: readyCart(1, { consents: [terms(true)] }), hive_total: [usd("54.00")] });
    await flush();
    answer(readyCart(1, { consents: [terms(false)] }));
    await reading;
    await flush();
    expect(state.carts[LUMA]?.consents[0]?.signed).toBe(true);
    expect(box()?.checked).toBe(true);
    stop();
  });

  it("no section with something to press is laid out lazily (a press there could be lost)", async () => {
    on("get_cart", () => readyCart(1, { consents: [terms(false)] }));
    await boot();
    await flush();
    const css = readFileSync(join(__dirname, "..", "src", "styles.css"), "utf8").replace(/\/\*[\s\S]*?\*\//g, "");
    const lazy = [...css.matchAll(/([^{}]+)\{[^}]*content-visibility:\s*auto/g)].flatMap((m) => m[1].split(",").map((x) => x.trim()));
    expect(lazy.length).toBeGreaterThan(0);
    for (const selector of lazy) {
      const found = [...document.querySelectorAll(selector)];
      expect(found.length, selector).toBeGreaterThan(0);
      for (const el of found) expect(el.querySelectorAll("input, button, select, textarea, a, [tabindex]").length, selector).toBe(0);
    }
    // The consents are among the sections drawn for the first frame.
    expect(lazy.some((x) => x.includes("consents"))).toBe(false);
  });

  it("a refused tick puts the box back and says why", async () => {
    on("get_cart", () => readyCart(1, { consents: [terms(false)] }));
    on("set_consent", fail({ code: "Network", message: "The merchant did not answer." }));
    await boot();
    await flush();
    box()!.click();
    await flush();
    expect(called("set_consent")).toHaveLength(1);
    expect(box()?.checked).toBe(false);
    expect(state.carts[LUMA]?.consents[0]?.signed).toBe(false);
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("Network");
  });
});

describe("words", () => {
  it("the badges come from the catalog and carry their raw value for tests", async () => {
    on("app_info", () => appInfo({ language: "es" }));
    await boot();
    await flush();
    expect(byTestId("env-badge")?.getAttribute("data-env")).toBe("Sandbox");
    expect(byTestId("env-badge")?.textContent?.trim()).toBe("Pruebas");
    expect(byTestId("mode-badge")?.getAttribute("data-mode")).toBe("demo");
    expect(byTestId("mode-badge")?.textContent?.trim()).toBe("Demostración");
  });

  it("one name per merchant on its tab, its cart and its confirmation", async () => {
    on("app_info", () => appInfo({ merchants: [{ domain: LUMA, display_name: "Luma" }] }));
    on("get_cart", () => readyCart(1, { display_name: "Luma Store Test" }));
    on("place_card_order", () => ({ outcome: "placed", order: order() }));
    await boot();
    await flush();
    expect(byTestId(`cart-tab-${LUMA}`)?.textContent).toContain("Luma");
    expect(document.getElementById("cart-h")?.textContent).toBe("Luma cart");
    state.card = { number: "4111 1111 1111 1111", name: "Ada", exp: "08/29", cvv: "123" };
    click("place-order");
    await flush();
    expect(byTestId("order-merchant")?.textContent).toBe("Luma");
    expect(root().textContent).not.toContain("Luma Store Test");
  });
});

function root(): HTMLElement {
  return document.body;
}
