// The desk's helpers (issue #27): the demo helper, the support side panel, undo, and the
// confirmations before Reset demo and End session.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DemoHelperView, RequestLogView } from "../src/bindings";
import { changed, state } from "../src/state";
import { boot, startShopping } from "../src/session";
import { openDemo } from "../src/demo";
import { clearCart } from "../src/actions";
import { filterLog, logMerchant, looksLikeSnapshot, openSupport, sameLog } from "../src/support";
import { UNDO_MS, undoTimer } from "../src/undo";
import { appInfo, byTestId, called, cart, click, fail, flush, LUMA, on, readyCart, setup, teardown } from "./fixtures";

beforeEach(setup);
afterEach(() => {
  openDemo(false);
  openSupport(false);
  vi.useRealTimers();
  teardown();
});

const type = (id: string, text: string) => {
  const el = byTestId<HTMLInputElement>(id)!;
  el.value = text;
  el.dispatchEvent(new Event("input", { bubbles: true }));
};

function helper(extra: Partial<DemoHelperView> = {}): DemoHelperView {
  return {
    codes: [],
    cards: [
      { number: "4111111111111111", last_four: "1111", outcome: "approved" },
      { number: "4000000000000002", last_four: "0002", outcome: "CreditCardDeclined" },
    ],
    promo_codes: [
      { code: "SAVE10", effect: "items_10_percent" },
      { code: "EXPIRED", effect: "rejected" },
    ],
    scenarios: [
      { scenario: "declined", on: false },
      { scenario: "lost_response", on: false },
      { scenario: "store_unavailable", on: false },
    ],
    ...extra,
  };
}

describe("the demo helper", () => {
  it("exists in demo mode on the sandbox only", async () => {
    for (const [info, shown] of [
      [appInfo({ mode: "demo" }), true],
      [appInfo({ mode: "demo", environment: "Live" }), false],
      [appInfo({ mode: "agent" }), false],
      [appInfo({ mode: "kiosk" }), false],
    ] as const) {
      setup();
      on("app_info", () => info);
      await boot();
      if (info.mode === "kiosk") await startShopping();
      await flush();
      expect(!!byTestId("demo-helper-open"), `${info.mode} ${info.environment}`).toBe(shown);
      // Even if asked to, a desk without the helper draws none.
      openDemo(true);
      await flush();
      expect(!!byTestId("demo-helper"), `${info.mode} ${info.environment}`).toBe(shown);
      if (!shown) expect(called("demo_helper")).toHaveLength(0);
      openDemo(false);
    }
  });

  it("shows the codes, cards, promo codes and scenarios the backend lists; opens and closes from the header", async () => {
    on("demo_helper", () => helper({ codes: [{ email: "member@example.com", code: "482913" }] }));
    await boot();
    await flush();
    const toggle = byTestId("demo-helper-open")!;
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    click("demo-helper-open");
    await flush();
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    expect(byTestId("demo-otp")?.textContent).toContain("482913");
    expect(byTestId("demo-otp-member@example.com")?.textContent).toContain("member@example.com");
    expect(byTestId("demo-card-1111")?.textContent).toContain("Approved");
    expect(byTestId("demo-card-0002")?.textContent).toContain("Declined");
    expect(byTestId("demo-promo-SAVE10")?.textContent).toContain("10% off items");
    const sw = byTestId("demo-scenario-declined")!;
    expect(sw.getAttribute("role")).toBe("switch");
    expect(sw.getAttribute("aria-checked")).toBe("false");
    // Focus went into the panel; Escape closes it and gives the focus back to its button.
    expect(document.activeElement?.id).toBe("demo-helper-h");
    byTestId("demo-helper")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await flush();
    expect(byTestId("demo-helper")).toBeNull();
    expect(document.activeElement).toBe(byTestId("demo-helper-open"));
  });

  it("shows a code as soon as one is sent, and fills it into the sign-in waiting for it", async () => {
    let codes: DemoHelperView["codes"] = [];
    on("demo_helper", () => helper({ codes }));
    on("get_cart", () => cart(1, { session: { requires_login: true, is_email_registered: true, is_logged_in: false } }));
    on("request_otp", (a) => {
      codes = [{ email: String(a.email), code: "654321" }];
      return [a.email];
    });
    await boot();
    click("demo-helper-open");
    await flush();
    expect(byTestId("demo-otp")?.textContent).not.toContain("654321");
    type("otp-email", "member@example.com");
    click("otp-request");
    // Read again after the change, without any click in the helper.
    await vi.waitFor(() => expect(byTestId("demo-otp")?.textContent).toContain("654321"));
    click("demo-otp-use-member@example.com");
    await flush();
    expect(state.otp.code).toBe("654321");
    expect(byTestId<HTMLInputElement>("otp-code")?.value).toBe("654321");
  });

  it("a test card fills the whole card form, its CVV sized by the backend's card check", async () => {
    on("demo_helper", () => helper({ cards: [{ number: "378282246310005", last_four: "0005", outcome: "approved" }] }));
    on("get_cart", () => readyCart());
    on("validate_card", () => ({ brand: "amex", cvv_digits: 4, problems: [] }));
    state.payMethod = "PayPal";
    await boot();
    click("demo-helper-open");
    await flush();
    click("demo-card-0005");
    await flush();
    expect(state.payMethod).toBe("CreditCard");
    expect(state.card.number.replace(/\s/g, "")).toBe("378282246310005");
    expect(state.card.cvv).toBe("1234");
    const [mm, yy] = state.card.exp.split("/");
    expect(mm).toBe("12");
    expect(2000 + Number(yy)).toBeGreaterThan(new Date().getFullYear());
    expect(state.card.name).not.toBe("");
    expect(byTestId<HTMLInputElement>("card-number")?.value.replace(/\s/g, "")).toBe("378282246310005");
    expect(byTestId<HTMLInputElement>("card-cvv")?.value).toBe("1234");
    expect(byTestId("announcer")?.textContent).toContain("0005");
  });

  it("a promo code applies to the cart on screen; a scenario switch arms the sandbox's fault", async () => {
    on("demo_helper", () => helper());
    on("get_cart", () => readyCart());
    on("apply_promo", () => readyCart(1, { promo_codes: ["SAVE10"] }));
    on("demo_scenario", (a) =>
      helper({ scenarios: [{ scenario: "declined", on: a.on as boolean }, { scenario: "lost_response", on: false }, { scenario: "store_unavailable", on: false }] }),
    );
    await boot();
    click("demo-helper-open");
    await flush();
    click("demo-promo-SAVE10");
    await flush();
    expect(called("apply_promo")[0].args).toEqual({ domain: LUMA, code: "SAVE10" });
    click("demo-scenario-declined");
    await flush();
    expect(called("demo_scenario")[0].args).toEqual({ scenario: "declined", on: true });
    expect(byTestId("demo-scenario-declined")?.getAttribute("aria-checked")).toBe("true");
    expect(byTestId("announcer")?.textContent).toContain("Decline the next card");
  });

  it("a helper that cannot be read says why in the panel", async () => {
    on("demo_helper", fail({ code: "ModeRestricted", message: "The demo helper needs the embedded sandbox." }));
    await boot();
    click("demo-helper-open");
    await flush();
    expect(byTestId("demo-error")?.textContent).toBe("This is not available here.");
    expect(byTestId("error-banner")).toBeNull();
  });
});

describe("asking first", () => {
  it("Reset demo asks; cancelling keeps the cart; confirming resets once", async () => {
    on("get_cart", () => cart(2));
    on("reset_sandbox", () => appInfo());
    await boot();
    await flush();
    click("reset-demo");
    await flush();
    expect(byTestId("confirm-reset-demo")?.getAttribute("role")).toBe("alertdialog");
    expect(document.activeElement).toBe(byTestId("reset-demo-cancel"));
    click("reset-demo-cancel");
    await flush();
    expect(byTestId("confirm-reset-demo")).toBeNull();
    expect(called("reset_sandbox")).toHaveLength(0);
    expect(state.carts[LUMA].item_count).toBe(2);
    click("reset-demo");
    await flush();
    click("reset-demo-confirm");
    await flush();
    expect(called("reset_sandbox")).toHaveLength(1);
    expect(byTestId("confirm-reset-demo")).toBeNull();
  });

  it("End session asks in whichever mode shows it", async () => {
    for (const mode of ["kiosk", "agent", "demo"] as const) {
      setup();
      on("app_info", () => appInfo({ mode }));
      await boot();
      if (mode === "kiosk") await startShopping();
      state.confirmEnd = true;
      changed();
      await flush();
      expect(byTestId("confirm-end-session"), mode).not.toBeNull();
      click("end-session-cancel");
      await flush();
      expect(byTestId("confirm-end-session"), mode).toBeNull();
      expect(called("wipe_session"), mode).toHaveLength(0);
    }
  });
});

describe("undo", () => {
  it("Remove offers the line back for 5 s; Undo puts it back", async () => {
    on("get_cart", () => readyCart(2));
    on("set_quantity", () => cart(0));
    on("undo_removal", () => readyCart(2));
    await boot();
    await flush();
    click("remove-li-1");
    await flush();
    expect(called("set_quantity")[0].args).toEqual({ domain: LUMA, lineItemId: "li-1", quantity: 0 });
    expect(byTestId("undo-message")?.textContent).toBe("Hero Hoodie removed.");
    expect(byTestId("announcer")?.textContent).toBe("Hero Hoodie removed. Undo is available for 5 seconds.");
    expect(undoTimer()).toEqual({ shown: true, running: true, held: false });
    click("undo-button");
    await flush();
    expect(called("undo_removal")[0].args).toEqual({ domain: LUMA });
    expect(byTestId("undo")).toBeNull();
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId("announcer")?.textContent).toContain("Put back in the Luma cart");
  });

  it("the toast goes after 5 s, and waits while the person is on it", async () => {
    on("get_cart", () => readyCart(2));
    on("clear_cart", () => cart(0));
    await boot();
    await flush();
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    click("clear-cart");
    await vi.advanceTimersByTimeAsync(10);
    expect(byTestId("undo-message")?.textContent).toBe("Luma cart cleared.");
    await vi.advanceTimersByTimeAsync(UNDO_MS - 100);
    expect(byTestId("undo")).not.toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(byTestId("undo")).toBeNull();
    expect(undoTimer()).toEqual({ shown: false, running: false, held: false });

    // Again, and this time the person moves onto the toast: it waits, then goes 5 s after.
    on("get_cart", () => readyCart(2));
    state.carts[LUMA] = readyCart(2);
    changed();
    await vi.advanceTimersByTimeAsync(10);
    click("clear-cart");
    await vi.advanceTimersByTimeAsync(10);
    byTestId("undo-dismiss")!.dispatchEvent(new FocusEvent("focusin", { bubbles: true }));
    expect(undoTimer()).toEqual({ shown: true, running: false, held: true });
    await vi.advanceTimersByTimeAsync(UNDO_MS * 3);
    expect(byTestId("undo")).not.toBeNull();
    byTestId("undo-dismiss")!.dispatchEvent(new FocusEvent("focusout", { bubbles: true, relatedTarget: document.body }));
    expect(undoTimer().running).toBe(true);
    await vi.advanceTimersByTimeAsync(UNDO_MS + 10);
    expect(byTestId("undo")).toBeNull();
    // Nothing was cleared from an empty cart, so nothing is offered.
    expect(state.carts[LUMA].item_count).toBe(0);
    await clearCart();
    await vi.advanceTimersByTimeAsync(10);
    expect(called("clear_cart")).toHaveLength(3);
    expect(byTestId("undo")).toBeNull();
  });

  it("an undo too late says so and keeps the cart as it is", async () => {
    on("get_cart", () => readyCart(1));
    on("set_quantity", () => cart(0));
    on("undo_removal", fail({ code: "Validation", field: "undo", message: "There is nothing to undo any more." }));
    await boot();
    await flush();
    click("remove-li-1");
    await flush();
    click("undo-button");
    await flush();
    expect(byTestId("error-banner")?.textContent).toContain("nothing to undo");
    expect(state.carts[LUMA].item_count).toBe(0);
  });
});

describe("the support panel", () => {
  const agent = () => appInfo({ mode: "agent", merchants: [{ domain: LUMA, display_name: "Luma" }, { domain: "homegoods.test", display_name: "Home Goods" }] });
  const entry = (method: string, path: string, status: number | null, id: string | null, at = "2026-11-22T00:00:00Z"): RequestLogView => ({
    method,
    path,
    status,
    duration_ms: 12,
    request_id: id,
    at,
  });
  const LOG = [
    entry("GET", `/api/v2/domains/${LUMA}/cart`, 200, "req-1"),
    entry("POST", "/api/v1/domains/homegoods.test/cart/line-items/V-1", 200, "req-2"),
    entry("POST", `/api/v1/domains/${LUMA}/payment/complete-order`, 422, "req-3"),
    entry("GET", "/api/v1/domains-products/homegoods.test", null, null),
  ];

  it("filters by method, path, status, merchant name or domain and request id; newest first", () => {
    const names = { [LUMA]: "Luma", "homegoods.test": "Home Goods" };
    const ids = (f: string) => filterLog(LOG, f, names).map((e) => e.request_id);
    expect(ids("")).toEqual([null, "req-3", "req-2", "req-1"]);
    expect(ids("post")).toEqual(["req-3", "req-2"]);
    expect(ids("422")).toEqual(["req-3"]);
    expect(ids("home goods")).toEqual([null, "req-2"]);
    expect(ids("luma get")).toEqual(["req-1"]);
    expect(ids("REQ-2")).toEqual(["req-2"]);
    expect(ids("nothing-like-this")).toEqual([]);
    expect(logMerchant("/api/v1/domains-products/homegoods.test")).toBe("homegoods.test");
    expect(logMerchant("/api/v1/wallets/shoppay/unlock-start")).toBeNull();
    expect(sameLog(LOG, [...LOG])).toBe(true);
    expect(sameLog(LOG, [...LOG.slice(1), entry("GET", "/x", 200, "req-9")])).toBe(false);
  });

  it("is a side panel from the header: live, filtered, with copy buttons and the diagnostics", async () => {
    let log = LOG.slice(0, 2);
    on("app_info", agent);
    on("get_cart", () => readyCart());
    on("request_log", () => log);
    on("raw_cart", () => new TextEncoder().encode('{"cart_id":"c1"}').buffer);
    on("copy_text", () => null);
    on("diagnostics", () => ({ version: "0.1.0", platform: "Linux 6.8.0, WebKitGTK 2.46.0", mode: "agent", environment: "Sandbox", api_base: "x", device_id: "dev-1", recent_errors: [], log_tail: [], text: "t" }));
    await boot();
    await flush();
    // The device id is no longer in the header.
    expect(byTestId("device-id")).toBeNull();
    click("support-open");
    await flush();
    expect(byTestId("support-panel")?.tagName).toBe("ASIDE");
    expect(byTestId("device-id")?.textContent).toBe("dev-1");
    expect(byTestId("diagnostics-platform")?.textContent).toContain("WebKitGTK");
    expect(byTestId("request-log")?.querySelectorAll("li")).toHaveLength(2);
    // Live: a request made meanwhile shows without a click.
    log = LOG;
    changed();
    await vi.waitFor(() => expect(byTestId("request-log")?.querySelectorAll("li")).toHaveLength(4));
    type("request-log-filter", "422");
    await flush();
    expect(byTestId("request-log")?.querySelectorAll("li")).toHaveLength(1);
    expect(byTestId("request-log-count")?.textContent).toContain("1 of 4");
    click("copy-request-id-req-3");
    await flush();
    expect(called("copy_text").at(-1)?.args).toEqual({ text: "req-3" });
    expect(byTestId("announcer")?.textContent).toContain("req-3");
    click("copy-raw-json");
    await flush();
    expect(called("copy_text").at(-1)?.args).toEqual({ text: '{"cart_id":"c1"}' });
    // Escape closes it; the focus goes back to its header button.
    byTestId("request-log-filter")!.focus();
    byTestId("request-log-filter")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true }));
    await flush();
    expect(byTestId("support-panel")).toBeNull();
    expect(document.activeElement).toBe(byTestId("support-open"));
    // Closed, it reads nothing more.
    const reads = called("request_log").length;
    changed();
    await new Promise((r) => setTimeout(r, 300));
    expect(called("request_log")).toHaveLength(reads);
  });

  it("pastes a snapshot from the clipboard; other text is refused with a clear error and changes nothing", async () => {
    const snapshot = JSON.stringify({ format: "firmly-desk-snapshot/1", exported_at: "2026-11-22T00:00:00Z" });
    let clip: string | null = "Hello from an email";
    on("app_info", agent);
    on("get_cart", () => readyCart());
    on("paste_text", () => clip);
    on("import_snapshot", () => ({ read_only: true, exported_at: "2026-11-22T00:00:00Z", hive: { carts: [], total: [] } }));
    await boot();
    click("support-open");
    await flush();
    click("paste-snapshot");
    await flush();
    expect(byTestId("field-error-paste-snapshot")?.textContent).toContain("does not hold a Firmly Desk snapshot");
    expect(byTestId("field-error-paste-snapshot")?.textContent).toContain("Hello from an email");
    expect(called("import_snapshot")).toHaveLength(0);
    expect(state.carts[LUMA].item_count).toBe(1);
    clip = null;
    click("paste-snapshot");
    await flush();
    expect(byTestId("field-error-paste-snapshot")?.textContent).toBe("The clipboard holds no text to import.");
    clip = snapshot;
    click("paste-snapshot");
    await flush();
    expect(called("import_snapshot")[0].args).toEqual({ text: snapshot });
    expect(byTestId("field-error-paste-snapshot")).toBeNull();
    expect(state.snapshot?.exportedAt).toBe("2026-11-22T00:00:00Z");
    // A snapshot the backend refuses (another API) is refused where it was pasted, too.
    state.snapshot = null;
    on("import_snapshot", fail({ code: "Validation", message: "The snapshot belongs to http://a/, but the app is connected to http://b/." }));
    click("paste-snapshot");
    await flush();
    expect(byTestId("field-error-paste-snapshot")?.textContent).toContain("belongs to http://a/");
    expect(looksLikeSnapshot("[1,2]")).toBe(false);
    expect(looksLikeSnapshot('{"format": 1}')).toBe(false);
  });

  it("is never shown on a kiosk", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    await boot();
    await startShopping();
    state.support.open = true;
    changed();
    await flush();
    expect(byTestId("support-open")).toBeNull();
    expect(byTestId("support-panel")).toBeNull();
    expect(byTestId("device-id")).toBeNull();
    expect(called("request_log")).toHaveLength(0);
  });
});
