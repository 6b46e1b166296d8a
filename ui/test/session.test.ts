// The customer session: the wipe forgets everything, the kiosk idle rule (decided in Rust)
// is only shown, input is reported at most once a second, the language, start-up settlement.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emit } from "@tauri-apps/api/event";
import type { Settings } from "../src/bindings";
import { changed, DESK_KEYS, emptySettings, initialState, state, type State } from "../src/state";
import { boot, chooseLanguage, endSession, resetDemo, startShopping } from "../src/session";
import { listenToBackend } from "../src/listen";
import { ActivityReporter } from "../src/idle";
import { money } from "../src/format";
import { lang } from "../src/i18n";
import { DeskError } from "../src/ipc";
import {
  appInfo,
  byTestId,
  called,
  cart,
  click,
  fail,
  flush,
  LUMA,
  on,
  order,
  pending,
  readyCart,
  setup,
  teardown,
  wordsArrive,
} from "./fixtures";

beforeEach(setup);
afterEach(teardown);

/** Every customer field holds something, as after a long visit. */
function fillCustomer(): void {
  const c = readyCart(2);
  Object.assign(state, {
    carts: { [LUMA]: c },
    merchantErrors: { "x.test": new DeskError({ code: "Timeout", message: "t", retryable: true }) },
    products: { [LUMA]: [{ handle: "h", title: "H", image_url: null }] },
    product: { handle: "h", title: "H", description: null, image_url: null, variants: [] },
    variantId: "v1",
    qty: 3,
    error: new DeskError({ code: "Internal", message: "old", retryable: false }),
    fieldErrors: { "card-number": "bad", "shipping-city": "bad" },
    shipping: { ...c.shipping_info! },
    billing: { ...c.shipping_info! },
    billingSame: false,
    card: { number: "4111 1111 1111 1111", name: "Ada", exp: "12/30", cvv: "123" },
    payMethod: "PayPal",
    order: order(),
    pending: { [LUMA]: pending() },
    overrideAsk: true,
    availability: { [`${LUMA}/s1`]: { shipment_id: "s1", fulfillment_type: "SCHEDULED_DELIVERY", dates: [], locations: [], methods: [], windows: [], pickup_options: [], chosen_window: null, chosen_pickup_option: null } },
    availabilityLoading: { [`${LUMA}/s2`]: "failed" },
    prepared: { k: "x" },
    consents: { [LUMA]: [] },
    paypal: { domain: LUMA, state: "approved", end: null, error: null },
    promoDraft: "SAVE10",
    notesDraft: { [`${LUMA}/s1`]: "ring twice" },
    pendingDate: { [`${LUMA}/s1`]: "2026-12-01" },
    calendarMonth: { [`${LUMA}/s1`]: "2026-12" },
    merchantDraft: "shop.example.com",
    postalDraft: "98101",
    otp: { email: "ada@example.com", sent: ["ada@example.com"], code: "123456" },
    wallet: { email: "ada@example.com", sent: ["ada@example.com"], code: "654321" },
    announce: "Order SBX-1 placed.",
    support: {
      open: true,
      log: [{ method: "GET", path: "/cart", status: 200, duration_ms: 3, request_id: "r", at: "2026-11-22T00:00:00Z" }],
      raw: '{"cart_id":"c1","email":"ada@example.com"}',
      audit: [{ at: "2026-11-22T00:00:00Z", mode: "agent", merchant: LUMA, action: "place_order", outcome: "sent" }],
      diagnostics: "device dev-1",
      redact: false,
      chooseLocation: true,
      transfer: { domain: LUMA, handle: "external-session-1", cookies: "a=b" },
      filter: "cart",
      diag: null,
      error: null,
    },
    settings: {
      open: true,
      draft: {
        app_id: "desk",
        api_base: "https://api.example.com/",
        vault_base: "https://vault.example.com/",
        status_base: "",
        status_component: "",
        idle_seconds: 60,
        card_encryption: "jwe",
        language: "es",
      },
      error: "Could not read the settings.",
      loading: true,
    },
    idleWarning: 5,
    hiveTotal: [{ amount: "108.00", currency: "USD" }],
    savedTo: "/tmp/receipt.txt",
    applyAll: [{ domain: LUMA, cart: null, error: null }],
    payAll: { open: true, running: false, card: { number: "4111", name: "A", exp: "1/30", cvv: "1" }, rows: {}, results: [] },
    startupReport: [],
    demo: {
      open: true,
      view: { codes: [{ email: "member@example.com", code: "123456" }], cards: [], promo_codes: [], scenarios: [] },
      error: null,
    },
    undo: { id: 1, domain: LUMA, message: "Hero Hoodie removed." },
    confirmReset: true,
  } satisfies Partial<State>);
}

/** The customer fields as they are now (a deep copy). */
function customerSnapshot(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(initialState()) as (keyof State)[]) {
    if ((DESK_KEYS as readonly string[]).includes(key) || key === "view" || key === "error") continue;
    out[key] = JSON.parse(JSON.stringify(state[key] ?? null));
  }
  return out;
}

function freshCustomer(): Record<string, unknown> {
  const fresh = initialState();
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(fresh) as (keyof State)[]) {
    if ((DESK_KEYS as readonly string[]).includes(key) || key === "view" || key === "error") continue;
    out[key] = JSON.parse(JSON.stringify(fresh[key] ?? null));
  }
  return out;
}

function expectCustomerForgotten(): void {
  expect(customerSnapshot()).toEqual(freshCustomer());
}

describe("the wipe", () => {
  it("forgets every piece of the customer even when wipe_session fails, and says so", async () => {
    await boot();
    fillCustomer();
    let seenDuringCall: Record<string, unknown> | null = null;
    on("wipe_session", () => {
      seenDuringCall = customerSnapshot();
      throw { code: "Unreachable", message: "no connection", retryable: true };
    });
    on("get_cart", () => cart(0));
    await endSession();
    await flush();
    // Every customer field was back to its start before the backend was even asked.
    expect(seenDuringCall).toEqual(freshCustomer());
    // Afterwards only the first merchant's empty cart is shown again (demo mode).
    expect(state.card).toEqual(initialState().card);
    expect(state.shipping).toEqual(initialState().shipping);
    expect(state.support).toEqual(initialState().support);
    expect(state.pending).toEqual({});
    expect(state.carts[LUMA]?.item_count).toBe(0);
    expect(state.error?.code).toBe("Unreachable");
    expect(byTestId("error-banner")?.getAttribute("data-error-code")).toBe("Unreachable");
    expect(lang()).toBe("en");
    expect(byTestId("announcer")?.textContent).toBe("");
    expect(byTestId("line-item-li-1")).toBeNull();
  });

  it("nothing typed survives in the page, even input the UI never re-rendered", async () => {
    on("get_cart", () => readyCart());
    on("wipe_session", () => appInfo());
    await boot();
    await flush();
    const input = byTestId<HTMLInputElement>("card-number")!;
    input.value = "4111 1111 1111 1111";
    input.dispatchEvent(new Event("input"));
    const promo = byTestId<HTMLInputElement>("promo-input")!;
    promo.value = "SAVE10";
    await endSession();
    await flush();
    expect(byTestId<HTMLInputElement>("card-number")?.value).toBe("");
    expect(byTestId<HTMLInputElement>("promo-input")?.value).toBe("");
    expect(byTestId("card-number")).not.toBe(input);
  });

  it("kiosk: End session returns to the attract screen", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    on("wipe_session", () => appInfo({ mode: "kiosk", device_id: "dev-2" }));
    await boot();
    await startShopping();
    fillCustomer();
    changed();
    await flush();
    click("end-session");
    await flush();
    // Asked first: cancelling keeps everything.
    expect(byTestId("confirm-end-session")).not.toBeNull();
    click("end-session-cancel");
    await flush();
    expect(byTestId("confirm-end-session")).toBeNull();
    expect(called("wipe_session")).toHaveLength(0);
    expect(state.card.number).toBe("4111 1111 1111 1111");
    click("end-session");
    await flush();
    click("end-session-confirm");
    await flush();
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(byTestId("confirm-end-session")).toBeNull();
    expect(state.info?.device_id).toBe("dev-2");
    expectCustomerForgotten();
    expect(state.error).toBeNull();
  });

  it("the backend's idle wipe (session-wiped) forgets everything and shows the attract screen", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    const stop = await listenToBackend();
    await boot();
    await startShopping();
    fillCustomer();
    await emit("session-wiped", appInfo({ mode: "kiosk", device_id: "dev-3" }));
    await flush();
    expectCustomerForgotten();
    expect(state.view).toBe("attract");
    expect(byTestId("attract-screen")).not.toBeNull();
    expect(state.info?.device_id).toBe("dev-3");
    stop();
  });

  it("reset demo forgets the customer too", async () => {
    await boot();
    fillCustomer();
    let seenDuringCall: Record<string, unknown> | null = null;
    on("reset_sandbox", () => {
      seenDuringCall = customerSnapshot();
      return appInfo();
    });
    await resetDemo();
    await flush();
    expect(seenDuringCall).toEqual(freshCustomer());
    expect(called("reset_sandbox")).toHaveLength(1);
  });
});

describe("the settings dialog", () => {
  const settings = (): Settings => ({
    app_id: "desk",
    api_base: "https://api.example.com/",
    vault_base: "https://vault.example.com/",
    status_base: "",
    status_component: "",
    idle_seconds: 120,
    card_encryption: "jwe",
    language: "en",
  });

  it("keeps its draft in the store, and a wipe drops it", async () => {
    on("get_settings", settings);
    on("wipe_session", () => appInfo());
    await boot();
    click("settings-open");
    await flush();
    expect(state.settings.open).toBe(true);
    expect(state.settings.draft).toEqual(settings());
    const input = byTestId<HTMLInputElement>("settings-api_base")!;
    input.value = "https://typed.example.com/";
    input.dispatchEvent(new Event("input"));
    expect(state.settings.draft?.api_base).toBe("https://typed.example.com/");
    await endSession();
    await flush();
    expect(state.settings).toEqual(emptySettings());
    expect(byTestId("settings-dialog")).toBeNull();
    // Opened again: read afresh; nothing the last customer typed is left.
    click("settings-open");
    await flush();
    expect(called("get_settings")).toHaveLength(2);
    expect(byTestId<HTMLInputElement>("settings-api_base")?.value).toBe("https://api.example.com/");
  });

  it("drops settings read for the last customer when they arrive after a wipe", async () => {
    let answer: (s: Settings) => void = () => undefined;
    on("get_settings", () => new Promise<Settings>((resolve) => (answer = resolve)));
    on("wipe_session", () => appInfo());
    await boot();
    click("settings-open");
    await flush();
    expect(state.settings.loading).toBe(true);
    await endSession();
    await flush();
    answer(settings());
    await flush();
    expect(state.settings).toEqual(emptySettings());
    expect(byTestId("settings-dialog")).toBeNull();
  });
});

describe("the kiosk idle rule", () => {
  it("shows the warning from the backend's countdown and hides it on null", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    const stop = await listenToBackend();
    await boot();
    await startShopping();
    await emit("idle-warning", { seconds_left: 9 });
    await flush();
    expect(byTestId("idle-warning")?.textContent).toContain("9 seconds");
    await emit("idle-warning", { seconds_left: 8 });
    await flush();
    expect(byTestId("idle-warning")?.textContent).toContain("8 seconds");
    await emit("idle-warning", { seconds_left: null });
    await flush();
    expect(byTestId("idle-warning")).toBeNull();
    stop();
  });

  it("'I'm still here' reports activity at once", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    const stop = await listenToBackend();
    await boot();
    await startShopping();
    await emit("idle-warning", { seconds_left: 5 });
    await flush();
    const before = called("activity").length;
    click("idle-continue");
    await flush();
    expect(called("activity").length).toBe(before + 1);
    expect(byTestId("idle-warning")).toBeNull();
    stop();
  });

  it("input is reported at most once a second", () => {
    let now = 1_000;
    const sent: number[] = [];
    const r = new ActivityReporter(() => void sent.push(now), () => now);
    r.input();
    now += 300;
    r.input();
    now += 300;
    r.input();
    expect(sent).toEqual([1_000]);
    now += 400;
    r.input();
    expect(sent).toEqual([1_000, 2_000]);
    now += 10;
    r.input(true);
    expect(sent).toEqual([1_000, 2_000, 2_010]);
  });

  it("pointer, key, wheel and touch input reach the backend as `activity`, throttled", async () => {
    const r = new ActivityReporter();
    const target = new EventTarget();
    let enabled = true;
    const stop = r.attach(target, () => enabled);
    for (const ev of ["pointerdown", "keydown", "wheel", "touchstart"]) target.dispatchEvent(new Event(ev));
    await flush();
    expect(called("activity")).toHaveLength(1);
    enabled = false;
    r.input(true);
    await flush();
    expect(called("activity")).toHaveLength(2);
    target.dispatchEvent(new Event("keydown"));
    await flush();
    expect(called("activity")).toHaveLength(2);
    stop();
  });

  it("the UI keeps no idle timer of its own", async () => {
    const idle = await import("../src/idle");
    expect(Object.keys(idle).sort()).toEqual(["ACTIVITY_EVENTS", "ACTIVITY_INTERVAL_MS", "ActivityReporter", "activity"]);
  });
});

describe("language", () => {
  it("the attract screen's choice changes <html lang>, the words and money formats, for this customer only", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    on("wipe_session", () => appInfo({ mode: "kiosk" }));
    await boot();
    await flush();
    expect(document.documentElement.lang).toBe("en");
    expect(byTestId("start-shopping")?.textContent?.trim()).toBe("Start shopping");
    const eur = { amount: "1234.50", currency: "EUR" };
    const english = money(eur);
    expect(byTestId("language-en")?.getAttribute("aria-pressed")).toBe("true");
    expect(byTestId("language-es")?.getAttribute("lang")).toBe("es");
    click("language-es");
    await wordsArrive();
    expect(called("set_language").map((c) => c.args.language)).toEqual(["es"]);
    expect(byTestId("language-es")?.getAttribute("aria-pressed")).toBe("true");
    expect(document.documentElement.lang).toBe("es");
    expect(byTestId("start-shopping")?.textContent?.trim()).toBe("Empezar a comprar");
    expect(money(eur)).not.toBe(english);
    expect(money(eur)).toBe(new Intl.NumberFormat("es-US", { style: "currency", currency: "EUR" }).format(1234.5));
    await endSession();
    await flush();
    expect(document.documentElement.lang).toBe("en");
  });

  it("the desk's default comes from AppInfo.language", async () => {
    on("app_info", () => appInfo({ language: "es" }));
    on("get_cart", () => cart(1));
    await boot();
    await flush();
    expect(document.documentElement.lang).toBe("es");
    expect(byTestId("place-hint")?.textContent).toContain("Guarde la dirección de envío.");
    await chooseLanguage("en");
    await flush();
    expect(byTestId("place-hint")?.textContent).toContain("Save the shipping address.");
  });

  it("the app's own errors are translated by code; the merchant's words are kept as they came", async () => {
    on("app_info", () => appInfo({ language: "es" }));
    on("get_cart", () => readyCart());
    on("place_card_order", () => ({
      outcome: "not_placed",
      error: { code: "CreditCardDeclined", message: "Declined", field: "number", description: "Do not honor (05)", retryable: false },
    }));
    await boot();
    state.card = { number: "4000 0000 0000 0002", name: "A", exp: "12/30", cvv: "123" };
    click("place-order");
    await flush();
    const banner = byTestId("error-banner")!.textContent!;
    expect(banner).toContain("La tarjeta fue rechazada");
    expect(banner).toContain("Do not honor (05)");
  });

  it("in Spanish, a connection setting the backend refuses is worded for its field", async () => {
    on("app_info", () => appInfo({ language: "es" }));
    on("get_cart", () => readyCart());
    on("get_settings", () => ({
      app_id: "desk",
      api_base: "http://api.example.com/",
      vault_base: "https://vault.example.com/",
      status_base: "",
      idle_seconds: 120,
      card_encryption: "jwe",
      language: "es",
    }));
    on(
      "save_settings",
      fail({ code: "Validation", field: "api_base", message: "API base URL: must use https:// (plain http is allowed only for a local sandbox on 127.0.0.1)" }),
    );
    await boot();
    click("settings-open");
    await flush();
    expect(byTestId("settings-api_base")?.closest("form")?.textContent).toContain("la bóveda de tarjetas es un host propio");
    click("settings-save");
    await flush();
    const error = byTestId("settings-error")?.textContent ?? "";
    expect(error).toContain("URL base de la API");
    expect(error).toContain("https://");
    expect(error).not.toContain("must use");
    expect(byTestId<HTMLInputElement>("settings-api_base")?.value).toBe("http://api.example.com/");
  });

  it("in Spanish, how an order was paid and why one is unknown come from the catalog", async () => {
    on("app_info", () => appInfo({ language: "es" }));
    let p = pending({ cause: { kind: "timeout" } });
    on("get_cart", () => readyCart(1, { pending_order: p, blockers: [{ kind: "order_pending" }] }));
    await boot();
    await flush();
    expect(byTestId("order-pending-reason")?.textContent).toContain("La tienda no respondió a tiempo.");
    // A transport's own words are shown as they came.
    p = pending({ cause: { kind: "other", message: "tls handshake eof" } });
    on("check_order", () => ({ outcome: "unknown", pending: p }));
    click("order-check-again");
    await flush();
    expect(byTestId("order-pending-reason")?.textContent).toContain("tls handshake eof");
    on("check_order", () => ({ outcome: "placed", order: order({ paid_with: { kind: "card", brand: "Visa", last_four: "1111" } }) }));
    click("order-check-again");
    await flush();
    const confirmation = byTestId("order-confirmation")!.textContent!;
    expect(confirmation).toContain("Visa terminada en 1111");
    expect(confirmation).not.toContain("ending in");
  });
});

describe("start-up settlement", () => {
  it("kiosk: the attract screen says it is checking the last order and Start shopping waits", async () => {
    on("app_info", () => appInfo({ mode: "kiosk", settling: true }));
    const stop = await listenToBackend();
    await boot();
    await flush();
    expect(byTestId("startup-settling")).not.toBeNull();
    expect(byTestId<HTMLButtonElement>("start-shopping")?.disabled).toBe(true);
    await startShopping();
    expect(state.view).toBe("attract");
    on("app_info", () =>
      appInfo({ mode: "kiosk", startup_orders: [{ domain: LUMA, outcome: { outcome: "unknown", pending: pending() } }] }),
    );
    await emit("startup-settled", [{ domain: LUMA, outcome: { outcome: "unknown", pending: pending() } }]);
    await flush();
    expect(byTestId("startup-settling")).toBeNull();
    expect(byTestId<HTMLButtonElement>("start-shopping")?.disabled).toBe(false);
    const line = byTestId(`startup-order-${LUMA}`);
    expect(line?.getAttribute("data-outcome")).toBe("unknown");
    expect(line?.textContent).toContain("ask staff");
    stop();
  });

  it("the report of an earlier run's orders is shown once", async () => {
    on("app_info", () =>
      appInfo({ startup_orders: [{ domain: LUMA, outcome: { outcome: "placed", order: order({ order_number: "SBX-OLD" }) } }] }),
    );
    await boot();
    await flush();
    expect(byTestId("startup-report")?.textContent).toContain("SBX-OLD");
    click("startup-report-dismiss");
    await flush();
    expect(byTestId("startup-report")).toBeNull();
    on("wipe_session", () =>
      appInfo({ startup_orders: [{ domain: LUMA, outcome: { outcome: "placed", order: order({ order_number: "SBX-OLD" }) } }] }),
    );
    await endSession();
    await flush();
    expect(byTestId("startup-report")).toBeNull();
  });

  it("while settling, Place order waits", async () => {
    on("app_info", () => appInfo({ settling: true }));
    on("get_cart", () => readyCart());
    await boot();
    await flush();
    expect(byTestId("startup-settling")).not.toBeNull();
    expect(byTestId<HTMLButtonElement>("place-order")?.disabled).toBe(true);
  });
});
