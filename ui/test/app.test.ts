// The screen against a mocked backend: IPC is replaced with `mockIPC`, so these tests
// exercise rendering, input handling and error display without Rust.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render } from "lit-html";
import { app } from "../src/views/app";
import { resetState, state, subscribe } from "../src/state";
import { addMerchant, addToCart, applyPromo, boot, openProduct, placeOrder, submitShipping } from "../src/actions";

const usd = (amount: string) => ({ amount, currency: "USD" });

function cart(items: number, extra: Record<string, unknown> = {}) {
  return {
    domain: "staging.luma.gift",
    display_name: "Luma",
    cart_id: "c1",
    status: "active",
    currency: "USD",
    item_count: items,
    line_items: items
      ? [
          {
            line_item_id: "li-1",
            sku: "MH07-M-Black",
            variant_id: "MH07-M-Black",
            title: "Hero Hoodie",
            variant: "M / Black",
            quantity: items,
            unit_price: usd("54.00"),
            line_price: usd((54 * items).toFixed(2)),
            image_url: null,
            discounts: [],
            notices: [],
          },
        ]
      : [],
    shipments: [],
    addons: [],
    promo_codes: [],
    totals: {
      subtotal: usd((54 * items).toFixed(2)),
      shipping: usd("0.00"),
      tax: usd("0.00"),
      addons: usd("0.00"),
      discount: usd("0.00"),
      total: usd((54 * items).toFixed(2)),
    },
    shipping_info: null,
    billing_info: null,
    payment_options: [{ kind: "CreditCard", label: "Credit or debit card", id: null, wallet: null }],
    session: { requires_login: false, is_email_registered: false, is_logged_in: false },
    optional_fields: [],
    notices: [],
    ready_for_payment: false,
    paypal_account: null,
    ...extra,
  };
}

let calls: { cmd: string; args: Record<string, unknown> }[] = [];
let items = 0;
let failNext: Record<string, unknown> | null = null;
let cardValid = false;

function backend(cmd: string, args: Record<string, unknown>): unknown {
  calls.push({ cmd, args });
  if (failNext && cmd !== "plugin:event|listen") {
    const e = failNext;
    failNext = null;
    throw e;
  }
  switch (cmd) {
    case "add_merchant":
      if (String(args.domain).includes(" ")) {
        throw { code: "Validation", message: "not a merchant domain", retryable: false };
      }
      return {
        environment: "Live",
        mode: "demo",
        device_id: "dev-1",
        api_base: "https://api.example/",
        merchants: [
          { domain: "staging.luma.gift", display_name: "Luma" },
          { domain: "shop.example.com", display_name: "shop.example.com" },
        ],
        version: "0.1.0",
        idle_seconds: 120,
      };
    case "app_info":
      return {
        environment: "Sandbox",
        mode: "demo",
        device_id: "dev-1",
        api_base: "http://127.0.0.1:1/",
        merchants: [{ domain: "staging.luma.gift", display_name: "Luma" }],
        version: "0.1.0",
        idle_seconds: 120,
      };
    case "get_hive":
      return { carts: [cart(items)], total: [] };
    case "get_cart":
      return cart(items);
    case "list_products":
      return [{ handle: "hero-hoodie", title: "Hero Hoodie", image_url: null }];
    case "get_product":
      return {
        handle: "hero-hoodie",
        title: "Hero Hoodie",
        description: null,
        image_url: null,
        variants: [{ variant_id: "MH07-M-Black", title: "M / Black", available: true, price: usd("54.00"), msrp: null }],
      };
    case "add_to_cart":
      items += Number(args.quantity);
      return cart(items);
    case "get_consents":
      return [];
    case "validate_address":
      return [{ field: "city", message: "City is required." }];
    case "validate_card":
      return cardValid ? [] : [{ field: "number", message: "Card number is not valid." }];
    case "place_card_order":
      return {
        domain: "staging.luma.gift",
        order_number: "SBX-1",
        placed_at: "2026-11-22T00:00:00Z",
        line_items: [],
        totals: cart(items).totals,
        total: usd("54.00"),
        payment_summary: "Visa •••• 1111",
        thank_you_url: null,
      };
    default:
      return null;
  }
}

const root = document.createElement("div");
document.body.appendChild(root);
subscribe(() => render(app(), root));
const flush = () => new Promise((r) => setTimeout(r, 0));
const byTestId = (id: string) => root.querySelector(`[data-testid="${id}"]`);

beforeEach(() => {
  resetState();
  calls = [];
  items = 0;
  failNext = null;
  cardValid = false;
  mockIPC((cmd, args) => backend(cmd, (args ?? {}) as Record<string, unknown>));
});

afterEach(() => clearMocks());

describe("the checkout screen", () => {
  it("boots into the sandbox with the merchant's empty cart", async () => {
    await boot();
    await flush();
    expect(byTestId("env-badge")?.textContent).toBe("Sandbox");
    expect(byTestId("cart-tab-staging.luma.gift")).not.toBeNull();
    expect(byTestId("cart-empty")).not.toBeNull();
    expect(byTestId("product-card-hero-hoodie")).not.toBeNull();
  });

  it("adds a product and re-renders totals from the backend's cart", async () => {
    await boot();
    await openProduct("hero-hoodie");
    state.qty = 2;
    await addToCart();
    await flush();
    expect(calls.find((c) => c.cmd === "add_to_cart")?.args).toMatchObject({
      domain: "staging.luma.gift",
      variantId: "MH07-M-Black",
      quantity: 2,
    });
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId("cart-total")?.textContent).toBe("$108.00");
    expect(state.announce).toContain("$108.00");
  });

  it("shows the error code and the merchant's description in the banner and keeps input", async () => {
    await boot();
    await openProduct("hero-hoodie");
    failNext = {
      code: "ErrorNotEnoughStock",
      message: "Only 2 left",
      status: 422,
      description: "Only 2 left",
      retryable: false,
      request_id: "abc-SBX",
    };
    state.qty = 5;
    await addToCart();
    await flush();
    const banner = byTestId("error-banner");
    expect(banner?.getAttribute("data-error-code")).toBe("ErrorNotEnoughStock");
    expect(banner?.textContent).toContain("Only 2 left");
    expect(state.qty).toBe(5);
  });

  it("marks invalid address fields without calling the API", async () => {
    items = 1;
    await boot();
    await flush();
    state.shipping.first_name = "Ada";
    expect(await submitShipping()).toBe(false);
    await flush();
    expect(byTestId("field-error-shipping-city")?.textContent).toContain("City is required");
    expect(calls.some((c) => c.cmd === "set_shipping_info")).toBe(false);
    expect(state.shipping.first_name).toBe("Ada");
  });

  it("validates the card before placing the order", async () => {
    items = 1;
    await boot();
    state.card.number = "4111 1111 1111 1112";
    await placeOrder();
    await flush();
    expect(state.fieldErrors["card-number"]).toContain("not valid");
    expect(calls.some((c) => c.cmd === "place_card_order")).toBe(false);
    expect(state.card.number).toBe("4111 1111 1111 1112");
  });

  it("places one order when Place order is clicked twice in a row", async () => {
    items = 1;
    cardValid = true;
    await boot();
    await Promise.all([placeOrder(), placeOrder()]);
    await flush();
    expect(calls.filter((c) => c.cmd === "place_card_order")).toHaveLength(1);
    expect(byTestId("order-number")?.textContent).toBe("SBX-1");
    expect(state.placing).toBe(false);
  });

  it("keeps a rejected promo code in the field with the merchant's reason next to it", async () => {
    items = 1;
    await boot();
    state.promoDraft = "EXPIRED";
    failNext = {
      code: "InvalidPromoCode",
      message: "Invalid promo code",
      status: 409,
      description: "Enter a valid discount code: this code has expired.",
      retryable: false,
      request_id: null,
    };
    await applyPromo();
    await flush();
    expect(byTestId("error-banner")?.textContent).toContain("this code has expired");
    expect(byTestId("field-error-promo")?.textContent).toContain("this code has expired");
    expect((byTestId("promo-input") as HTMLInputElement).value).toBe("EXPIRED");
  });

  it("adds a merchant by domain and selects it; a bad domain keeps what was typed", async () => {
    await boot();
    expect(await addMerchant("not a domain")).toBe(false);
    await flush();
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("Validation");
    expect(await addMerchant("shop.example.com")).toBe(true);
    await flush();
    expect(state.selected).toBe("shop.example.com");
    expect(byTestId("cart-tab-shop.example.com")).not.toBeNull();
  });
});
