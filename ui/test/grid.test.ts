// The catalog grid (pictures, prices from Rust, a search), its −/+ quantity, and "Add by
// link or code": added at once, a variant to choose, or a clear error at the field.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ProductView } from "../src/bindings";
import { boot } from "../src/session";
import { state } from "../src/state";
import { appInfo, byTestId, called, cart, click, fail, flush, LUMA, on, setup, teardown, usd } from "./fixtures";

beforeEach(setup);
afterEach(teardown);

const PRODUCTS = [
  { handle: "hero-hoodie", title: "Hero Hoodie", image_url: "http://127.0.0.1:1/img/hoodie.png" },
  { handle: "radiant-tee", title: "Radiant Tee", image_url: null },
  { handle: "fusion-backpack", title: "Fusion Backpack", image_url: null },
];

const HOODIE: ProductView = {
  handle: "hero-hoodie",
  title: "Hero Hoodie",
  description: null,
  image_url: null,
  variants: [
    { variant_id: "MH07-S-Black", title: "S / Black", available: false, price: usd("54.00"), msrp: null },
    { variant_id: "MH07-M-Black", title: "M / Black", available: true, price: usd("54.00"), msrp: null },
  ],
};

function type(id: string, value: string): void {
  const el = byTestId<HTMLInputElement>(id)!;
  el.value = value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

function submit(id: string): void {
  const form = byTestId(id)!.closest("form")!;
  form.dispatchEvent(new Event("submit", { bubbles: true, cancelable: true }));
}

async function shop(): Promise<void> {
  on("list_products", () => PRODUCTS);
  on("product_prices", () => [
    { handle: "hero-hoodie", price: usd("54.00"), price_varies: false, available: true },
    { handle: "radiant-tee", price: usd("22.00"), price_varies: true, available: true },
    { handle: "fusion-backpack", price: usd("59.00"), price_varies: false, available: false },
  ]);
  await boot();
  await flush();
}

describe("the catalog grid", () => {
  it("shows each product with its picture and its price from Rust", async () => {
    await shop();
    expect(called("product_prices")).toHaveLength(1);
    expect(called("product_prices")[0].args).toEqual({ domain: LUMA, handles: ["hero-hoodie", "radiant-tee", "fusion-backpack"] });
    expect(byTestId("product-card-hero-hoodie")?.querySelector("img")?.getAttribute("alt")).toBe("");
    expect(byTestId("product-price-hero-hoodie")?.textContent?.trim()).toBe("$54.00");
    expect(byTestId("product-price-radiant-tee")?.textContent?.trim()).toBe("from $22.00");
    expect(byTestId("product-price-fusion-backpack")?.textContent).toContain("sold out");
    // Asked once per merchant, not on every render.
    state.qty = 2;
    await flush();
    expect(called("product_prices")).toHaveLength(1);
  });

  it("the search keeps the products that match and says when none does", async () => {
    await shop();
    type("product-search", "tee");
    await flush();
    expect(byTestId("product-card-radiant-tee")).not.toBeNull();
    expect(byTestId("product-card-hero-hoodie")).toBeNull();
    expect(byTestId("catalog-count")?.textContent).toContain("1 of 3");
    type("product-search", "sofa");
    await flush();
    expect(byTestId("catalog-none")?.textContent).toContain("sofa");
    type("product-search", "");
    await flush();
    expect(document.querySelectorAll("[data-testid^=product-card-]")).toHaveLength(3);
  });

  it("the quantity is the cart's −/+ stepper, sent with Add to cart", async () => {
    on("get_product", () => HOODIE);
    on("add_to_cart", () => cart(2));
    await shop();
    click("product-card-hero-hoodie");
    await flush();
    expect(byTestId<HTMLSelectElement>("variant-select")?.value).toBe("MH07-M-Black");
    expect(document.querySelector("input[type=number]")).toBeNull();
    expect(byTestId<HTMLButtonElement>("qty-decrease")?.disabled).toBe(true);
    click("qty-increase");
    await flush();
    expect(byTestId("qty-value")?.textContent).toBe("2");
    click("add-to-cart");
    await flush();
    expect(called("add_to_cart")[0].args).toEqual({ domain: LUMA, variantId: "MH07-M-Black", quantity: 2 });
  });
});

describe("add by link or code", () => {
  it("a link (typed, or scanned and ended with Enter) adds its product at once", async () => {
    on("add_by_link", () => ({ kind: "added", cart: cart(1) }));
    await shop();
    type("add-by-link", " https://staging.luma.gift/products/fusion-backpack ");
    submit("add-by-link");
    await flush();
    expect(called("add_by_link")[0].args).toEqual({ link: "https://staging.luma.gift/products/fusion-backpack", variantId: null, quantity: 1 });
    expect(byTestId<HTMLInputElement>("add-by-link")?.value).toBe("");
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId("announcer")?.textContent).toContain("Added to Luma cart");
  });

  it("a product with several variants opens to choose one, which is added by the same link", async () => {
    on("add_by_link", (a) => (a.variantId ? { kind: "added", cart: cart(1) } : { kind: "choose", domain: LUMA, product: HOODIE }));
    await shop();
    type("add-by-link", "staging.luma.gift/products/hero-hoodie");
    click("add-by-link-submit");
    await flush();
    expect(byTestId("product-detail")?.textContent).toContain("Hero Hoodie");
    expect(byTestId<HTMLSelectElement>("variant-select")?.value).toBe("MH07-M-Black");
    click("add-to-cart");
    await flush();
    expect(called("add_by_link")[1].args).toEqual({ link: "staging.luma.gift/products/hero-hoodie", variantId: "MH07-M-Black", quantity: 1 });
    expect(called("add_to_cart")).toHaveLength(0);
  });

  it("an unknown link, a text that is not a link and an empty field each say so at the field, keeping what was typed", async () => {
    on(
      "add_by_link",
      fail({ code: "Validation", raw_code: "ProductNotFound", message: "This link is not a product page this merchant sells through Firmly.", field: "link", request_id: "ray-9" }),
    );
    await shop();
    type("add-by-link", "https://staging.luma.gift/products/no-such-thing");
    submit("add-by-link");
    await flush();
    expect(byTestId("field-error-add-by-link")?.textContent).toContain("not a product that can be bought here");
    // The contract's name for the error holds the field's error.
    expect(byTestId("add-by-link-error")?.textContent).toContain("not a product that can be bought here");
    expect(byTestId<HTMLInputElement>("add-by-link")?.value).toBe("https://staging.luma.gift/products/no-such-thing");
    expect(byTestId<HTMLInputElement>("add-by-link")?.getAttribute("aria-invalid")).toBe("true");
    expect(byTestId("error-banner")).toBeNull();
    on("add_by_link", fail({ code: "Validation", message: "Enter a product page link", field: "link" }));
    type("add-by-link", "hero hoodie");
    submit("add-by-link");
    await flush();
    expect(byTestId("field-error-add-by-link")?.textContent).toContain("not a product page link");
    type("add-by-link", "");
    submit("add-by-link");
    await flush();
    expect(byTestId("field-error-add-by-link")?.textContent).toContain("scan a product link first");
    expect(called("add_by_link")).toHaveLength(2);
  });

  it("a link to a merchant the desk did not list yet adds its tab", async () => {
    let listed = false;
    on("app_info", () =>
      appInfo({ merchants: listed ? [{ domain: LUMA, display_name: "Luma" }, { domain: "vat.test", display_name: "vat.test" }] : [{ domain: LUMA, display_name: "Luma" }] }),
    );
    on("add_by_link", () => {
      listed = true;
      return { kind: "added", cart: cart(1, { domain: "vat.test", display_name: "VAT Shop Test" }) };
    });
    on("get_cart", (a) => cart(a.domain === "vat.test" ? 1 : 0, { domain: a.domain as string, display_name: "VAT Shop Test" }));
    await shop();
    type("add-by-link", "https://vat.test/products/linen-apron");
    submit("add-by-link");
    await flush();
    expect(byTestId("cart-tab-vat.test")?.textContent).toContain("VAT Shop Test");
    expect(state.selected).toBe("vat.test");
  });
});
