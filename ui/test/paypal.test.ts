// PayPal's progress arrives as facts (state, account, why it ended, the error); the UI words
// them in the shopper's language and never shows a sentence made in Rust.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import { boot, chooseLanguage } from "../src/session";
import { listenToBackend } from "../src/listen";
import { changed, state } from "../src/state";
import { appInfo, byTestId, flush, LUMA, on, readyCart, setup, teardown } from "./fixtures";

let stop: () => void = () => undefined;
beforeEach(async () => {
  setup();
  stop = await listenToBackend();
  const c = readyCart(1, {
    payment_options: [
      { kind: "CreditCard", card: null, id: null, wallet: null, blocker: null },
      { kind: "PayPal", card: null, id: null, wallet: "paypal", blocker: null },
    ],
  });
  on("app_info", () => appInfo({ mode: "agent" }));
  on("get_hive", () => ({ carts: [c], total: [c.totals.total] }));
  on("get_cart", () => c);
  await boot();
  await flush();
  state.payMethod = "PayPal";
  changed();
  await flush();
});
afterEach(() => {
  stop();
  teardown();
});

const status = () => byTestId("paypal-status")?.textContent?.trim() ?? "";

describe("PayPal status facts", () => {
  it("words every way PayPal ends without an approval, in both languages", async () => {
    const ends = {
      cancelled: ["PayPal was cancelled", "Se canceló PayPal"],
      window_closed: ["The PayPal window was closed", "Se cerró la ventana de PayPal"],
      not_started: ["no PayPal checkout was started", "no se inició ningún pago con PayPal"],
      other_checkout: ["belongs to another checkout", "pertenece a otro pago"],
    } as const;
    for (const [end, [en, es]] of Object.entries(ends)) {
      await chooseLanguage("en");
      await emit("paypal-status", { domain: LUMA, state: end === "cancelled" || end === "window_closed" ? "cancelled" : "error", account: null, end, error: null });
      await flush();
      expect(status()).toContain(en);
      await chooseLanguage("es");
      await flush();
      expect(status()).toContain(es);
    }
  });

  it("an error recording the approval is worded from its code, not its English message", async () => {
    await emit("paypal-status", {
      domain: LUMA,
      state: "error",
      account: null,
      end: null,
      error: { code: "SessionEnded", message: "raw english from rust", retryable: false },
    });
    await flush();
    expect(status()).toContain("PayPal could not finish.");
    expect(status()).not.toContain("raw english from rust");
  });
});
