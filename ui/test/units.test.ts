import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { countryOptions, money } from "../src/format";
import { monthGrid, shiftMonth } from "../src/views/calendar";
import { setLang, t, tCount, toLang, prefetchCatalogs } from "../src/i18n";
import { blockerText, errorText, fieldRuleText, fulfillmentName, paidWithText, paymentLabel, unknownCauseText } from "../src/messages";
import { fieldTarget } from "../src/core";
import { DeskError, rawText } from "../src/ipc";

afterEach(() => setLang("en"));

// Spanish is a chunk of its own in the app (loaded on demand): these tests switch to it at once.
beforeAll(() => prefetchCatalogs());

describe("text answered as bytes", () => {
  it("decodes an ArrayBuffer or a view as UTF-8, keeps text and null, refuses anything else", () => {
    const bytes = new TextEncoder().encode('{"a":"ñ"}');
    expect(rawText(bytes.buffer)).toBe('{"a":"ñ"}');
    expect(rawText(bytes)).toBe('{"a":"ñ"}');
    expect(rawText("{}")).toBe("{}");
    expect(rawText(null)).toBeNull();
    expect(() => rawText(42)).toThrow(DeskError);
  });
});

describe("money", () => {
  it("formats decimal strings in the cart's currency", () => {
    expect(money({ amount: "1234.50", currency: "USD" }, "en-US")).toBe("$1,234.50");
    expect(money({ amount: "9.99", currency: "EUR" }, "de-DE")).toMatch(/9,99\s?€/);
    expect(money(null)).toBe("—");
  });
  it("follows the UI language", () => {
    const eur = { amount: "1234.50", currency: "EUR" };
    setLang("en");
    expect(money(eur)).toBe(new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR" }).format(1234.5));
    setLang("es");
    expect(money(eur)).toBe(new Intl.NumberFormat("es-US", { style: "currency", currency: "EUR" }).format(1234.5));
  });
  it("formats each amount anew: a remembered text never stands for another amount or currency", () => {
    expect(money({ amount: "10.00", currency: "USD" }, "en-US")).toBe("$10.00");
    expect(money({ amount: "10.01", currency: "USD" }, "en-US")).toBe("$10.01");
    expect(money({ amount: "10.00", currency: "CAD" }, "en-US")).toBe("CA$10.00");
    expect(money({ amount: "10.00", currency: "USD" }, "en-US")).toBe("$10.00");
    for (let i = 0; i < 5000; i++) expect(money({ amount: (i / 100).toFixed(2), currency: "USD" }, "en-US")).toBe(`$${(i / 100).toFixed(2)}`);
  });
  it("falls back to en-US for a locale that is not a BCP 47 tag", () => {
    expect(money({ amount: "5", currency: "USD" }, "C")).toBeDefined();
  });
});

describe("calendar", () => {
  it("lays out a month Monday first", () => {
    const g = monthGrid("2026-11");
    // 1 November 2026 is a Sunday: six padding cells first.
    expect(g.slice(0, 7)).toEqual([null, null, null, null, null, null, "2026-11-01"]);
    expect(g.filter(Boolean)).toHaveLength(30);
    expect(g.length % 7).toBe(0);
  });
  it("moves between months across years", () => {
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
  });
});

describe("words from typed facts", () => {
  it("languages from tags", () => {
    expect(toLang("es_MX.UTF-8")).toBe("es");
    expect(toLang("en-US")).toBe("en");
    expect(toLang("fr")).toBeNull();
    expect(toLang("")).toBeNull();
  });

  it("fills placeholders anew on every call; a value not given keeps its placeholder", () => {
    expect(t("announce.total", { merchant: "Luma", total: "$1.00" })).toBe("Luma total is now $1.00");
    expect(t("announce.total", { merchant: "Home", total: "$2.00" })).toBe("Home total is now $2.00");
    expect(t("announce.total", { merchant: "Luma" })).toBe("Luma total is now {total}");
    expect(t("ship.title", { n: 2, name: "{n}" })).toBe("Shipment 2: {n}");
    expect(t("cart.each")).toBe("{price} each");
  });

  it("plural counts by the language's rules", () => {
    expect(tCount("count.items", 1)).toBe("1 item");
    expect(tCount("count.items", 2)).toBe("2 items");
    setLang("es");
    expect(tCount("count.items", 0)).toBe("0 artículos");
  });

  it("field rules per field, else the rule with the field's name", () => {
    expect(fieldRuleText("number", "invalid")).toBe("This card number is not valid.");
    expect(fieldRuleText("city", "required")).toBe("City is required.");
    expect(fieldRuleText("exp_year", "expired")).toBe("This card has expired.");
    setLang("es");
    expect(fieldRuleText("city", "required")).toBe("Ciudad: este campo es obligatorio.");
  });

  it("errors by code (and field); the backend's English only for unknown codes", () => {
    const e = (code: string, extra: object = {}) => new DeskError({ code, message: "backend words", retryable: false, ...extra } as never);
    expect(errorText(e("CreditCardDeclined"))).toContain("declined");
    expect(errorText(e("Validation", { field: "domain" }))).toContain("merchant domain");
    expect(errorText(e("Validation", { field: "city" }))).toBe("Check this field: City.");
    expect(errorText(e("Validation"))).toBe("backend words");
    expect(errorText(e("Unmapped"))).toBe("backend words");
    // The app's own refusals have codes of their own, so they are worded in every language.
    expect(errorText(e("PaypalCancelled"))).toBe("PayPal was cancelled. Choose a payment method to continue.");
    setLang("es");
    expect(errorText(e("CreditCardDeclined"))).toContain("rechazada");
    expect(errorText(e("PaypalCancelled"))).toBe("Se canceló PayPal. Elija un método de pago para continuar.");
    expect(errorText(e("AlreadyOrdered"))).toBe("Este carrito ya se pidió. Empiece un pedido nuevo.");
  });

  it("payment methods, how an order was paid and why one is unknown, from typed facts", () => {
    const saved = (wallet: string | null, card: object | null) => ({ kind: "SavedCard", id: "pm1", wallet, blocker: null, card }) as never;
    const visa = { brand: "Visa", last_four: "4242", exp_month: "12", exp_year: "27" };
    expect(paymentLabel(saved("merchant", visa))).toBe("Visa •••• 4242 (exp 12/27)");
    expect(paymentLabel(saved("shoppay", visa))).toBe("Shop Pay · Visa •••• 4242 (exp 12/27)");
    expect(paymentLabel(saved(null, { brand: null, last_four: "1", exp_month: null, exp_year: "27" }))).toBe("Card •••• 1");
    expect(paymentLabel(saved(null, null))).toBe("Card");
    expect(paidWithText({ kind: "card", brand: "Mastercard", last_four: "5100" })).toBe("Mastercard ending in 5100");
    expect(paidWithText({ kind: "card", brand: null, last_four: null })).toBe("Card");
    expect(paidWithText({ kind: "paypal", email: "payer@example.com" })).toBe("PayPal (payer@example.com)");
    expect(paidWithText({ kind: "not_stated" })).toBe("Paid");
    expect(unknownCauseText({ kind: "server_answered", status: 409, error_id: "ErrorConflict" })).toBe(
      "The server answered ErrorConflict (HTTP 409).",
    );
    expect(unknownCauseText({ kind: "interrupted" })).toBe("The desk stopped while the order was being placed.");
    setLang("es");
    expect(paymentLabel(saved("shoppay", visa))).toBe("Shop Pay · Visa •••• 4242 (vence 12/27)");
    expect(paidWithText({ kind: "card", brand: null, last_four: "0005" })).toBe("Tarjeta terminada en 0005");
    expect(paidWithText({ kind: "not_stated" })).toBe("Pagado");
    expect(unknownCauseText({ kind: "server_failed", status: 502 })).toBe("El servidor falló al realizar el pedido (HTTP 502).");
    expect(unknownCauseText({ kind: "other", message: "reset by peer" })).toBe("reset by peer");
  });

  it("blockers name shipments by their place in the cart", () => {
    const cart = { shipments: [{ shipment_id: "a" }, { shipment_id: "b" }], line_items: [] } as never;
    expect(blockerText({ kind: "shipment_date", shipment_id: "b" }, cart)).toBe("Choose a delivery date for shipment 2.");
    expect(blockerText({ kind: "wallet_locked", wallet: "shoppay" })).toContain("Shop Pay");
  });

  it("fulfillment names from the catalog; the merchant's name only for OTHER", () => {
    expect(fulfillmentName("PICKUP_IN_STORE", "Store pickup!", "PICKUP_IN_STORE")).toBe("Pick up in store");
    expect(fulfillmentName("OTHER", "Locker", "LOCKER")).toBe("Locker");
    expect(fulfillmentName("OTHER", null, "LOCKER")).toBe("LOCKER");
    setLang("es");
    expect(fulfillmentName("SCHEDULED_DELIVERY", null, "SCHEDULED_DELIVERY")).toBe("Entrega programada");
  });

  it("an error's field finds its input in each form", () => {
    expect(fieldTarget("card", "exp_month")).toBe("card-exp");
    expect(fieldTarget("card", "exp_year")).toBe("card-exp");
    expect(fieldTarget("pay-all", "cvv")).toBe("pay-all-card-cvv");
    expect(fieldTarget("shipping", "postal_code")).toBe("shipping-postal_code");
    expect(fieldTarget("postal", "postal_code")).toBe("postal-code");
    expect(fieldTarget("otp", "otp")).toBe("otp");
    expect(fieldTarget("wallet", "email")).toBe("wallet-email");
    expect(fieldTarget("domain", "domain")).toBe("domain");
    expect(fieldTarget("none", "number")).toBeNull();
    expect(t("app.name")).toBe("Firmly Desk");
  });
});

describe("country options", () => {
  it("puts the first two first, sorts the rest by name in the language, and makes them once per list and language", () => {
    const codes = ["US", "CA", "FR", "DE", "AT"];
    const en = countryOptions(codes, "en-US");
    expect(en.map(([c]) => c)).toEqual(["US", "CA", "AT", "FR", "DE"]);
    expect(en[2][1]).toBe("Austria");
    expect(countryOptions(codes, "en-US")).toBe(en);
    const es = countryOptions(codes, "es-US");
    expect(es.map(([c]) => c)).toEqual(["US", "CA", "DE", "AT", "FR"]);
    expect(es).not.toBe(en);
    // Another list is made again.
    expect(countryOptions([...codes], "en-US")).not.toBe(en);
  });
});
