// The on-screen keyboard on a touch kiosk: it appears under a focused text field, types into
// it as a person would (the field's own handlers see each character), gives numeric fields a
// number pad, speaks the language, and is absent where the policy does not ask for it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AppInfo } from "../src/bindings";
import { state } from "../src/state";
import { boot, startShopping } from "../src/session";
import { appInfo, byTestId, cart, click, flush, on, readyCart, setup, teardown } from "./fixtures";

beforeEach(setup);
afterEach(() => {
  (document.activeElement as HTMLElement | null)?.blur?.();
  teardown();
});

const kiosk = (touch: boolean, extra: Partial<AppInfo> = {}): AppInfo =>
  appInfo({ mode: "kiosk", kiosk: { order_done_seconds: 30, touch_keyboard: touch, can_print: false, staff_panel: false }, ...extra });

async function atTheCounter(touch = true, extra: Partial<AppInfo> = {}): Promise<void> {
  on("app_info", () => kiosk(touch, extra));
  on("get_cart", () => cart(1));
  await boot();
  await startShopping();
  await flush();
}

function focus(id: string): void {
  byTestId<HTMLInputElement>(id)!.focus();
}

const keys = () => [...document.querySelectorAll("[data-testid^=touch-key-]")].map((k) => k.getAttribute("data-testid")!.slice("touch-key-".length));

describe("the on-screen keyboard", () => {
  it("appears for a focused text field and types into it, Shift for one capital", async () => {
    await atTheCounter();
    expect(byTestId("touch-keyboard")).toBeNull();
    focus("shipping-first_name");
    await flush();
    expect(byTestId("touch-keyboard")?.getAttribute("data-pad")).toBe("text");
    click("touch-key-shift");
    await flush();
    click("touch-key-A");
    await flush();
    click("touch-key-d");
    click("touch-key-a");
    await flush();
    expect(byTestId<HTMLInputElement>("shipping-first_name")?.value).toBe("Ada");
    // The field's own handler saw it: the draft holds what the keys typed.
    expect(state.shipping.first_name).toBe("Ada");
    click("touch-key-backspace");
    await flush();
    expect(state.shipping.first_name).toBe("Ad");
    expect(document.activeElement?.id).toBe("shipping-first_name");
    click("touch-key-done");
    await flush();
    expect(byTestId("touch-keyboard")).toBeNull();
  });

  it("numeric fields get a number pad; the card number is grouped as it is typed", async () => {
    on("get_cart", () => readyCart());
    on("app_info", () => kiosk(true));
    await boot();
    await startShopping();
    await flush();
    focus("card-number");
    await flush();
    expect(byTestId("touch-keyboard")?.getAttribute("data-pad")).toBe("numeric");
    expect(keys()).not.toContain("a");
    for (const d of "41111") click(`touch-key-${d}`);
    await flush();
    expect(state.card.number).toBe("4111 1");
    focus("card-exp");
    await flush();
    for (const d of "0829") click(`touch-key-${d}`);
    await flush();
    expect(state.card.exp).toBe("08/29");
    focus("shipping-phone");
    await flush();
    expect(byTestId("touch-keyboard")?.getAttribute("data-pad")).toBe("tel");
    expect(keys()).toContain("+");
  });

  it("speaks Spanish: ñ and accented vowels", async () => {
    await atTheCounter(true, { language: "es" });
    focus("shipping-last_name");
    await flush();
    expect(keys()).toEqual(expect.arrayContaining(["ñ", "á", "é", "í", "ó", "ú", "space"]));
    click("touch-key-ñ");
    click("touch-key-space");
    click("touch-key-á");
    await flush();
    expect(state.shipping.last_name).toBe("ñ á");
  });

  it("is not there unless the policy asks for it", async () => {
    await atTheCounter(false);
    focus("shipping-first_name");
    await flush();
    expect(byTestId("touch-keyboard")).toBeNull();
  });
});
