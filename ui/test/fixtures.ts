// Backend answers as the Rust side serializes them, and a mocked IPC to serve them.
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { render } from "lit-html";
import type {
  AppInfo,
  Blocker,
  CartView,
  MoneyView,
  OrderView,
  PendingOrderView,
  ShipmentView,
} from "../src/bindings";
import { app } from "../src/views/app";
import { changed, resetState, state, subscribe } from "../src/state";
import { documentOps } from "../src/session";
import { prefetchCatalogs, setLang } from "../src/i18n";

export const usd = (amount: string): MoneyView => ({ amount, currency: "USD" });

export const LUMA = "staging.luma.gift";
export const HOME = "homegoods.test";

export function appInfo(extra: Partial<AppInfo> = {}): AppInfo {
  return {
    environment: "Sandbox",
    mode: "demo",
    device_id: "dev-1",
    api_base: "http://127.0.0.1:1/",
    merchants: [{ domain: LUMA, display_name: "Luma" }],
    version: "0.1.0",
    idle: { idle_seconds: 120, warn_seconds: 15 },
    postal_code: null,
    language: "en",
    desk_language: "en",
    locked_settings: [],
    startup_orders: [],
    settling: false,
    kiosk: { order_done_seconds: 30, touch_keyboard: false, can_print: false, staff_panel: false },
    ...extra,
  };
}

export function cart(items: number, extra: Partial<CartView> = {}): CartView {
  const domain = extra.domain ?? LUMA;
  const blockers: Blocker[] = items ? [{ kind: "shipping_address" }] : [{ kind: "empty_cart" }];
  return {
    domain,
    display_name: domain === LUMA ? "Luma" : "Home Goods",
    cart_id: "c1",
    status: "active",
    currency: "USD",
    item_count: items,
    line_items: items
      ? [
          {
            line_item_id: "li-1",
            sku: "MH07-M-Black",
            variant_id: "MH07-M-Black",
            title: "Hero Hoodie",
            variant: "M / Black",
            quantity: items,
            unit_price: usd("54.00"),
            line_price: usd((54 * items).toFixed(2)),
            image_url: null,
            discounts: [],
            notices: [],
          },
        ]
      : [],
    shipments: [],
    addons: [],
    promo_codes: [],
    totals: {
      subtotal: usd((54 * items).toFixed(2)),
      shipping: usd("0.00"),
      tax: usd("0.00"),
      addons: usd("0.00"),
      discount: usd("0.00"),
      total: usd((54 * items).toFixed(2)),
    },
    shipping_info: null,
    billing_info: null,
    payment_options: [{ kind: "CreditCard", card: null, id: null, wallet: null, blocker: null }],
    session: { requires_login: false, is_email_registered: false, is_logged_in: false },
    optional_fields: [],
    notices: [],
    consents: [],
    blockers,
    paypal_account: null,
    pending_order: null,
    load_error: null,
    merchant_site: null,
    tax_included: false,
    validation_errors: [],
    discount_breakdown: [],
    store_credits: null,
    available_store_credit: null,
    reward_points: null,
    available_reward_points: null,
    additional_shipping_methods: [],
    address_options: [],
    account_email: null,
    ...extra,
  };
}

/** A cart with items whose address is saved and nothing blocks. */
export function readyCart(items = 1, extra: Partial<CartView> = {}): CartView {
  return cart(items, {
    shipping_info: {
      first_name: "Ada",
      last_name: "Lovelace",
      email: "ada@example.com",
      phone: "2065550100",
      company: "",
      address1: "1 Main St",
      address2: "",
      city: "Seattle",
      state_or_province: "WA",
      postal_code: "98101",
      country: "US",
    },
    blockers: [],
    ...extra,
  });
}

export function order(extra: Partial<OrderView> = {}): OrderView {
  return {
    domain: LUMA,
    order_number: "SBX-1",
    placed_at: "2026-11-22T00:00:00Z",
    line_items: [],
    totals: readyCart().totals,
    total: usd("54.00"),
    paid_with: { kind: "card", brand: "Visa", last_four: "1111" },
    thank_you_url: null,
    raw_answer: null,
    ...extra,
  };
}

export function pending(extra: Partial<PendingOrderView> = {}): PendingOrderView {
  return {
    id: "rec-1",
    domain: LUMA,
    cart_id: "c1",
    payment: "Card",
    started_at: "2026-11-22T00:00:00Z",
    checks: 2,
    last_checked_at: "2026-11-22T00:00:05Z",
    checking: true,
    cause: { kind: "connection_dropped" },
    with_staff: false,
    ...extra,
  };
}

export function shipment(extra: Partial<ShipmentView> = {}): ShipmentView {
  return {
    shipment_id: "s1",
    fulfillment_type: "SHIP_TO_ADDRESS",
    fulfillment_id: "SHIP_TO_ADDRESS",
    fulfillment_options: [],
    line_item_ids: ["li-1"],
    methods: [],
    selected_method: null,
    selected_date: null,
    selected_slot: null,
    unconfirmed_slot: null,
    selected_location: null,
    notes: null,
    cost: null,
    discounts: [],
    pickup_option: null,
    ...extra,
  };
}

export type Handler = (args: Record<string, unknown>) => unknown;

/** The IPC calls a test made, in order. */
export const calls: { cmd: string; args: Record<string, unknown> }[] = [];

/** Default answers; a test overrides any command with `on`. */
function defaults(): Record<string, Handler> {
  return {
    app_info: () => appInfo(),
    get_hive: () => ({ carts: [cart(0)], total: [] }),
    get_cart: () => cart(0),
    list_products: () => [{ handle: "hero-hoodie", title: "Hero Hoodie", image_url: null }],
    merchant_health: () => "operational",
    // What pay all would pay, as Rust counts it: open carts with nothing blocking a card.
    pay_all_preview: () => {
      const open = Object.values(state.carts).filter((c) => c.line_items.length && c.status === "active");
      const ready = open.filter((c) => !c.blockers.length && c.payment_options.some((o) => o.kind === "CreditCard"));
      const cents = ready.reduce((n, c) => n + Math.round(Number(c.totals.total.amount) * 100), 0);
      return {
        ready: ready.map((c) => c.domain),
        total: ready.length ? [usd((cents / 100).toFixed(2))] : [],
        not_ready: open.filter((c) => !ready.includes(c)).map((c) => ({ domain: c.domain, blockers: c.blockers })),
      };
    },
    product_prices: () => [],
    address_form: () => ({
      countries: ["US", "CA", "FR", "MX"],
      regions: [
        { country: "US", regions: [{ code: "WA", name: "Washington" }, { code: "OR", name: "Oregon" }] },
        { country: "CA", regions: [{ code: "BC", name: "British Columbia" }] },
      ],
    }),
    validate_address: () => [],
    validate_card: () => ({ brand: "visa", cvv_digits: 3, problems: [] }),
    request_log: () => [],
    raw_cart: () => null,
    audit_log: () => [],
    activity: () => null,
    // The backend keeps the shopper's language and answers the desk as it is then.
    set_language: (a) => ({ ...(state.info ?? appInfo()), language: a.language }),
  };
}

let handlers: Record<string, Handler> = defaults();

export function on(cmd: string, h: Handler): void {
  handlers[cmd] = h;
}

/** A failing command answers with the typed error (the bindings turn it into `status: error`). */
export function fail(error: Record<string, unknown>): Handler {
  return () => {
    throw { retryable: false, ...error };
  };
}

export const root = document.createElement("div");
document.body.appendChild(root);
subscribe(() => render(app(), root));

export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
/**
 * Waits for the words a language button asked for, then for the render. A language's catalog
 * is a chunk of its own, loaded on first use; how long its import takes depends on the machine
 * (a cold run transforms the module first), so a test awaits the load itself, never a count of
 * ticks. Awaiting it does not draw anything: the screen changes only if the app asked.
 */
export async function wordsArrive(): Promise<void> {
  await prefetchCatalogs();
  await flush();
}
export const byTestId = <T extends Element = HTMLElement>(id: string): T | null =>
  root.querySelector<T>(`[data-testid="${CSS.escape(id)}"]`);
export const click = (id: string): void => {
  const el = byTestId<HTMLElement>(id);
  if (!el) throw new Error(`no element ${id}`);
  el.click();
};
export const called = (cmd: string) => calls.filter((c) => c.cmd === cmd);

/** A fresh UI and backend for each test. */
export function setup(): void {
  resetState();
  // The page's reload after a kiosk's wipe: here the attract screen of the fresh page.
  documentOps.fallbackMs = 3000;
  documentOps.reload = () => {
    state.view = "attract";
    changed();
  };
  setLang("en");
  // What the page shows before anything answers (main.ts draws once at once, too).
  render(app(), root);
  calls.length = 0;
  handlers = defaults();
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls.push({ cmd, args: a });
      const h = handlers[cmd];
      return h ? h(a) : null;
    },
    { shouldMockEvents: true },
  );
}

export function teardown(): void {
  clearMocks();
}
