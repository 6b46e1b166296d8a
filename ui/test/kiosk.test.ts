// Wave 3 on the kiosk: the end of an order (receipt QR, printing through the backend, Done
// and its countdown), End session asked first, the staff PIN pad and panel, words instead of
// ids, the language kept by the backend only, health in words, read-only snapshots, and an
// order answer for a customer who has left.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { AppInfo, QrView, StaffView } from "../src/bindings";
import { changed, DESK_KEYS, initialState, state } from "../src/state";
import { boot, documentOps, startShopping } from "../src/session";
import { listenToBackend } from "../src/listen";
import { placeOrder } from "../src/orders";
import { DONE_TICK_MS } from "../src/kiosk";
import { LONG_PRESS_MS, LongPress } from "../src/staff";
import { importSnapshot } from "../src/support";
import { qrRuns, QR_QUIET } from "../src/views/kiosk";
import { sourceFiles } from "./lint";
import {
  appInfo,
  byTestId,
  called,
  cart,
  click,
  fail,
  flush,
  type Handler,
  HOME,
  LUMA,
  on,
  order,
  pending,
  readyCart,
  root,
  setup,
  teardown,
  usd,
  wordsArrive,
} from "./fixtures";

beforeEach(setup);
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  teardown();
});

const kiosk = (extra: Partial<AppInfo> = {}, k: Partial<AppInfo["kiosk"]> = {}): AppInfo =>
  appInfo({
    mode: "kiosk",
    kiosk: { order_done_seconds: 30, touch_keyboard: false, can_print: false, staff_panel: true, ...k },
    ...extra,
  });

const THANKS = "http://127.0.0.1:9/__sandbox/thank-you/SBX-1";
const QR: QrView = { size: 3, rows: ["110", "001", "111"], url: THANKS };

/** A kiosk in the shop, a ready Luma cart, an address typed; `place_card_order` places. */
async function kioskReadyToPay(k: Partial<AppInfo["kiosk"]> = {}): Promise<void> {
  on("app_info", () => kiosk({}, k));
  on("get_cart", () => readyCart());
  on("wipe_session", () => kiosk({ device_id: null }, k));
  on("receipt_qr", (a) => ({ ...QR, url: a.url }));
  on("place_card_order", () => ({ outcome: "placed", order: order({ thank_you_url: THANKS }) }));
  await boot();
  await startShopping();
  await flush();
  state.card = { number: "4111 1111 1111 1111", name: "Ada Lovelace", exp: "12/30", cvv: "123" };
  state.shipping.first_name = "Ada";
  state.shipping.email = "ada@example.com";
  state.shipping.address1 = "1 Pike Place";
}

/** What the page shows and holds in its inputs. */
function pageText(): string {
  const values = [...root.querySelectorAll("input")].map((i) => (i as HTMLInputElement).value).join("|");
  return `${root.textContent ?? ""}|${values}`;
}

describe("the end of an order on a kiosk", () => {
  it("shows the receipt's QR code, Done and a countdown that ends the session by itself", async () => {
    await kioskReadyToPay({ order_done_seconds: 12 });
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    await placeOrder();
    await flush();
    expect(byTestId("order-confirmation")).not.toBeNull();
    expect(called("receipt_qr")[0].args).toEqual({ url: THANKS });
    expect(byTestId("receipt-qr")?.tagName.toLowerCase()).toBe("svg");
    expect(byTestId("receipt-qr-caption")?.textContent).toContain("Scan");
    expect(byTestId("order-done")).not.toBeNull();
    expect(byTestId("order-done-countdown")?.textContent).toContain("12 s");
    // The countdown is not a live region: it is announced when it starts and once near its end.
    expect(byTestId("order-done-countdown")?.closest("[aria-live]")).toBeNull();
    const first = byTestId("announcer")?.textContent ?? "";
    expect(first).toContain("Order SBX-1 placed");
    expect(first).toContain("12 seconds");
    vi.advanceTimersByTime(1000);
    await flush();
    expect(byTestId("order-done-countdown")?.textContent).toContain("11 s");
    expect(byTestId("announcer")?.textContent).toBe(first);
    // A touch does not extend it: a fixed confirmation timer.
    document.body.dispatchEvent(new Event("pointerdown", { bubbles: true }));
    vi.advanceTimersByTime(1000);
    await flush();
    expect(byTestId("order-done-countdown")?.textContent).toContain("10 s");
    expect(byTestId("announcer")?.textContent).toContain("10 seconds");
    expect(called("wipe_session")).toHaveLength(0);
    vi.advanceTimersByTime(10_000 + DONE_TICK_MS);
    await flush();
    expect(called("wipe_session")).toHaveLength(1);
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(byTestId("order-done-countdown")).toBeNull();
    // Nothing of the shopper lingers: name, email, address, card.
    expect(state.shipping).toEqual(initialState().shipping);
    expect(state.card).toEqual(initialState().card);
    for (const trace of ["Ada", "ada@example.com", "Pike Place", "4111", "SBX-1"]) expect(pageText()).not.toContain(trace);
    // The interval is gone: more time changes nothing.
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(called("wipe_session")).toHaveLength(1);
  });

  it("Done ends the session at once; the order answer and its event show one confirmation", async () => {
    await kioskReadyToPay();
    const stop = await listenToBackend();
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    await placeOrder();
    await emit("order-placed", order({ thank_you_url: THANKS }));
    await flush();
    expect(called("receipt_qr")).toHaveLength(1);
    vi.advanceTimersByTime(3000);
    await flush();
    expect(byTestId("order-done-countdown")?.textContent).toContain("27 s");
    click("order-done");
    await flush();
    expect(called("wipe_session")).toHaveLength(1);
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(state.orderDone).toBeNull();
    vi.advanceTimersByTime(60_000);
    await flush();
    expect(called("wipe_session")).toHaveLength(1);
    stop();
  });

  it("offers the shopper's other carts (the countdown stops) only when one holds items", async () => {
    await kioskReadyToPay();
    on("get_hive", () => ({ carts: [readyCart(), cart(2, { domain: HOME })], total: [usd("162.00")] }));
    state.carts[HOME] = cart(2, { domain: HOME });
    await placeOrder();
    await flush();
    expect(byTestId("new-order")?.textContent).toContain("other carts");
    on("get_cart", (a) => (a.domain === HOME ? cart(2, { domain: HOME }) : cart(0)));
    click("new-order");
    await flush();
    expect(byTestId("order-confirmation")).toBeNull();
    expect(state.orderDone).toBeNull();
    expect(state.selected).toBe(HOME);
    expect(byTestId("line-item-li-1")).not.toBeNull();
  });

  it("draws no QR code without a receipt page, and never a data: URI", async () => {
    await kioskReadyToPay();
    on("place_card_order", () => ({ outcome: "placed", order: order({ thank_you_url: null }) }));
    await placeOrder();
    await flush();
    expect(byTestId("order-confirmation")).not.toBeNull();
    expect(byTestId("receipt-qr")).toBeNull();
    expect(called("receipt_qr")).toHaveLength(0);
    expect(root.innerHTML).not.toContain("data:");
  });

  it("a QR code the backend cannot make leaves the confirmation whole, without a banner", async () => {
    await kioskReadyToPay();
    on("receipt_qr", fail({ code: "Validation", field: "url", message: "not a URL" }));
    await placeOrder();
    await flush();
    expect(byTestId("order-confirmation")).not.toBeNull();
    expect(byTestId("receipt-qr")).toBeNull();
    expect(byTestId("error-banner")).toBeNull();
    expect(byTestId("order-done")).not.toBeNull();
  });

  it("QR: dark modules become one rect per run, inside a quiet zone", async () => {
    expect(qrRuns({ size: 4, rows: ["1101", "0000", "1111", "0110"], url: "u" })).toEqual([
      [0, 0, 2],
      [3, 0, 1],
      [0, 2, 4],
      [1, 3, 2],
    ]);
    await kioskReadyToPay();
    await placeOrder();
    await flush();
    const qr = byTestId("receipt-qr")!;
    expect(qr.getAttribute("viewBox")).toBe(`0 0 ${3 + 2 * QR_QUIET} ${3 + 2 * QR_QUIET}`);
    expect(qr.getAttribute("role")).toBe("img");
    expect(qr.getAttribute("aria-label")).toBeTruthy();
    const dark = [...qr.querySelectorAll("rect")].filter((r) => r.getAttribute("fill") === "#000000");
    expect(dark.map((r) => [r.getAttribute("x"), r.getAttribute("y"), r.getAttribute("width")])).toEqual([
      [`${QR_QUIET}`, `${QR_QUIET}`, "2"],
      [`${QR_QUIET + 2}`, `${QR_QUIET + 1}`, "1"],
      [`${QR_QUIET}`, `${QR_QUIET + 2}`, "3"],
    ]);
    expect(qr.innerHTML).not.toContain("data:");
  });

  it("prints through the backend only when a printer is set; a failure says so in words", async () => {
    await kioskReadyToPay();
    await placeOrder();
    await flush();
    expect(byTestId("print-receipt")).toBeNull();
    teardown();
    setup();
    await kioskReadyToPay({ can_print: true });
    on("print_receipt", () => null);
    await placeOrder();
    await flush();
    click("print-receipt");
    await flush();
    expect(called("print_receipt")[0].args.words).toMatchObject({ order: "Order", paid_with: "Paid with Visa ending in 1111" });
    expect(state.announce).toContain("printing");
    on("print_receipt", fail({ code: "PrintFailed", message: "lp: exit 1", request_id: "ray-abc123456" }));
    click("print-receipt");
    await flush();
    const banner = byTestId("error-banner")!;
    expect(banner.textContent).toContain("could not be printed. Please ask staff.");
    expect(banner.textContent).not.toContain("PrintFailed");
    expect(banner.textContent).not.toContain("lp: exit 1");
    expect(banner.textContent).not.toContain("ray-abc123456");
    expect(byTestId("staff-ref")?.textContent).toBe("Staff reference: 123456");
  });

  it("never calls window.print, in any mode (and no source mentions it)", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => {
      throw new Error("window.print was called");
    });
    for (const mode of ["demo", "agent", "kiosk"] as const) {
      teardown();
      setup();
      on("app_info", () => appInfo({ mode, kiosk: { order_done_seconds: 30, touch_keyboard: false, can_print: true, staff_panel: false } }));
      on("get_cart", () => readyCart());
      on("save_receipt", () => "/tmp/r.txt");
      on("print_receipt", () => null);
      on("receipt_qr", (a) => ({ ...QR, url: a.url }));
      on("wipe_session", () => appInfo({ mode }));
      await boot();
      if (mode === "kiosk") await startShopping();
      state.order = order({ thank_you_url: THANKS });
      changed();
      await flush();
      const buttons = [...byTestId("order-confirmation")!.querySelectorAll("button")].map((b) => b.dataset.testid!);
      expect(buttons.length).toBeGreaterThan(0);
      for (const id of buttons.filter((b) => b !== "order-done" && b !== "new-order")) {
        click(id);
        await flush();
      }
    }
    expect(print).not.toHaveBeenCalled();
    for (const file of sourceFiles()) expect(readFileSync(file, "utf8"), file).not.toMatch(/\bprint\s*\(\s*\)/);
  });
});

describe("End session on a kiosk", () => {
  it("is asked first; confirming clears the screen before the backend answers", async () => {
    await kioskReadyToPay();
    let seen = "";
    // The backend answers after the page had its chance to render (the render is queued
    // by the wipe before the command is sent).
    on(
      "wipe_session",
      () =>
        new Promise((resolve) =>
          queueMicrotask(() => {
            seen = pageText();
            resolve(kiosk({ device_id: null }));
          }),
        ),
    );
    click("end-session");
    await flush();
    const box = byTestId("confirm-end-session")!;
    expect(box.getAttribute("role")).toBe("alertdialog");
    click("end-session-confirm");
    await flush();
    expect(called("wipe_session")).toHaveLength(1);
    // Cleared before the backend answered: the page renewing itself for the next shopper.
    expect(seen).toContain("Firmly Desk");
    for (const trace of ["Hero Hoodie", "Ada", "Pike Place", "4111"]) expect(seen).not.toContain(trace);
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(state.info?.device_id).toBeNull();
  });

  it("renews the page for the next shopper: nothing to touch until the fresh page shows the attract screen", async () => {
    await kioskReadyToPay();
    let reloads = 0;
    documentOps.reload = () => {
      reloads++;
    };
    click("end-session");
    await flush();
    click("end-session-confirm");
    await flush();
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 5)));
    expect(reloads).toBe(1);
    // Until the new page is up there is no attract screen and no button to press.
    expect(byTestId("session-renewing")).not.toBeNull();
    expect(byTestId("attract-screen")).toBeNull();
    expect(byTestId("start-shopping")).toBeNull();
    for (const trace of ["Hero Hoodie", "Ada", "Pike Place", "4111"]) expect(pageText()).not.toContain(trace);
  });

  it("falls back to the attract screen if the page did not reload", async () => {
    await kioskReadyToPay();
    documentOps.reload = () => undefined;
    const fallback = documentOps.fallbackMs;
    documentOps.fallbackMs = 30;
    try {
      click("end-session");
      await flush();
      click("end-session-confirm");
      await flush();
      expect(byTestId("session-renewing")).not.toBeNull();
      await new Promise((r) => setTimeout(r, 60));
      await flush();
      expect(byTestId("attract-screen")).not.toBeNull();
    } finally {
      documentOps.fallbackMs = fallback;
    }
  });

  it("Escape cancels and keeps everything", async () => {
    await kioskReadyToPay();
    click("end-session");
    await flush();
    byTestId("confirm-end-session")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect(byTestId("confirm-end-session")).toBeNull();
    expect(state.card.number).toBe("4111 1111 1111 1111");
    expect(called("wipe_session")).toHaveLength(0);
  });
});

const staffView = (extra: Partial<StaffView> = {}): StaffView => ({
  pending: [pending({ id: "rec-0001-abcdef", with_staff: true, cause: { kind: "server_answered", status: 500, error_id: "Unexpected" } })],
  reports: [{ domain: LUMA, outcome: { outcome: "placed", order: order({ order_number: "SBX-77" }) } }],
  ...extra,
});

/** Holds the logo down for `ms` with fake timers (pointer or keyboard). */
async function holdLogo(ms: number, how: "pointer" | "key" = "pointer"): Promise<void> {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  const logo = byTestId("app-logo")!;
  if (how === "pointer") logo.dispatchEvent(new Event("pointerdown", { bubbles: true }));
  else logo.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  vi.advanceTimersByTime(ms);
  if (how === "pointer") logo.dispatchEvent(new Event("pointerup", { bubbles: true }));
  else logo.dispatchEvent(new KeyboardEvent("keyup", { key: "Enter", bubbles: true }));
  vi.useRealTimers();
  await flush();
}

async function typePin(pin: string): Promise<void> {
  for (const d of pin) click(`staff-pin-key-${d}`);
  await flush();
}

describe("the staff PIN pad", () => {
  it("a long press on the name opens it; a short one does not; nor without a staff PIN", async () => {
    on("app_info", () => kiosk());
    await boot();
    await flush();
    expect(byTestId("app-logo")?.tagName).toBe("BUTTON");
    await holdLogo(LONG_PRESS_MS - 100);
    expect(byTestId("staff-pin")).toBeNull();
    await holdLogo(LONG_PRESS_MS);
    expect(byTestId("staff-pin")).not.toBeNull();
    click("staff-pin-cancel");
    await flush();
    expect(byTestId("staff-pin")).toBeNull();
    // Keyboard: Enter held on the focused name.
    await holdLogo(LONG_PRESS_MS, "key");
    expect(byTestId("staff-pin")).not.toBeNull();
    teardown();
    setup();
    on("app_info", () => kiosk({}, { staff_panel: false }));
    await boot();
    await flush();
    expect(byTestId("app-logo")).toBeNull();
  });

  it("LongPress fires only when held for its time, once", () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const fired: number[] = [];
    const p = new LongPress(() => fired.push(1), 1500);
    p.start();
    vi.advanceTimersByTime(1000);
    p.cancel();
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([]);
    p.start();
    expect(p.held).toBe(true);
    vi.advanceTimersByTime(1500);
    expect(fired).toEqual([1]);
    expect(p.held).toBe(false);
  });

  it("is masked and labelled; a wrong PIN says how many tries are left, a locked pad when to retry", async () => {
    on("app_info", () => kiosk());
    let answer: Handler = fail({ code: "StaffPinWrong", field: "pin", message: "Wrong PIN.", details: { attempts_left: 2 } });
    on("staff_unlock", (a) => answer(a));
    await boot();
    await holdLogo(LONG_PRESS_MS);
    const input = byTestId<HTMLInputElement>("staff-pin-input")!;
    expect(input.type).toBe("password");
    expect(root.querySelector(`label[for="${input.id}"]`)?.textContent).toBe("PIN");
    expect(byTestId("staff-pin-submit")?.hasAttribute("disabled")).toBe(true);
    await typePin("1234");
    click("staff-pin-delete");
    await flush();
    expect(state.staff.pin).toBe("123");
    expect(byTestId<HTMLInputElement>("staff-pin-input")?.value).toBe("123");
    click("staff-pin-submit");
    await flush();
    expect(called("staff_unlock")[0].args).toEqual({ pin: "123" });
    expect(byTestId("field-error-staff-pin")?.textContent).toBe("That PIN is not right. 2 tries left before the pad locks.");
    expect(byTestId<HTMLInputElement>("staff-pin-input")?.value).toBe("");
    answer = fail({ code: "StaffPinWrong", field: "pin", message: "Wrong PIN.", details: { attempts_left: 1 } });
    await typePin("9");
    click("staff-pin-submit");
    await flush();
    expect(byTestId("field-error-staff-pin")?.textContent).toContain("1 try left");
    answer = fail({ code: "StaffPinLocked", field: "pin", retryable: true, message: "Too many wrong PINs.", details: { retry_after_seconds: 30 } });
    await typePin("9");
    click("staff-pin-submit");
    await flush();
    expect(byTestId("field-error-staff-pin")?.textContent).toMatch(/Too many wrong PINs\. Try again at \d/);
    expect(state.announce).toContain("Too many wrong PINs");
    expect(byTestId("staff-panel")).toBeNull();
  });

  it("the right PIN opens the panel; typed digits count too (keyboard)", async () => {
    on("app_info", () => kiosk());
    on("staff_unlock", (a) => (a.pin === "2468" ? staffView() : fail({ code: "StaffPinWrong", message: "Wrong PIN. 2 attempts left" })(a)));
    await boot();
    await holdLogo(LONG_PRESS_MS);
    const input = byTestId<HTMLInputElement>("staff-pin-input")!;
    input.value = "24a68";
    input.dispatchEvent(new Event("input"));
    await flush();
    expect(state.staff.pin).toBe("2468");
    input.closest("form")!.dispatchEvent(new Event("submit", { cancelable: true }));
    await flush();
    expect(byTestId("staff-pin")).toBeNull();
    expect(byTestId("staff-panel")).not.toBeNull();
    expect(state.staff.pin).toBe("");
  });
});

describe("the staff panel", () => {
  async function openPanel(view: () => StaffView = () => staffView()): Promise<() => void> {
    on("app_info", () => kiosk());
    on("get_cart", () => readyCart());
    on("staff_unlock", () => view());
    on("staff_orders", () => view());
    const stop = await listenToBackend();
    await boot();
    await startShopping();
    await holdLogo(LONG_PRESS_MS);
    await typePin("2468");
    click("staff-pin-submit");
    await flush();
    return stop;
  }

  it("lists orders to settle with why, checks and the with-staff badge, and earlier outcomes", async () => {
    const stop = await openPanel();
    const panel = byTestId("staff-panel")!;
    const line = byTestId("staff-pending-rec-0001-abcdef")!;
    expect(line.textContent).toContain("Luma");
    expect(line.textContent).toContain("Unexpected");
    expect(line.textContent).toContain("Checked 2 times");
    expect(line.textContent).toContain("ABCDEF");
    expect(byTestId("staff-with-staff-rec-0001-abcdef")?.textContent).toBe("With staff");
    expect(byTestId("staff-report-0")?.textContent).toContain("SBX-77");
    expect(byTestId("staff-report-0")?.getAttribute("data-outcome")).toBe("placed");
    for (const id of ["staff-end-session", "staff-language-en", "staff-language-es", "staff-restart", "staff-close"]) {
      expect(panel.querySelector(`[data-testid="${id}"]`), id).not.toBeNull();
    }
    stop();
  });

  it("settles an order only after a confirmation", async () => {
    let view = staffView();
    const stop = await openPanel(() => view);
    on("staff_settle", (a) => {
      view = staffView({ pending: [] });
      expect(a).toEqual({ recordId: "rec-0001-abcdef", placed: false });
      return view;
    });
    click("staff-not-placed-rec-0001-abcdef");
    await flush();
    expect(called("staff_settle")).toHaveLength(0);
    expect(byTestId("staff-pending-rec-0001-abcdef")?.textContent).toContain("as not placed?");
    click("staff-confirm-no");
    await flush();
    expect(byTestId("staff-confirm-yes")).toBeNull();
    click("staff-not-placed-rec-0001-abcdef");
    await flush();
    click("staff-confirm-yes");
    await flush();
    expect(called("staff_settle")).toHaveLength(1);
    expect(byTestId("staff-no-pending")).not.toBeNull();
    expect(state.announce).toBe("The order is settled.");
    stop();
  });

  it("reloads on staff-updated; a panel closed by the backend asks for the PIN again", async () => {
    let view = staffView({ reports: [] });
    const stop = await openPanel(() => view);
    expect(byTestId("staff-reports")?.textContent).toContain("None yet");
    view = staffView();
    await emit("staff-updated", null);
    await flush();
    expect(byTestId("staff-report-0")?.textContent).toContain("SBX-77");
    on("staff_orders", fail({ code: "StaffOnly", message: "Staff only" }));
    await emit("staff-updated", null);
    await flush();
    expect(byTestId("staff-panel")).toBeNull();
    expect(byTestId("staff-pin")).not.toBeNull();
    expect(byTestId("field-error-staff-pin")?.textContent).toContain("closed after a while");
    stop();
  });

  it("End session clears the customer at once and keeps the panel; Restart is confirmed; Close locks", async () => {
    const stop = await openPanel();
    state.shipping.first_name = "Ada";
    on("staff_end_session", () => kiosk({ device_id: null }));
    on("staff_restart", () => null);
    on("staff_lock", () => null);
    click("staff-end-session");
    await flush();
    expect(called("staff_end_session")).toHaveLength(1);
    expect(state.shipping.first_name).toBe("");
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(byTestId("staff-panel")).not.toBeNull();
    click("staff-language-es");
    await wordsArrive();
    expect(called("set_language")[0].args).toEqual({ language: "es" });
    expect(byTestId("staff-panel")?.querySelector("h2")?.textContent).toBe("Panel del personal");
    click("staff-restart");
    await flush();
    expect(called("staff_restart")).toHaveLength(0);
    click("staff-restart-confirm");
    await flush();
    expect(called("staff_restart")).toHaveLength(1);
    click("staff-close");
    await flush();
    expect(called("staff_lock")).toHaveLength(1);
    expect(byTestId("staff-panel")).toBeNull();
    stop();
  });

  it("a wipe closes an open panel and locks it in the backend", async () => {
    const stop = await openPanel();
    on("staff_lock", () => null);
    await emit("session-wiped", kiosk({ device_id: "dev-9" }));
    await flush();
    expect(byTestId("staff-panel")).toBeNull();
    expect(called("staff_lock")).toHaveLength(1);
    stop();
  });
});

describe("words, never ids, for a kiosk's shopper", () => {
  const odd = { code: "Unmapped", raw_code: "WeirdThing", message: "WeirdThing: upstream said no", retryable: false, request_id: "ray-0123456789" };

  it("the banner shows words and a staff reference on a kiosk; code and request id elsewhere", async () => {
    on("app_info", () => kiosk());
    on("get_cart", () => readyCart());
    on("add_to_cart", fail(odd));
    await boot();
    await startShopping();
    state.variantId = "v1";
    const { addToCart } = await import("../src/actions");
    await addToCart();
    await flush();
    const text = byTestId("error-banner")!.textContent!;
    expect(text).toContain("Please ask staff");
    for (const id of ["WeirdThing", "Unmapped", "ray-0123456789", "upstream"]) expect(text).not.toContain(id);
    expect(text).toContain("Staff reference: 456789");
    teardown();
    setup();
    on("get_cart", () => readyCart());
    on("add_to_cart", fail(odd));
    await boot();
    state.variantId = "v1";
    await addToCart();
    await flush();
    expect(byTestId("error-banner")!.textContent).toContain("WeirdThing");
    expect(byTestId("error-banner")!.textContent).toContain("ray-0123456789");
  });

  it("a pending order on a kiosk: the cause without ids, a staff reference; with staff it does not block", async () => {
    on("app_info", () => kiosk());
    const p = pending({ id: "rec-9-zz42ab", with_staff: true, checking: false, cause: { kind: "server_answered", status: 502, error_id: "BadGateway" } });
    on("get_cart", () => readyCart(1, { pending_order: p }));
    await boot();
    await startShopping();
    await flush();
    const panel = byTestId("order-pending")!.textContent!;
    expect(panel).not.toContain("BadGateway");
    expect(panel).not.toContain("502");
    expect(panel).not.toContain("rec-9");
    expect(byTestId("order-pending-ref")?.textContent).toBe("Staff reference: ZZ42AB");
    expect(byTestId("order-pending-with-staff")?.textContent).toBe("With staff");
    expect(byTestId("order-pending-checking")?.textContent).toContain("ask staff");
    expect(byTestId("place-order")?.hasAttribute("disabled")).toBe(false);
  });
});

describe("an order answer for a customer who has left", () => {
  it("SessionEnded shows nothing", async () => {
    on("get_cart", () => readyCart());
    on("place_card_order", fail({ code: "SessionEnded", message: "The customer session ended" }));
    await boot();
    state.card = { number: "4111 1111 1111 1111", name: "A", exp: "12/30", cvv: "123" };
    await placeOrder();
    await flush();
    expect(byTestId("error-banner")).toBeNull();
    expect(byTestId("order-confirmation")).toBeNull();
    expect(state.error).toBeNull();
  });

  it("SessionEnded from PayPal and a saved card shows nothing either", async () => {
    on("get_cart", () => readyCart());
    on("paypal_complete", fail({ code: "SessionEnded", message: "ended" }));
    on("place_saved_card_order", fail({ code: "SessionEnded", message: "ended" }));
    await boot();
    for (const method of ["PayPal", "SavedCard:pm-1"]) {
      state.payMethod = method;
      await placeOrder();
      await flush();
      expect(byTestId("error-banner")).toBeNull();
    }
  });
});

describe("the language", () => {
  it("has no copy in the UI: the screen follows AppInfo.language only", async () => {
    const keys = Object.keys(initialState());
    expect(keys).not.toContain("language");
    expect(keys).not.toContain("savedLanguage");
    expect(DESK_KEYS as readonly string[]).not.toContain("savedLanguage");
    on("app_info", () => kiosk());
    on("wipe_session", () => kiosk({ language: "en" }));
    await boot();
    await flush();
    click("language-es");
    await wordsArrive();
    expect(state.info?.language).toBe("es");
    expect(document.documentElement.lang).toBe("es");
    // A refused choice changes nothing on screen.
    on("set_language", fail({ code: "Internal", message: "no" }));
    click("language-en");
    await flush();
    expect(document.documentElement.lang).toBe("es");
  });

  it("Settings saves the desk's default; the screen shows the language the backend answers", async () => {
    on("get_settings", () => ({
      app_id: "",
      api_base: "",
      vault_base: "",
      status_base: "",
      status_component: "",
      idle_seconds: 120,
      card_encryption: "jwe",
      language: null,
    }));
    on("save_settings", (a) => {
      expect((a.settings as { language: string }).language).toBe("es");
      return appInfo({ language: "es" });
    });
    await boot();
    click("settings-open");
    await flush();
    // Two buttons, each named in its own language; the one in force is pressed.
    expect(byTestId("settings-language-en")?.getAttribute("aria-pressed")).toBe("true");
    expect(byTestId("settings-language-es")?.getAttribute("lang")).toBe("es");
    click("settings-language-es");
    await flush();
    expect(byTestId("settings-language-es")?.getAttribute("aria-pressed")).toBe("true");
    expect(byTestId("settings-language-en")?.getAttribute("aria-pressed")).toBe("false");
    click("settings-save");
    await flush();
    expect(document.documentElement.lang).toBe("es");
    expect(byTestId("settings-dialog")).toBeNull();
  });
});

describe("merchant health", () => {
  it("a legend in words; a failure shown as an error; nothing when no status host is set", async () => {
    on("app_info", () => appInfo({ merchants: [{ domain: LUMA, display_name: "Luma" }, { domain: HOME, display_name: "Home Goods" }, { domain: "x.test", display_name: "X" }] }));
    on("merchant_health", (a) =>
      a.domain === LUMA
        ? { state: "operational" }
        : a.domain === HOME
          ? { state: "failed", error: { code: "Timeout", message: "timed out", retryable: true } }
          : { state: "not_configured" },
    );
    await boot();
    await flush();
    await flush();
    expect(byTestId(`health-${LUMA}`)?.getAttribute("data-status")).toBe("operational");
    expect(byTestId(`health-${HOME}`)?.getAttribute("data-status")).toBe("failed");
    expect(byTestId(`health-error-${HOME}`)?.textContent).toContain("took too long");
    expect(byTestId("health-x.test")).toBeNull();
    const legend = byTestId("health-legend")!.textContent!;
    expect(legend).toContain("operational");
    expect(legend).toContain("could not be read");
    expect(legend).not.toContain("unknown");
  });

  it("no legend at all when no merchant has a status", async () => {
    on("merchant_health", () => ({ state: "not_configured" }));
    await boot();
    await flush();
    expect(byTestId("health-legend")).toBeNull();
    expect(byTestId(`health-${LUMA}`)).toBeNull();
  });
});

describe("support snapshots", () => {
  const snapHive = { carts: [readyCart(2, { domain: HOME, display_name: "Home Goods" })], total: [usd("108.00")] };

  it("a redacted snapshot is read-only: a banner with its time, nothing to act on, a way back", async () => {
    on("app_info", () => appInfo({ mode: "agent" }));
    on("get_cart", () => readyCart());
    on("import_snapshot", () => ({ read_only: true, exported_at: "2026-11-20T10:00:00Z", hive: snapHive }));
    await boot();
    await flush();
    await importSnapshot("{}");
    await flush();
    const view = byTestId("snapshot-view")!;
    expect(byTestId("snapshot-banner")?.textContent).toMatch(/Snapshot of .*2026.*, read-only/);
    expect(byTestId(`snapshot-cart-${HOME}`)?.textContent).toContain("Hero Hoodie");
    expect([...view.querySelectorAll("button, input, select, textarea")].map((e) => (e as HTMLElement).dataset.testid)).toEqual([
      "snapshot-close",
    ]);
    expect(byTestId("place-order")).toBeNull();
    // The live customer is untouched.
    expect(state.carts[LUMA]?.item_count).toBe(1);
    expect(state.carts[HOME]).toBeUndefined();
    click("snapshot-close");
    await flush();
    expect(byTestId("snapshot-view")).toBeNull();
    expect(byTestId("place-order")).not.toBeNull();
  });

  it("a full snapshot replaces the customer as before", async () => {
    on("app_info", () => appInfo({ mode: "agent" }));
    on("import_snapshot", () => ({ read_only: false, exported_at: "2026-11-20T10:00:00Z", hive: snapHive }));
    await boot();
    await importSnapshot("{}");
    await flush();
    expect(byTestId("snapshot-view")).toBeNull();
    expect(state.carts[HOME]?.item_count).toBe(2);
    expect(state.announce).toContain("imported");
  });
});
