// Start-up: the listeners and `app_info` overlap, the shell (tabs, mode) is drawn from
// `app_info` before `get_hive` answers, and nothing untrue (an empty cart) shows meanwhile.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { boot, SHELL_GRACE_MS } from "../src/session";
import { listenToBackend } from "../src/listen";
import { selectMerchant } from "../src/actions";
import { state, subscribe } from "../src/state";
import { appInfo, byTestId, called, cart, flush, LUMA, on, setup, teardown, usd } from "./fixtures";

beforeEach(setup);
afterEach(teardown);

/** Past the shell's grace period for a hive that has not answered. */
const afterGrace = () => new Promise((r) => setTimeout(r, SHELL_GRACE_MS + 50));

/** A promise the test settles when it wants. */
function later<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * Boots with a hive that answers when the test says (`hive.resolve`); `get_cart` answers a
 * cart of `items` items meanwhile.
 */
function bootWhileHiveWaits(items: number) {
  const hive = later<unknown>();
  on("get_hive", () => hive.promise);
  on("get_cart", () => cart(items));
  return { hive, booting: boot() };
}

describe("start-up", () => {
  it("asks app_info and the carts while the listeners register, and draws the tabs only once all are done", async () => {
    const listening = later<void>();
    const booting = boot(listening.promise);
    await flush();
    expect(called("app_info")).toHaveLength(1);
    expect(called("get_hive")).toHaveLength(1);
    expect(byTestId(`cart-tab-${LUMA}`)).toBeNull();
    listening.resolve();
    await booting;
    await flush();
    expect(byTestId(`cart-tab-${LUMA}`)).not.toBeNull();
  });

  it("draws the tab strip when the hive is slow, with a busy indicator and no empty cart", async () => {
    const { hive, booting } = bootWhileHiveWaits(2);
    await flush();
    // Within the grace period nothing is drawn yet: the carts may still come with the shell.
    expect(byTestId(`cart-tab-${LUMA}`)).toBeNull();
    await afterGrace();
    await flush();
    const tab = byTestId(`cart-tab-${LUMA}`);
    expect(tab).not.toBeNull();
    expect(byTestId("mode-badge")?.getAttribute("data-mode")).toBe("demo");
    expect(byTestId("mode-badge")?.textContent?.trim()).toBe("Demo");
    expect(tab?.textContent).toContain("Loading carts…");
    expect(tab?.textContent).not.toContain("0 items");
    expect(byTestId("busy")?.getAttribute("role")).toBe("progressbar");
    expect(byTestId("cart-loading")?.getAttribute("role")).toBe("status");
    expect(byTestId("cart-empty")).toBeNull();
    expect(byTestId("hive-total")?.textContent).not.toContain("empty");
    expect(byTestId("error-banner")).toBeNull();
    expect(performance.getEntriesByName("firmly:boot:app-info").length).toBeGreaterThan(0);

    hive.resolve({ carts: [cart(2)], total: [usd("108.00")] });
    await booting;
    await flush();
    expect(tab?.isConnected).toBe(true);
    expect(byTestId(`cart-tab-${LUMA}`)?.textContent).toContain("2 items");
    expect(byTestId("cart-loading")).toBeNull();
    expect(byTestId("line-item-li-1")).not.toBeNull();
    expect(byTestId("hive-total")?.textContent).toContain("$108.00");
    expect(byTestId("busy")).toBeNull();
    expect(performance.getEntriesByName("firmly:boot:hive").length).toBeGreaterThan(0);
  });

  it("a hive that answers within the grace period is drawn with the shell, never as loading", async () => {
    const { hive, booting } = bootWhileHiveWaits(2);
    await flush();
    expect(byTestId(`cart-tab-${LUMA}`)).toBeNull();
    hive.resolve({ carts: [cart(2)], total: [usd("108.00")] });
    let firstTab = "";
    const seen = new MutationObserver(() => {
      firstTab ||= byTestId(`cart-tab-${LUMA}`)?.textContent ?? "";
    });
    seen.observe(document.body, { subtree: true, childList: true, characterData: true });
    await flush();
    seen.disconnect();
    expect(firstTab).toContain("2 items");
    // The first tab strip drawn already has the cart in it.
    expect(byTestId(`cart-tab-${LUMA}`)?.textContent).toContain("2 items");
    expect(byTestId("cart-loading")).toBeNull();
    await booting;
  });

  it("a hive that fails shows the error, not an endless loading state", async () => {
    on("get_hive", () => {
      throw { code: "DeskNotReady", message: "not ready", retryable: true };
    });
    await boot();
    await flush();
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("DeskNotReady");
    expect(byTestId("cart-loading")).toBeNull();
    expect(byTestId("busy")).toBeNull();
    expect(state.hiveLoading).toBe(false);
  });

  it("keeps a merchant chosen while the hive loads, and its newer cart", async () => {
    const { hive, booting } = bootWhileHiveWaits(1);
    await afterGrace();
    await flush();
    await selectMerchant(LUMA);
    await flush();
    expect(byTestId("line-item-li-1")).not.toBeNull();
    // The hive was read before that cart: its copy is older.
    hive.resolve({ carts: [cart(0)], total: [] });
    await booting;
    await flush();
    expect(byTestId("line-item-li-1")).not.toBeNull();
    // Start-up does not select (and reset) the merchant a second time.
    expect(called("get_cart")).toHaveLength(1);
    expect(called("list_products")).toHaveLength(1);
  });

  it("a settlement that ends while app_info is answered is not missed", async () => {
    let infos = 0;
    on("app_info", () => appInfo({ settling: infos++ === 0 }));
    const stop = await listenToBackend();
    await boot();
    await flush();
    expect(called("app_info")).toHaveLength(2);
    expect(byTestId("startup-settling")).toBeNull();
    stop();
  });

  it("draws nothing before app_info answers, then the shell, an early event's cart and the hive in one paint", async () => {
    const info = later<unknown>();
    on("app_info", () => info.promise);
    on("get_cart", () => cart(3));
    let renders = 0;
    let firstPaint = "";
    // Runs after the fixture's renderer: sees what each render drew.
    const unsubscribe = subscribe(() => {
      if (renders++ === 0) firstPaint = byTestId(`cart-tab-${LUMA}`)?.textContent ?? "(no tab)";
    });
    const stop = await listenToBackend();
    const booting = boot();
    await flush();
    await emit("cart-updated", { cart: cart(3), hive_total: [usd("162.00")] });
    await flush();
    // The busy indicator and the event's cart had nothing to change on the start-up screen.
    expect(renders).toBe(0);
    expect(byTestId("starting")).not.toBeNull();
    expect(state.carts[LUMA]?.item_count).toBe(3);
    info.resolve(appInfo());
    await booting;
    await flush();
    // The first paint after the start-up screen has the shell and the event's cart together.
    expect(firstPaint).toContain("3 items");
    expect(byTestId(`cart-tab-${LUMA}`)?.textContent).toContain("3 items");
    expect(byTestId("busy")).toBeNull();
    unsubscribe();
    stop();
  });

  it("a failing app_info is drawn (the hold on renders ends with the boot, whatever happens)", async () => {
    on("app_info", () => {
      throw { code: "Network", message: "down", retryable: true };
    });
    await boot();
    await flush();
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("Network");
    expect(byTestId("retry-start")).not.toBeNull();
  });

  it("a cart-updated event during start-up is not undone by the hive", async () => {
    const hive = later<unknown>();
    on("get_hive", () => hive.promise);
    on("get_cart", () => cart(3));
    const stop = await listenToBackend();
    const booting = boot();
    await afterGrace();
    await flush();
    await emit("cart-updated", { cart: cart(3), hive_total: [usd("162.00")] });
    await flush();
    hive.resolve({ carts: [cart(0)], total: [] });
    await hive.promise;
    await flush();
    expect(state.carts[LUMA]?.item_count).toBe(3);
    await booting;
    await flush();
    expect(state.carts[LUMA]?.item_count).toBe(3);
    expect(byTestId("hive-total")?.textContent).toContain("$162.00");
    stop();
  });
});
