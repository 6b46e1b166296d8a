// Placing orders and their three outcomes, what blocks an order, and pay-all.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { CartView } from "../src/bindings";
import { changed, state } from "../src/state";
import { placeOrder } from "../src/orders";
import { boot } from "../src/session";
import { listenToBackend } from "../src/listen";
import {
  appInfo,
  byTestId,
  called,
  cart,
  click,
  fail,
  flush,
  HOME,
  LUMA,
  on,
  order,
  pending,
  readyCart,
  setup,
  shipment,
  teardown,
} from "./fixtures";

beforeEach(setup);
afterEach(teardown);

const declined = {
  code: "CreditCardDeclined",
  raw_code: "CreditCardDeclined",
  message: "Your card was declined.",
  field: "number",
  status: 422,
  description: "Your card was declined by the issuer.",
  retryable: false,
  request_id: "ray-1",
};

async function typeCard(number = "4000 0000 0000 0002"): Promise<void> {
  state.card = { number, name: "Ada Lovelace", exp: "12/30", cvv: "123" };
  state.shipping.first_name = "Ada";
  state.shipping.address1 = "1 Main St";
}

describe("placing an order", () => {
  it("not placed: the merchant's reason at the card number and in the banner; card and address are kept", async () => {
    on("get_cart", () => readyCart());
    on("place_card_order", () => ({ outcome: "not_placed", error: declined }));
    await boot();
    await typeCard();
    await placeOrder();
    await flush();
    expect(byTestId("field-error-card-number")?.textContent).toContain("declined by the issuer");
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("CreditCardDeclined");
    expect(byTestId("error-banner")?.textContent).toContain("The card was declined");
    expect(byTestId("order-confirmation")).toBeNull();
    expect(state.card).toMatchObject({ number: "4000 0000 0000 0002", name: "Ada Lovelace", exp: "12/30", cvv: "123" });
    expect(byTestId<HTMLInputElement>("card-number")?.value).toBe("4000 0000 0000 0002");
    expect(byTestId<HTMLInputElement>("card-cvv")?.value).toBe("123");
    expect(byTestId<HTMLInputElement>("shipping-address1")?.value).toBe("1 Main St");
  });

  it("an error's field finds its input: cvv → field-error-card-cvv", async () => {
    on("get_cart", () => readyCart());
    on("place_card_order", () => ({
      outcome: "not_placed",
      error: { ...declined, code: "CreditCardInvalidSecurityCode", field: "cvv", description: null },
    }));
    await boot();
    await typeCard();
    await placeOrder();
    await flush();
    expect(byTestId("field-error-card-cvv")?.textContent).toBe("The security code is not valid.");
    expect(byTestId("field-error-card-number")).toBeNull();
  });

  it("unknown: the pending panel says not to pay again, and Place order is disabled", async () => {
    let p: ReturnType<typeof pending> | null = null;
    on("get_cart", () => readyCart(1, p ? { pending_order: p, blockers: [{ kind: "order_pending" }] } : {}));
    on("place_card_order", () => {
      p = pending();
      return { outcome: "unknown", pending: p };
    });
    await boot();
    await typeCard("4111 1111 1111 1111");
    await placeOrder();
    await flush();
    const panel = byTestId("order-pending");
    expect(panel).not.toBeNull();
    expect(panel?.textContent).toContain("Do not pay again");
    expect(byTestId("order-pending-reason")?.textContent).toContain("The connection dropped before the answer arrived.");
    expect(byTestId("order-pending-checking")?.getAttribute("data-checking")).toBe("true");
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(true);
    expect(byTestId("place-hint")?.textContent).toContain("may still go through");
    expect(byTestId("order-override")).toBeNull();
    expect(state.card.number).toBe("4111 1111 1111 1111");
  });

  it("check again: a placed order shows the confirmation", async () => {
    on("get_cart", () => readyCart(1, { pending_order: pending(), blockers: [{ kind: "order_pending" }] }));
    on("check_order", () => ({ outcome: "placed", order: order({ order_number: "SBX-9" }) }));
    await boot();
    await flush();
    expect(byTestId("order-pending")).not.toBeNull();
    click("order-check-again");
    await flush();
    expect(called("check_order")[0]?.args).toEqual({ domain: LUMA });
    expect(byTestId("order-number")?.textContent).toBe("SBX-9");
    expect(byTestId("order-confirmation")?.textContent).toContain("Visa ending in 1111");
  });

  it("an agent may pay again only after an explicit confirmation", async () => {
    on("app_info", () => appInfo({ mode: "agent" }));
    on("get_cart", () => readyCart(1, { pending_order: pending(), blockers: [{ kind: "order_pending" }] }));
    on("place_card_order", () => ({ outcome: "placed", order: order({ order_number: "SBX-2" }) }));
    await boot();
    await typeCard("4111 1111 1111 1111");
    await flush();
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(true);
    click("order-override");
    await flush();
    expect(byTestId("order-override-dialog")).not.toBeNull();
    expect(called("place_card_order")).toHaveLength(0);
    click("order-override-cancel");
    await flush();
    expect(byTestId("order-override-dialog")).toBeNull();
    expect(called("place_card_order")).toHaveLength(0);
    click("order-override");
    await flush();
    click("order-override-confirm");
    await flush();
    expect(called("place_card_order")).toHaveLength(1);
    expect(called("place_card_order")[0].args).toMatchObject({ overridePending: true });
    expect(byTestId("order-number")?.textContent).toBe("SBX-2");
  });

  it("the override dialog closes on Escape", async () => {
    on("app_info", () => appInfo({ mode: "agent" }));
    on("get_cart", () => readyCart(1, { pending_order: pending(), blockers: [{ kind: "order_pending" }] }));
    await boot();
    await flush();
    click("order-override");
    await flush();
    const dialog = byTestId("order-override-dialog")!;
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect(byTestId("order-override-dialog")).toBeNull();
  });

  it("an order-placed event for the cart on screen shows the confirmation", async () => {
    on("get_cart", () => readyCart(1, { pending_order: pending(), blockers: [{ kind: "order_pending" }] }));
    const stop = await listenToBackend();
    await boot();
    await emit("order-placed", order({ order_number: "SBX-LATE" }));
    await flush();
    expect(byTestId("order-number")?.textContent).toBe("SBX-LATE");
    stop();
  });
});

describe("what blocks an order", () => {
  it("renders each blocker in words as the place hint, plus the chosen method's own", async () => {
    const c: CartView = cart(1, {
      shipments: [shipment({ shipment_id: "s1" }), shipment({ shipment_id: "s2", fulfillment_type: "PICKUP_IN_STORE", fulfillment_id: "PICKUP_IN_STORE" })],
      blockers: [
        { kind: "shipping_address" },
        { kind: "shipment_location", shipment_id: "s2" },
        { kind: "consents", ids: ["terms"] },
        { kind: "login" },
      ],
      payment_options: [
        { kind: "PayPal", card: null, id: null, wallet: "paypal", blocker: { kind: "paypal_not_approved" } },
        { kind: "CreditCard", card: null, id: null, wallet: null, blocker: null },
      ],
    });
    on("get_cart", () => c);
    on("get_availability", () => ({ shipment_id: "s2", fulfillment_type: "PICKUP_IN_STORE", dates: [], locations: [], methods: [], windows: [], pickup_options: [] }));
    await boot();
    await flush();
    click("pay-method-PayPal");
    await flush();
    const hint = byTestId("place-hint")!;
    const kinds = [...hint.querySelectorAll("[data-blocker]")].map((li) => li.getAttribute("data-blocker"));
    expect(kinds).toEqual(["shipping_address", "shipment_location", "consents", "login", "paypal_not_approved"]);
    expect(hint.textContent).toContain("Save the shipping address.");
    expect(hint.textContent).toContain("Choose a pickup store for shipment 2.");
    expect(hint.textContent).toContain("Approve the payment in the PayPal window.");
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(true);
    click("pay-method-CreditCard");
    await flush();
    expect(byTestId("place-hint")?.textContent).not.toContain("PayPal");
  });

  it("a ready cart enables Place order with no hint", async () => {
    on("get_cart", () => readyCart());
    await boot();
    await flush();
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(false);
    expect(byTestId("place-hint")?.textContent?.trim()).toBe("");
  });

  it("digital goods: the billing form carries the contact, no 'same as shipping'", async () => {
    on("get_cart", () =>
      cart(1, {
        shipments: [shipment({ fulfillment_type: "DIGITAL_DELIVERY", fulfillment_id: "DIGITAL_DELIVERY" })],
        blockers: [{ kind: "billing_address" }],
      }),
    );
    on("set_billing_info", (a) => readyCart(1, { billing_info: a.address as CartView["billing_info"] }));
    await boot();
    await flush();
    expect(byTestId("billing-same-as-shipping")).toBeNull();
    expect(byTestId("shipping-submit")).toBeNull();
    expect(byTestId("billing-email")).not.toBeNull();
    expect(byTestId("place-hint")?.textContent).toContain("billing address");
    click("billing-submit");
    await flush();
    expect(called("validate_address")[0].args).toMatchObject({ shipping: true });
    expect(called("set_billing_info")).toHaveLength(1);
  });
});

describe("many merchants", () => {
  const two = () =>
    appInfo({
      merchants: [
        { domain: LUMA, display_name: "Luma" },
        { domain: HOME, display_name: "Home Goods" },
      ],
    });

  it("a merchant's failure shows on its tab; the other carts stay usable", async () => {
    on("app_info", two);
    on("get_hive", () => ({ carts: [cart(0), cart(0, { domain: HOME })], total: [] }));
    on("get_cart", (a) =>
      a.domain === HOME
        ? fail({ code: "ServiceUnavailable", message: "The server answered 503", status: 503, request_id: "ray-503" })(a)
        : cart(1),
    );
    on("list_products", (a) => (a.domain === HOME ? [] : [{ handle: "hero-hoodie", title: "Hero Hoodie", image_url: null }]));
    await boot();
    click(`cart-tab-${HOME}`);
    await flush();
    const err = byTestId(`merchant-error-${HOME}`);
    expect(err?.textContent).toContain("not available right now");
    expect(err?.textContent).toContain("ray-503");
    expect(byTestId("error-banner")).toBeNull();
    click(`cart-tab-${LUMA}`);
    await flush();
    expect(state.selected).toBe(LUMA);
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId(`merchant-error-${HOME}`)).not.toBeNull();
    expect(byTestId("product-card-hero-hoodie")).not.toBeNull();
  });

  it("a cart's own load error and its merchant site are shown as text", async () => {
    on("get_cart", () =>
      cart(0, {
        load_error: { code: "NotImplemented", message: "not here", retryable: false, request_id: "r-9" },
        merchant_site: "https://staging.luma.gift/",
      }),
    );
    await boot();
    await flush();
    expect(byTestId(`merchant-error-${LUMA}`)?.textContent).toContain("Continue on the merchant's site");
    const site = root().querySelectorAll('[data-testid="merchant-site"]');
    expect(site.length).toBeGreaterThan(0);
    expect(site[0].textContent).toBe("https://staging.luma.gift/");
    expect(site[0].closest("a")).toBeNull();
  });

  it("the postal-code preference: applied, or its error at the field", async () => {
    on("set_postal_code", (a) =>
      a.postalCode === "x"
        ? fail({ code: "Validation", message: "Enter a postal code such as 98101.", field: "postal_code" })(a)
        : { carts: [cart(0)], total: [] },
    );
    await boot();
    await flush();
    state.postalDraft = "x";
    click("postal-code-apply");
    await flush();
    expect(byTestId("field-error-postal-code")?.textContent).toContain("98101");
    expect(byTestId("error-banner")).toBeNull();
    state.postalDraft = "98101";
    click("postal-code-apply");
    await flush();
    expect(called("set_postal_code").at(-1)?.args).toEqual({ postalCode: "98101" });
    expect(byTestId<HTMLInputElement>("postal-code-input")?.value).toBe("98101");
  });

  it("one address for every cart lists each cart's result", async () => {
    on("app_info", two);
    on("get_cart", () => cart(1));
    on("apply_address_to_all", () => [
      { domain: LUMA, cart: readyCart(), error: null },
      { domain: HOME, cart: null, error: { code: "InvalidShippingInfo", message: "bad", description: "We do not ship to PO boxes.", retryable: false } },
    ]);
    await boot();
    await flush();
    click("apply-address-all");
    await flush();
    expect(byTestId(`apply-address-result-${LUMA}`)?.getAttribute("data-outcome")).toBe("ok");
    const bad = byTestId(`apply-address-result-${HOME}`);
    expect(bad?.getAttribute("data-outcome")).toBe("error");
    expect(bad?.textContent).toContain("We do not ship to PO boxes.");
  });

  it("pay all: one card, each merchant's outcome, the card cleared after the run", async () => {
    on("app_info", () =>
      appInfo({
        merchants: [
          { domain: LUMA, display_name: "Luma" },
          { domain: HOME, display_name: "Home Goods" },
          { domain: "gadgets.test", display_name: "Gadgets" },
          { domain: "members.test", display_name: "Members" },
        ],
      }),
    );
    on("get_hive", () => ({ carts: [readyCart(1), readyCart(1, { domain: HOME })], total: [{ amount: "108.00", currency: "USD" }] }));
    on("get_cart", () => readyCart(1));
    on("pay_all", () => [
      { domain: LUMA, display_name: "Luma", outcome: { outcome: "placed", order: order({ order_number: "SBX-A" }) }, not_ready: [] },
      { domain: HOME, display_name: "Home Goods", outcome: { outcome: "not_placed", error: declined }, not_ready: [] },
      { domain: "gadgets.test", display_name: "Gadgets", outcome: { outcome: "unknown", pending: pending({ domain: "gadgets.test" }) }, not_ready: [] },
      { domain: "members.test", display_name: "Members", outcome: null, not_ready: [{ kind: "login" }, { kind: "shipping_address" }] },
    ]);
    await boot();
    await flush();
    click("pay-all");
    await flush();
    expect(byTestId("pay-all-panel")).not.toBeNull();
    const card = state.payAll.card;
    Object.assign(card, { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" });
    changed();
    await flush();
    expect(byTestId<HTMLInputElement>("pay-all-card-number")?.value).toBe("4111 1111 1111 1111");
    click("pay-all-submit");
    await flush();
    expect(called("pay_all")[0].args).toMatchObject({ card: { number: "4111 1111 1111 1111", cvv: "123" }, billing: null });
    const outcome = (d: string) => byTestId(`pay-all-result-${d}`)?.getAttribute("data-outcome");
    expect(outcome(LUMA)).toBe("placed");
    expect(byTestId(`pay-all-result-${LUMA}`)?.textContent).toContain("SBX-A");
    expect(outcome(HOME)).toBe("not_placed");
    expect(byTestId(`pay-all-result-${HOME}`)?.textContent).toContain("declined");
    expect(outcome("gadgets.test")).toBe("unknown");
    expect(byTestId("pay-all-result-gadgets.test")?.textContent).toContain("Do not pay again");
    expect(outcome("members.test")).toBe("not_ready");
    expect(byTestId("pay-all-result-members.test")?.textContent).toContain("Sign in to the merchant account.");
    expect(state.payAll.card).toEqual({ number: "", name: "", exp: "", cvv: "" });
    expect(state.pending["gadgets.test"]).toBeDefined();
  });

  it("pay all: card problems are said in the panel before anything is sent", async () => {
    on("get_hive", () => ({ carts: [readyCart(1)], total: [] }));
    on("get_cart", () => readyCart(1));
    on("validate_card", () => ({ brand: "visa", cvv_digits: 3, problems: [{ field: "exp_year", rule: "expired", message: "This card has expired." }] }));
    await boot();
    await flush();
    click("pay-all");
    await flush();
    click("pay-all-submit");
    await flush();
    expect(byTestId("field-error-pay-all-card-exp")?.textContent).toBe("This card has expired.");
    expect(called("pay_all")).toHaveLength(0);
  });

  it("a pay-all failure of the whole run keeps the card", async () => {
    on("get_hive", () => ({ carts: [readyCart(1)], total: [] }));
    on("get_cart", () => readyCart(1));
    on("pay_all", fail({ code: "NothingToPay", message: "backend words" }));
    await boot();
    await flush();
    click("pay-all");
    state.payAll.card.number = "4111 1111 1111 1111";
    await flush();
    click("pay-all-submit");
    await flush();
    expect(byTestId("error-banner")?.textContent).toContain("There is no cart to pay.");
    expect(byTestId("error-banner")?.textContent).not.toContain("backend words");
    expect(state.payAll.card.number).toBe("4111 1111 1111 1111");
  });
});

function root(): HTMLElement {
  return byTestId("env-badge")!.closest("div")!.parentElement!;
}
