// The screen against a mocked backend: IPC is replaced with `mockIPC`, so these tests
// exercise rendering, input handling and error display without Rust.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { state } from "../src/state";
import { addMerchant, addToCart, applyPromo, openProduct, submitShipping } from "../src/actions";
import { placeOrder } from "../src/orders";
import { boot } from "../src/session";
import {
  appInfo,
  byTestId,
  called,
  cart,
  fail,
  flush,
  LUMA,
  on,
  order,
  readyCart,
  setup,
  teardown,
} from "./fixtures";

beforeEach(setup);
afterEach(teardown);

describe("the checkout screen", () => {
  it("boots into the sandbox with the merchant's empty cart", async () => {
    await boot();
    await flush();
    expect(byTestId("env-badge")?.textContent).toBe("Sandbox");
    expect(byTestId(`cart-tab-${LUMA}`)).not.toBeNull();
    expect(byTestId("cart-empty")).not.toBeNull();
    expect(byTestId("product-card-hero-hoodie")).not.toBeNull();
    expect(document.documentElement.lang).toBe("en");
  });

  it("adds a product and re-renders totals from the backend's cart", async () => {
    let items = 0;
    on("get_product", () => ({
      handle: "hero-hoodie",
      title: "Hero Hoodie",
      description: null,
      image_url: null,
      variants: [{ variant_id: "MH07-M-Black", title: "M / Black", available: true, price: { amount: "54.00", currency: "USD" }, msrp: null }],
    }));
    on("add_to_cart", (a) => {
      items += Number(a.quantity);
      return cart(items);
    });
    await boot();
    await openProduct("hero-hoodie");
    state.qty = 2;
    await addToCart();
    await flush();
    expect(called("add_to_cart")[0]?.args).toMatchObject({ domain: LUMA, variantId: "MH07-M-Black", quantity: 2 });
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId("cart-total")?.textContent).toBe("$108.00");
    expect(state.announce).toContain("$108.00");
  });

  it("shows the error in words, its code and the merchant's description, and keeps input", async () => {
    on("get_product", () => ({ handle: "h", title: "H", description: null, image_url: null, variants: [] }));
    on(
      "add_to_cart",
      fail({ code: "NotEnoughStock", raw_code: "ErrorNotEnoughStock", message: "Only 2 left", status: 422, description: "Only 2 left", request_id: "abc-SBX" }),
    );
    await boot();
    await openProduct("h");
    state.qty = 5;
    await addToCart();
    await flush();
    const banner = byTestId("error-banner");
    expect(banner?.getAttribute("data-error-code")).toBe("NotEnoughStock");
    expect(banner?.textContent).toContain("There is not enough stock");
    expect(banner?.textContent).toContain("Only 2 left");
    expect(banner?.textContent).toContain("abc-SBX");
    expect(state.qty).toBe(5);
  });

  it("words address problems from their field and rule, without calling the API", async () => {
    on("get_cart", () => cart(1));
    on("validate_address", () => [
      { field: "city", rule: "required", message: "City is required." },
      { field: "email", rule: "invalid", message: "Enter a valid email address." },
    ]);
    await boot();
    await flush();
    state.shipping.first_name = "Ada";
    expect(await submitShipping()).toBe(false);
    await flush();
    expect(byTestId("field-error-shipping-city")?.textContent).toBe("City is required.");
    expect(byTestId("field-error-shipping-email")?.textContent).toContain("name@example.com");
    expect(called("set_shipping_info")).toHaveLength(0);
    expect(state.shipping.first_name).toBe("Ada");
  });

  it("sends the order at once and lists every card problem when the backend refuses the card", async () => {
    on("get_cart", () => readyCart());
    // The backend checks the card before anything leaves and names the first bad field.
    on("place_card_order", fail({ code: "Validation", message: "This card number is not valid.", field: "number", status: null }));
    on("validate_card", () => ({
      brand: null,
      cvv_digits: 3,
      problems: [
        { field: "number", rule: "invalid", message: "This card number is not valid." },
        { field: "cvv", rule: "invalid", message: "The security code has 3 digits." },
      ],
    }));
    await boot();
    state.card.number = "4111 1111 1111 1112";
    state.card.cvv = "12";
    await placeOrder();
    await flush();
    // No check before the order (no round trip added to every order)…
    expect(called("place_card_order")).toHaveLength(1);
    // …and after a refusal every problem is at its field, what was typed kept.
    expect(called("validate_card")).toHaveLength(1);
    expect(byTestId("field-error-card-number")?.textContent).toBe("This card number is not valid.");
    expect(byTestId("field-error-card-cvv")).not.toBeNull();
    expect(state.card.number).toBe("4111 1111 1111 1112");
  });

  it("does not ask for a card check before a good order", async () => {
    on("get_cart", () => readyCart());
    on("place_card_order", () => ({ outcome: "placed", order: order() }));
    await boot();
    await placeOrder();
    await flush();
    expect(called("validate_card")).toHaveLength(0);
    expect(called("place_card_order")).toHaveLength(1);
  });

  it("places one order when Place order is clicked twice in a row", async () => {
    on("get_cart", () => readyCart());
    on("place_card_order", () => ({ outcome: "placed", order: order() }));
    await boot();
    await Promise.all([placeOrder(), placeOrder()]);
    await flush();
    expect(called("place_card_order")).toHaveLength(1);
    expect(called("place_card_order")[0].args).toMatchObject({ domain: LUMA, overridePending: false, billing: null });
    expect(byTestId("order-number")?.textContent).toBe("SBX-1");
    expect(state.placing).toBe(false);
  });

  it("keeps a rejected promo code in the field with the merchant's reason next to it", async () => {
    on("get_cart", () => cart(1));
    on(
      "apply_promo",
      fail({ code: "InvalidPromoCode", message: "Invalid promo code", field: "promo", status: 409, description: "Enter a valid discount code: this code has expired." }),
    );
    await boot();
    await flush();
    state.promoDraft = "EXPIRED";
    await applyPromo();
    await flush();
    expect(byTestId("error-banner")?.textContent).toContain("this code has expired");
    expect(byTestId("field-error-promo")?.textContent).toContain("this code has expired");
    expect(byTestId<HTMLInputElement>("promo-input")?.value).toBe("EXPIRED");
  });

  it("adds a merchant by domain; a bad domain is said at the field and keeps what was typed", async () => {
    on("add_merchant", (a) =>
      String(a.domain).includes(" ")
        ? fail({ code: "Validation", message: "not a merchant domain", field: "domain" })(a)
        : appInfo({
            merchants: [
              { domain: LUMA, display_name: "Luma" },
              { domain: "shop.example.com", display_name: "shop.example.com" },
            ],
          }),
    );
    await boot();
    state.merchantDraft = "not a domain";
    expect(await addMerchant(state.merchantDraft)).toBe(false);
    await flush();
    expect(byTestId("field-error-domain")?.textContent).toContain("not a merchant domain (e.g. shop.example.com)");
    expect(byTestId("error-banner")).toBeNull();
    expect(byTestId<HTMLInputElement>("merchant-add-input")?.value).toBe("not a domain");
    expect(await addMerchant("shop.example.com")).toBe(true);
    await flush();
    expect(state.selected).toBe("shop.example.com");
    expect(byTestId("cart-tab-shop.example.com")).not.toBeNull();
  });
});
