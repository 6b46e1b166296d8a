// The counter's logic, one piece at a time: phone numbers, time slots, the MM/YY expiry, card
// grouping, opening hours, the catalog's search, pay all's rows, the on-screen keyboard's
// keys, where a merchant's validation message belongs, one name per merchant.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  formatCardNumber,
  formatExpiry,
  formatPhone,
  hoursRows,
  parseExpiry,
  slotLabel,
  slotText,
  weekdayName,
} from "../src/format";
import { filterProducts, linkErrorText, searchKey } from "../src/catalog";
import { advance, previewRow, rowState, settle, type PayAllRow } from "../src/payall";
import { applyKey, keyId, layout, padFor, type Key } from "../src/keyboard";
import { validationPlace } from "../src/views/checkout";
import { merchantName } from "../src/names";
import { blockerTarget, blockerTestId } from "../src/blockers";
import { missingFields, requiredFields } from "../src/address";
import { toCardInput } from "../src/card";
import { DeskError } from "../src/ipc";
import { resetState, state, emptyAddress } from "../src/state";
import { setLang, prefetchCatalogs } from "../src/i18n";
import { errorText } from "../src/messages";
import { appInfo, cart, LUMA, order, pending, readyCart } from "./fixtures";

afterEach(() => {
  setLang("en");
  resetState();
});

// Spanish is a chunk of its own in the app (loaded on demand): these tests switch to it at once.
beforeAll(() => prefetchCatalogs());

describe("phone numbers", () => {
  it("North American numbers read as (206) 555-0101, written any way", () => {
    expect(formatPhone("+12065550101")).toBe("(206) 555-0101");
    expect(formatPhone("2065550101")).toBe("(206) 555-0101");
    expect(formatPhone("1-206-555-0101")).toBe("(206) 555-0101");
    expect(formatPhone("(206) 555.0101")).toBe("(206) 555-0101");
  });
  it("international numbers get their country code and groups", () => {
    expect(formatPhone("+442079460958")).toBe("+44 207 946 0958");
    expect(formatPhone("+525512345678")).toBe("+52 551 234 5678");
    expect(formatPhone("+3545511234")).toBe("+354 551 1234");
    expect(formatPhone("+33 1 23 45 67 89")).toBe("+33 123 456 789");
  });
  it("anything that is not a plain number is shown as it came", () => {
    expect(formatPhone("")).toBe("");
    expect(formatPhone(null)).toBe("");
    expect(formatPhone("555-0101 ext 4")).toBe("555-0101 ext 4");
    expect(formatPhone("12345")).toBe("12345");
    expect(formatPhone("+12")).toBe("+12");
  });
});

describe("time slots", () => {
  it("say their times once: the label without the times it repeats, then the range", () => {
    expect(slotText({ start: "08:00", end: "12:00", description: "Morning (8 AM - 12 PM)" })).toBe("Morning · 8:00–12:00");
    expect(slotText({ start: "13:00", end: "17:00", description: "Afternoon" })).toBe("Afternoon · 13:00–17:00");
    expect(slotText({ start: "08:00", end: "12:00", description: "08:00-12:00" })).toBe("8:00–12:00");
    expect(slotText({ start: "08:00", end: "12:00", description: null })).toBe("8:00–12:00");
    expect(slotText({ start: "18:00", end: "21:00", description: "Evening, 6pm to 9pm" })).toBe("Evening · 18:00–21:00");
  });
  it("keeps words that are not times", () => {
    expect(slotLabel("Mañana (8 a 12)")).toBe("Mañana");
    expect(slotLabel("White glove [9:00–11:00] delivery")).toBe("White glove delivery");
    expect(slotLabel("Express")).toBe("Express");
  });
});

describe("the MM/YY expiry", () => {
  it("is shaped while typing", () => {
    expect(formatExpiry("12")).toBe("12");
    expect(formatExpiry("123")).toBe("12/3");
    expect(formatExpiry("1231")).toBe("12/31");
    expect(formatExpiry("12/31")).toBe("12/31");
    expect(formatExpiry("1/3")).toBe("01/3");
    expect(formatExpiry("1/")).toBe("1/");
    expect(formatExpiry("12/2031")).toBe("12/2031");
    expect(formatExpiry("ab")).toBe("");
  });
  it("goes to the backend as month and year", () => {
    expect(parseExpiry("12/31")).toEqual({ month: "12", year: "2031" });
    expect(parseExpiry("1/31")).toEqual({ month: "01", year: "2031" });
    expect(parseExpiry("1231")).toEqual({ month: "12", year: "2031" });
    expect(parseExpiry("131")).toEqual({ month: "01", year: "2031" });
    expect(parseExpiry("12 / 2031")).toEqual({ month: "12", year: "2031" });
    expect(parseExpiry("122031")).toEqual({ month: "12", year: "2031" });
    expect(parseExpiry("")).toEqual({ month: "", year: "" });
    // Nothing judged here: the card check says what is wrong.
    expect(parseExpiry("13/3")).toEqual({ month: "13", year: "3" });
    expect(parseExpiry("x")).toEqual({ month: "x", year: "" });
  });
  it("a draft becomes the backend's card without losing anything", () => {
    expect(toCardInput({ number: "4111 1111 1111 1111", name: "Ada", exp: "08/29", cvv: "123" })).toEqual({
      number: "4111 1111 1111 1111",
      name: "Ada",
      exp_month: "08",
      exp_year: "2029",
      cvv: "123",
    });
  });
});

describe("card numbers", () => {
  it("are grouped as the brand the card check named prints them", () => {
    expect(formatCardNumber("4111111111111111")).toBe("4111 1111 1111 1111");
    expect(formatCardNumber("4111111111111111", "visa")).toBe("4111 1111 1111 1111");
    expect(formatCardNumber("378282246310005", "amex")).toBe("3782 822463 10005");
    expect(formatCardNumber("30569309025904", "diners_club")).toBe("3056 930902 5904");
    // No brand table here: an Amex number before the check answered is grouped in fours.
    expect(formatCardNumber("378282246310005")).toBe("3782 8224 6310 005");
    expect(formatCardNumber("4111-1111-1111-1111-1234")).toBe("4111 1111 1111 1111 123");
  });
});

describe("opening hours", () => {
  const week = ["monday", "tuesday", "wednesday", "thursday", "friday"].map((d) => `${d}: 9:00 AM - 9:00 PM`);
  it("join neighbouring days with the same hours, in the UI's language", () => {
    expect(hoursRows([...week, "saturday: 10:00 AM - 6:00 PM", "sunday: 10:00 AM - 6:00 PM"], "en-US")).toEqual([
      { days: "Monday–Friday", hours: "9:00 AM - 9:00 PM" },
      { days: "Saturday–Sunday", hours: "10:00 AM - 6:00 PM" },
    ]);
    expect(hoursRows(["monday: 9-5", "wednesday: 9-5"], "en-US")).toEqual([
      { days: "Monday", hours: "9-5" },
      { days: "Wednesday", hours: "9-5" },
    ]);
    expect(weekdayName("saturday", "es-US")).toBe("Sábado");
    expect(hoursRows(["Mon–Sat 9–6"], "en-US")).toEqual([{ days: "", hours: "Mon–Sat 9–6" }]);
  });
});

describe("the catalog's search", () => {
  const list = [
    { handle: "hero-hoodie", title: "Hero Hoodie" },
    { handle: "radiant-tee", title: "Radiant Tee" },
    { handle: "cafe-mug", title: "Café Mug" },
  ];
  it("keeps products holding every word, accents and case ignored", () => {
    expect(filterProducts(list, "")).toEqual(list);
    expect(filterProducts(list, "  ")).toEqual(list);
    expect(filterProducts(list, "hoodie").map((p) => p.handle)).toEqual(["hero-hoodie"]);
    expect(filterProducts(list, "CAFE").map((p) => p.handle)).toEqual(["cafe-mug"]);
    expect(filterProducts(list, "mug café").map((p) => p.handle)).toEqual(["cafe-mug"]);
    expect(filterProducts(list, "tee hoodie")).toEqual([]);
    expect(filterProducts(list, "radiant-tee").map((p) => p.handle)).toEqual([]);
    expect(filterProducts(list, "radiant tee").map((p) => p.handle)).toEqual(["radiant-tee"]);
    expect(searchKey("  Ñandú  Árbol ")).toBe("nandu arbol");
  });
});

describe("a link's error, in words", () => {
  const e = (code: string, raw: string | null = null) =>
    new DeskError({ code: code as never, raw_code: raw, message: "english", field: "link", retryable: false });
  it("tells a link nobody sells from one that is not a link, and a sold-out product", () => {
    expect(linkErrorText(e("Validation", "ProductNotFound"))).toContain("not a product that can be bought here");
    expect(linkErrorText(e("Validation"))).toContain("not a product page link");
    expect(linkErrorText(e("NotEnoughStock"))).toBe("This product is sold out at the moment.");
    setLang("es");
    expect(linkErrorText(e("Validation", "ProductUrlNotImplemented"))).toContain("no es un producto");
  });
});

describe("pay all's rows", () => {
  const placed = { outcome: "placed" as const, order: order() };
  it("move forward only: waiting → paying → outcome; a late event changes nothing", () => {
    let row: PayAllRow | undefined;
    row = advance(row, { stage: "waiting" });
    expect(rowState(row)).toBe("waiting");
    row = advance(row, { stage: "paying" });
    expect(rowState(row)).toBe("paying");
    row = advance(row, { stage: "waiting" });
    expect(rowState(row)).toBe("paying");
    row = advance(row, { stage: "done", outcome: placed });
    expect(rowState(row)).toBe("placed");
    expect(advance(row, { stage: "paying" })).toBe(row);
    expect(advance(row, { stage: "not_ready", blockers: [] })).toBe(row);
  });
  it("a cart that is not ready says what blocks it; the run's answer settles every row", () => {
    const nr = advance(advance(undefined, { stage: "waiting" }), { stage: "not_ready", blockers: [{ kind: "login" }] });
    expect(rowState(nr)).toBe("not_ready");
    expect(nr.blockers).toEqual([{ kind: "login" }]);
    expect(rowState(previewRow([]))).toBe("ready");
    expect(rowState(previewRow([{ kind: "shipping_address" }]))).toBe("not_ready");
    const unknown = settle({ domain: LUMA, display_name: "Luma", outcome: { outcome: "unknown", pending: pending() }, not_ready: [] });
    expect(rowState(unknown)).toBe("unknown");
    expect(rowState(settle({ domain: LUMA, display_name: "Luma", outcome: null, not_ready: [{ kind: "login" }] }))).toBe("not_ready");
  });
});

describe("the on-screen keyboard's keys", () => {
  const ch = (c: string): Key => ({ kind: "char", char: c });
  it("give numeric fields a number pad, phones a + too, the rest letters", () => {
    expect(padFor({ inputMode: "numeric", type: "text" })).toBe("numeric");
    expect(padFor({ inputMode: "", type: "password" })).toBe("text");
    expect(padFor({ inputMode: "numeric", type: "password" })).toBe("numeric");
    expect(padFor({ inputMode: "tel", type: "tel" })).toBe("tel");
    expect(padFor({ type: "email" })).toBe("email");
    const tel = layout("tel", "en").flat().map(keyId);
    expect(tel).toContain("+");
    expect(tel).toContain("done");
    const pad = layout("numeric", "en").flat().map(keyId);
    expect(pad.filter((k) => /^\d$/.test(k)).sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(pad).not.toContain("a");
  });
  it("speak the language: ñ and accented vowels in Spanish, capitals with Shift", () => {
    const en = layout("text", "en").flat().map(keyId);
    const es = layout("text", "es").flat().map(keyId);
    expect(en).not.toContain("ñ");
    expect(es).toEqual(expect.arrayContaining(["ñ", "á", "é", "í", "ó", "ú", "ü", "space", "backspace", "shift", "done"]));
    expect(layout("text", "es", true).flat().map(keyId)).toEqual(expect.arrayContaining(["Ñ", "Á", "Q"]));
    expect(layout("email", "en").flat().map(keyId)).toContain("@");
  });
  it("type at the caret, replace a selection, delete backwards, respect the length", () => {
    expect(applyKey("Ada", 3, 3, ch("m"))).toEqual({ value: "Adam", caret: 4 });
    expect(applyKey("Aa", 1, 1, ch("d"))).toEqual({ value: "Ada", caret: 2 });
    expect(applyKey("Ada", 0, 3, ch("B"))).toEqual({ value: "B", caret: 1 });
    expect(applyKey("Ada", null, null, { kind: "space" })).toEqual({ value: "Ada ", caret: 4 });
    expect(applyKey("Ada", 3, 3, { kind: "backspace" })).toEqual({ value: "Ad", caret: 2 });
    expect(applyKey("Ada", 1, 3, { kind: "backspace" })).toEqual({ value: "A", caret: 1 });
    expect(applyKey("Ada", 0, 0, { kind: "backspace" })).toBeNull();
    expect(applyKey("12", 2, 2, ch("3"), 2)).toBeNull();
    expect(applyKey("a😀", 3, 3, { kind: "backspace" })).toEqual({ value: "a", caret: 1 });
    expect(applyKey("x", 1, 1, { kind: "shift" })).toBeNull();
    expect(applyKey("x", 1, 1, { kind: "done" })).toBeNull();
  });
});

describe("where a merchant's validation message belongs", () => {
  it("goes by the field it names", () => {
    expect(validationPlace("")).toBe("cart");
    expect(validationPlace("shipping_info.postal_code")).toBe("shipping");
    expect(validationPlace("postal_code")).toBe("shipping");
    expect(validationPlace("email")).toBe("shipping");
    expect(validationPlace("billing_info.address1")).toBe("billing");
    expect(validationPlace("credit_card.number")).toBe("payment");
    expect(validationPlace("consents[0]")).toBe("consents");
    expect(validationPlace("line_items[0].quantity")).toBe("cart");
  });
});

describe("what blocks an order, as links", () => {
  it("names the field or control that resolves each blocker", () => {
    state.shipping = emptyAddress();
    const c = cart(1);
    expect(blockerTarget({ kind: "shipping_address" }, c)).toBe("shipping-first_name");
    state.shipping = { ...readyCart().shipping_info!, city: "" };
    expect(blockerTarget({ kind: "shipping_address" }, c)).toBe("shipping-city");
    state.fieldErrors["shipping-postal_code"] = "Enter a ZIP code";
    expect(blockerTarget({ kind: "shipping_address" }, c)).toBe("shipping-postal_code");
    expect(blockerTarget({ kind: "shipment_method", shipment_id: "s1" }, c)).toBe("methods-s1");
    expect(blockerTarget({ kind: "shipment_date", shipment_id: "s1" }, c)).toBe("cal-s1");
    expect(blockerTarget({ kind: "shipment_location", shipment_id: "s1" }, c)).toBe("locations-s1");
    expect(blockerTarget({ kind: "item_unavailable", line_item_id: "li-1" }, c)).toBe("remove-li-1");
    expect(blockerTarget({ kind: "login" }, c)).toBe("otp-email");
    expect(blockerTarget({ kind: "wallet_locked", wallet: "shoppay" }, c)).toBe("wallet-email");
    expect(blockerTarget({ kind: "order_pending" }, c)).toBe("order-check-again");
    expect(blockerTarget({ kind: "empty_cart" }, c)).toBe("product-search");
    const consents = cart(1, {
      consents: [
        { id: "news", text: "", parts: [], rich_text: false, required: false, revokable: true, signed: false, slot: null },
        { id: "terms", text: "", parts: [], rich_text: false, required: true, revokable: false, signed: false, slot: null },
      ],
    });
    expect(blockerTarget({ kind: "consents", ids: ["news", "terms"] }, consents)).toBe("consent-terms");
    expect(blockerTestId({ kind: "shipment_date", shipment_id: "s1" })).toBe("blocker-shipment_date-s1");
    expect(blockerTestId({ kind: "consents", ids: [] })).toBe("blocker-consents");
  });
  it("an address is complete when the merchant's required fields are filled (its optional ones and a signed-in email aside)", () => {
    const c = cart(1, { optional_fields: ["shipping_phone"] });
    const req = requiredFields("shipping", c);
    expect(req).not.toContain("phone");
    expect(req).not.toContain("address2");
    expect(req).toContain("email");
    expect(requiredFields("shipping", cart(1, { account_email: "m@example.com" }))).not.toContain("email");
    expect(requiredFields("billing", c)).not.toContain("email");
    const a = { ...readyCart().shipping_info!, phone: "" };
    expect(missingFields(a, req)).toEqual([]);
    expect(missingFields({ ...a, state_or_province: " " }, req)).toEqual(["state_or_province"]);
  });
});

describe("one name per merchant", () => {
  it("is the desk's name, else the cart's, else the domain", () => {
    state.info = appInfo({ merchants: [{ domain: LUMA, display_name: "Luma" }, { domain: "new.test", display_name: "new.test" }] });
    state.carts[LUMA] = cart(1, { display_name: "Luma Store" });
    state.carts["new.test"] = cart(1, { domain: "new.test", display_name: "New Shop" });
    expect(merchantName(LUMA)).toBe("Luma");
    expect(merchantName("new.test")).toBe("New Shop");
    expect(merchantName("other.test")).toBe("other.test");
  });
});

describe("a captcha the merchant asks for", () => {
  it("is worded for a person, and sends a kiosk's shopper to staff", () => {
    const e = new DeskError({ code: "Unmapped", raw_code: "CaptchaRequired", message: "captcha_token required", field: "captcha", retryable: false });
    expect(errorText(e)).toContain("a check this app cannot show");
    state.info = appInfo({ mode: "kiosk" });
    expect(errorText(e)).toContain("ask staff");
    expect(errorText(e)).not.toContain("Captcha");
  });
});
