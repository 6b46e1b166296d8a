// Pay all as a person meets it: its button says how many orders and how much (Rust's
// preview), its panel shows a live row per merchant from the backend's progress events, and
// the run ends on one combined confirmation. On a kiosk with several carts it is the main action.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { PayAllEntry } from "../src/bindings";
import { changed, state } from "../src/state";
import { boot, startShopping } from "../src/session";
import { listenToBackend } from "../src/listen";
import { DONE_TICK_MS } from "../src/kiosk";
import { appInfo, byTestId, called, click, flush, HOME, LUMA, on, order, readyCart, setup, teardown } from "./fixtures";

beforeEach(setup);
afterEach(teardown);

const MERCHANTS = [
  { domain: LUMA, display_name: "Luma" },
  { domain: HOME, display_name: "HomeGoods" },
];

async function twoReadyCarts(mode: "demo" | "kiosk" = "demo"): Promise<void> {
  on("app_info", () => appInfo({ mode, merchants: MERCHANTS }));
  on("get_hive", () => ({ carts: [readyCart(1), readyCart(2, { domain: HOME, display_name: "Home Goods Test" })], total: [] }));
  on("get_cart", (a) => (a.domain === HOME ? readyCart(2, { domain: HOME }) : readyCart(1)));
  await listenToBackend();
  await boot();
  if (mode === "kiosk") await startShopping();
  await flush();
  await new Promise((r) => setTimeout(r, 80));
  await flush();
}

describe("pay all", () => {
  it("its button says how many orders and how much, as Rust counts them", async () => {
    await twoReadyCarts();
    expect(called("pay_all_preview").length).toBeGreaterThan(0);
    expect(byTestId("pay-all")?.textContent?.trim()).toBe("Pay 2 orders · $162.00");
  });

  it("shows a live row per merchant, then one combined confirmation", async () => {
    let finish: (v: PayAllEntry[]) => void = () => undefined;
    on("pay_all", () => new Promise((r) => (finish = r)));
    await twoReadyCarts();
    click("pay-all");
    await flush();
    const row = (d: string) => byTestId(`pay-all-row-${d}`);
    expect(row(LUMA)?.getAttribute("data-state")).toBe("ready");
    expect(row(HOME)?.textContent).toContain("HomeGoods");
    Object.assign(state.payAll.card, { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" });
    changed();
    click("pay-all-submit");
    await flush();
    expect(byTestId("pay-all-submit")?.getAttribute("aria-busy")).toBe("true");
    await emit("pay-all-progressed", { domain: LUMA, progress: { stage: "waiting" } });
    await emit("pay-all-progressed", { domain: HOME, progress: { stage: "waiting" } });
    await emit("pay-all-progressed", { domain: LUMA, progress: { stage: "paying" } });
    await flush();
    expect(row(LUMA)?.getAttribute("data-state")).toBe("paying");
    expect(row(HOME)?.getAttribute("data-state")).toBe("waiting");
    const placedA = { outcome: "placed" as const, order: order({ order_number: "SBX-A" }) };
    const placedB = { outcome: "placed" as const, order: order({ domain: HOME, order_number: "SBX-B" }) };
    await emit("pay-all-progressed", { domain: LUMA, progress: { stage: "done", outcome: placedA } });
    await flush();
    expect(row(LUMA)?.getAttribute("data-state")).toBe("placed");
    expect(row(LUMA)?.textContent).toContain("SBX-A");
    // The order-placed event of a pay-all order does not open a single order's confirmation.
    await emit("order-placed", placedA.order);
    await flush();
    expect(byTestId("order-confirmation")).toBeNull();
    finish([
      { domain: HOME, display_name: "Home Goods Test", outcome: placedB, not_ready: [] },
      { domain: LUMA, display_name: "Luma", outcome: placedA, not_ready: [] },
    ]);
    await flush();
    expect(byTestId("pay-all-panel")).toBeNull();
    const conf = byTestId("pay-all-confirmation");
    expect(conf?.textContent).toContain("Every order is placed");
    expect(byTestId(`pay-all-result-${LUMA}`)?.getAttribute("data-outcome")).toBe("placed");
    expect(byTestId(`pay-all-result-${HOME}`)?.textContent).toContain("SBX-B");
    expect(byTestId(`pay-all-result-${HOME}`)?.textContent).toContain("HomeGoods");
    expect(conf?.textContent).not.toContain("Home Goods Test");
    expect(state.payAll.card).toEqual({ number: "", name: "", exp: "", cvv: "" });
    click("pay-all-done");
    await flush();
    expect(byTestId("pay-all-confirmation")).toBeNull();
  });

  it("a row's event that comes after the answer changes nothing", async () => {
    on("pay_all", () => [{ domain: LUMA, display_name: "Luma", outcome: { outcome: "placed", order: order() }, not_ready: [] }]);
    await twoReadyCarts();
    click("pay-all");
    await flush();
    Object.assign(state.payAll.card, { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" });
    click("pay-all-submit");
    await flush();
    await emit("pay-all-progressed", { domain: LUMA, progress: { stage: "paying" } });
    await flush();
    expect(byTestId(`pay-all-result-${LUMA}`)?.getAttribute("data-outcome")).toBe("placed");
    expect(state.payAll.rows[LUMA].stage).toBe("done");
  });

  it("on a kiosk with several carts ready it is the main action, in the order summary too", async () => {
    await twoReadyCarts("kiosk");
    expect(byTestId("pay-all")?.className).toContain("primary");
    expect(byTestId("pay-all-summary")?.textContent?.trim()).toBe("Pay 2 orders · $162.00");
    expect(byTestId("place-order")?.className).toContain("secondary");
    click("pay-all-summary");
    await flush();
    expect(byTestId("pay-all-panel")).not.toBeNull();
  });

  it("on a kiosk its confirmation ends the session by itself, as one order's does", async () => {
    on("pay_all", () => [
      { domain: LUMA, display_name: "Luma", outcome: { outcome: "placed", order: order({ order_number: "SBX-A" }) }, not_ready: [] },
      { domain: HOME, display_name: "HomeGoods", outcome: { outcome: "placed", order: order({ domain: HOME, order_number: "SBX-B" }) }, not_ready: [] },
    ]);
    on("wipe_session", () => appInfo({ mode: "kiosk", merchants: MERCHANTS }));
    await twoReadyCarts("kiosk");
    click("pay-all-summary");
    await flush();
    Object.assign(state.payAll.card, { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" });
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    try {
      click("pay-all-submit");
      await flush();
      expect(byTestId("pay-all-confirmation")).not.toBeNull();
      expect(byTestId("order-done")).not.toBeNull();
      const seconds = Number(byTestId("order-done-countdown")?.getAttribute("data-seconds"));
      expect(seconds).toBeGreaterThan(0);
      expect(called("wipe_session")).toHaveLength(0);
      vi.advanceTimersByTime(seconds * 1000 + DONE_TICK_MS);
      await flush();
      expect(called("wipe_session")).toHaveLength(1);
      expect(byTestId("pay-all-confirmation")).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("on a kiosk, back to the other carts stops the confirmation's countdown", async () => {
    on("pay_all", () => [{ domain: LUMA, display_name: "Luma", outcome: { outcome: "placed", order: order() }, not_ready: [] }]);
    await twoReadyCarts("kiosk");
    click("pay-all-summary");
    await flush();
    Object.assign(state.payAll.card, { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" });
    click("pay-all-submit");
    await flush();
    expect(byTestId("order-done-countdown")).not.toBeNull();
    click("pay-all-done");
    await flush();
    expect(state.orderDone).toBeNull();
    expect(byTestId("order-done-countdown")).toBeNull();
  });

  it("with one cart ready, Place order stays the main action", async () => {
    on("app_info", () => appInfo({ mode: "kiosk", merchants: MERCHANTS }));
    on("get_hive", () => ({ carts: [readyCart(1)], total: [] }));
    on("get_cart", () => readyCart(1));
    await boot();
    await startShopping();
    await flush();
    await new Promise((r) => setTimeout(r, 80));
    await flush();
    expect(byTestId("pay-all-summary")).toBeNull();
    expect(byTestId("place-order")?.className).toContain("primary");
    expect(byTestId("pay-all")?.textContent?.trim()).toBe("Pay 1 order · $54.00");
  });
});
