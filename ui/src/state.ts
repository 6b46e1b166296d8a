// UI state: what the backend last said, plus what the person is typing. Nothing here is
// computed money; carts are re-rendered from the backend's `CartView` after every change.
//
// The state has two parts. The desk part (`DESK_KEYS`) describes the machine and survives a
// wipe; everything else belongs to the current customer and a wipe resets it to
// `initialState()` unconditionally (CONTRACTS.md: a wipe forgets everything).
import type {
  AddressView,
  ApiError,
  AppInfo,
  AuditEntry,
  AvailabilityView,
  CartResult,
  CartView,
  ConsentView,
  DemoHelperView,
  DiagnosticsView,
  HiveView,
  MerchantHealth,
  MoneyView,
  OrderReportView,
  OrderView,
  PayAllEntry,
  PaypalEnd,
  PaypalState,
  PendingOrderView,
  ProductSummaryView,
  ProductView,
  QrView,
  RequestLogView,
  Settings,
  StaffView,
} from "./bindings";
import type { DeskError } from "./ipc";
import { initialCounter, type CounterState } from "./counter-state";
import type { PayAllRow } from "./payall";

/** A card as typed: one `MM/YY` expiry field (sent as month and year, `toCardInput`). */
export interface CardDraft {
  number: string;
  name: string;
  exp: string;
  cvv: string;
}

export interface SupportState {
  open: boolean;
  log: RequestLogView[];
  raw: string | null;
  audit: AuditEntry[];
  /** Diagnostics text shown when the clipboard is not available. */
  diagnostics: string | null;
  redact: boolean;
  chooseLocation: boolean;
  transfer: { domain: string; handle: string; cookies: string };
  /** What the request log is narrowed to (method, path, status, merchant, request id). */
  filter: string;
  /** The diagnostics (platform, device id), read when the panel opens. */
  diag: DiagnosticsView | null;
  /** Why the panel's last read failed (shown in the panel, never the banner). */
  error: DeskError | null;
}

export interface PayAllState {
  open: boolean;
  running: boolean;
  card: CardDraft;
  /** One live row per merchant while the run goes (`pay-all-progressed` events). */
  rows: Record<string, PayAllRow>;
  /** The run's answer: shown as one combined confirmation once the panel closes. */
  results: PayAllEntry[] | null;
}

/** The kiosk's staff side: the PIN pad and the panel behind it. */
export interface StaffState {
  /** The PIN pad is open. */
  pinOpen: boolean;
  /** What is typed on the pad (masked on screen; cleared after each attempt). */
  pin: string;
  /** Why the last attempt was refused, in words. */
  pinError: string | null;
  /** The panel is open with these orders (null: closed). */
  panel: StaffView | null;
  /** A staff action waiting for its confirmation. */
  confirm: { kind: "settle"; id: string; placed: boolean } | { kind: "restart" } | null;
  /** The last staff action's failure, in words. */
  error: string | null;
}

/**
 * The settings dialog (agent and demo modes). The draft belongs to the customer session like
 * everything typed: a wipe drops it with the rest (`resetCustomer`).
 */
export interface SettingsState {
  open: boolean;
  /** The settings as read (`get_settings`) and edited, not yet saved (null: not read yet). */
  draft: Settings | null;
  /** Why reading or saving the settings failed, in words. */
  error: string | null;
  /** The settings are being read. */
  loading: boolean;
}

/** A redacted support snapshot opened to read (agent mode): nothing in it can be acted on. */
export interface SnapshotView {
  exportedAt: string;
  hive: HiveView;
}

export interface State {
  // ---- the desk (kept by a wipe) ---------------------------------------------------------
  info: AppInfo | null;
  /** Checkout health per merchant domain, as the backend said it. */
  health: Record<string, MerchantHealth>;
  /** The start-up report was shown once (it is never shown again in this run). */
  startupReported: boolean;
  /** Requests in flight (they finish even across a wipe; their answers are then dropped). */
  busy: number;
  /** Bumped by every wipe: answers to requests of an earlier customer are ignored. */
  epoch: number;

  // ---- the current customer (reset by a wipe) ------------------------------------------
  // (The language on screen is `info.language`: the backend keeps the shopper's choice.)
  selected: string;
  /** Start-up: the desk is known (`info`) and the carts (`get_hive`) are still being read. */
  hiveLoading: boolean;
  carts: Record<string, CartView>;
  /** A merchant whose cart or catalog could not be read (shown on its tab). */
  merchantErrors: Record<string, DeskError>;
  products: Record<string, ProductSummaryView[]>;
  product: ProductView | null;
  variantId: string;
  qty: number;
  /** An order is being placed (set before validation, so a second click is ignored). */
  placing: boolean;
  error: DeskError | null;
  fieldErrors: Record<string, string>;
  shipping: AddressView;
  billing: AddressView;
  billingSame: boolean;
  card: CardDraft;
  payMethod: string;
  order: OrderView | null;
  /** Unknown outcomes returned by a place/check call, until the cart carries them. */
  pending: Record<string, PendingOrderView>;
  /** The agent asked to pay again despite an unknown outcome (the dialog is open). */
  overrideAsk: boolean;
  availability: Record<string, AvailabilityView>;
  /** Availability being loaded, or whose loading failed (a render never asks twice). */
  availabilityLoading: Record<string, "loading" | "failed">;
  /** Shipments whose backend step ran (merchant|shipment → type|store): asked once. */
  prepared: Record<string, string>;
  consents: Record<string, ConsentView[]>;
  paypal: { domain: string; state: PaypalState | "starting"; end: PaypalEnd | null; error: ApiError | null } | null;
  promoDraft: string;
  notesDraft: Record<string, string>;
  pendingDate: Record<string, string>;
  calendarMonth: Record<string, string>;
  merchantDraft: string;
  postalDraft: string | null;
  otp: { email: string; sent: string[]; code: string };
  wallet: { email: string; sent: string[]; code: string };
  announce: string;
  support: SupportState;
  settings: SettingsState;
  /**
   * `renewing`: a kiosk's wipe is reloading the page, so the next shopper starts on a fresh
   * document (nothing of the last one left in the page's memory, and none of its growth).
   */
  view: "shop" | "attract" | "renewing";
  idleWarning: number | null;
  /** Total of all open carts per currency, as the backend computed it. */
  hiveTotal: MoneyView[];
  /** Where the last receipt, snapshot or audit export was saved. */
  savedTo: string | null;
  /** Results of "Use this address for every cart". */
  applyAll: CartResult[] | null;
  payAll: PayAllState;
  /** Orders of an earlier run, shown once until dismissed. */
  startupReport: OrderReportView[] | null;
  /** Kiosk: "End session?" is being asked. */
  confirmEnd: boolean;
  /** Kiosk: seconds left on the order confirmation before it ends by itself (null: none). */
  orderDone: number | null;
  /** The QR code of the confirmed order's receipt page (kiosk). */
  receiptQr: QrView | null;
  /** A redacted snapshot opened read-only (agent). */
  snapshot: SnapshotView | null;
  staff: StaffState;
  /** The counter: checkout, catalog, scanning, pay all, the on-screen keyboard. */
  counter: CounterState;

  // ---- the desk helpers (issue #27): demo helper, undo, confirmations -----------------
  /** Demo mode's helper panel. */
  demo: DemoState;
  /** The last removal that can still be undone (the `undo` toast), or none. */
  undo: UndoOffer | null;
  /** "Reset demo?" is being asked. */
  confirmReset: boolean;
}

/** The demo helper: open or not, and what the backend last said. */
export interface DemoState {
  open: boolean;
  view: DemoHelperView | null;
  /** Why the helper could not be read or a switch could not be set. */
  error: DeskError | null;
}

/** A removal (a line, or a whole cart) that the backend can still put back. */
export interface UndoOffer {
  /** Tells one offer from the next (a timer of an earlier offer leaves a newer one alone). */
  id: number;
  domain: string;
  /** What was removed, in words ("Hero Hoodie removed."). */
  message: string;
}

export function emptyAddress(): AddressView {
  return {
    first_name: "",
    last_name: "",
    email: "",
    phone: "",
    company: "",
    address1: "",
    address2: "",
    city: "",
    state_or_province: "",
    postal_code: "",
    country: "US",
  };
}

export function emptyCard(): CardDraft {
  return { number: "", name: "", exp: "", cvv: "" };
}

export function initialState(): State {
  return {
    info: null,
    health: {},
    startupReported: false,
    busy: 0,
    epoch: 0,

    selected: "",
    hiveLoading: false,
    carts: {},
    merchantErrors: {},
    products: {},
    product: null,
    variantId: "",
    qty: 1,
    placing: false,
    error: null,
    fieldErrors: {},
    shipping: emptyAddress(),
    billing: emptyAddress(),
    billingSame: true,
    card: emptyCard(),
    payMethod: "CreditCard",
    order: null,
    pending: {},
    overrideAsk: false,
    availability: {},
    availabilityLoading: {},
    prepared: {},
    consents: {},
    paypal: null,
    promoDraft: "",
    notesDraft: {},
    pendingDate: {},
    calendarMonth: {},
    merchantDraft: "",
    postalDraft: null,
    otp: { email: "", sent: [], code: "" },
    wallet: { email: "", sent: [], code: "" },
    announce: "",
    support: {
      open: false,
      log: [],
      raw: null,
      audit: [],
      diagnostics: null,
      redact: true,
      chooseLocation: false,
      transfer: { domain: "", handle: "", cookies: "" },
      filter: "",
      diag: null,
      error: null,
    },
    settings: emptySettings(),
    view: "shop",
    idleWarning: null,
    hiveTotal: [],
    savedTo: null,
    applyAll: null,
    payAll: { open: false, running: false, card: emptyCard(), rows: {}, results: null },
    startupReport: null,
    confirmEnd: false,
    orderDone: null,
    receiptQr: null,
    snapshot: null,
    staff: emptyStaff(),

    demo: { open: false, view: null, error: null },
    undo: null,
    confirmReset: false,
    counter: initialCounter(),
  };
}

export function emptySettings(): SettingsState {
  return { open: false, draft: null, error: null, loading: false };
}

export function emptyStaff(): StaffState {
  return { pinOpen: false, pin: "", pinError: null, panel: null, confirm: null, error: null };
}

/** What describes the desk rather than the customer: a wipe keeps these. */
export const DESK_KEYS = ["info", "health", "startupReported", "busy", "epoch"] as const;

export const state: State = initialState();

type Listener = () => void;
const listeners: Listener[] = [];

export function subscribe(l: Listener): () => void {
  listeners.push(l);
  return () => {
    const i = listeners.indexOf(l);
    if (i >= 0) listeners.splice(i, 1);
  };
}

/** Re-renders after a state change (batched to one microtask; deferred while held). */
let scheduled = false;
let holds = 0;
let heldChange = false;
export function changed(): void {
  if (holds > 0) {
    heldChange = true;
    return;
  }
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const l of [...listeners]) l();
  });
}

/**
 * Defers every render until the matching `release`; the changes made meanwhile are drawn
 * together then (start-up: one paint of the shell and its carts, not one per answer and
 * event while the page is still busy booting; docs/BENCHMARKS.md §1).
 */
export function hold(): void {
  holds++;
}

export function release(): void {
  if (holds === 0) return;
  holds--;
  if (holds === 0 && heldChange) {
    heldChange = false;
    changed();
  }
}

/** Forgets the customer: every customer field back to its initial value; the desk stays. */
export function resetCustomer(): void {
  const fresh = initialState();
  const keep: Partial<State> = {};
  for (const k of DESK_KEYS) (keep as Record<string, unknown>)[k] = state[k];
  Object.assign(state, fresh, keep);
  state.epoch++;
}

/** Everything back to the start (tests). */
export function resetState(): void {
  Object.assign(state, initialState());
  holds = 0;
  heldChange = false;
}

// ---- the desk helpers (issue #27) ---------------------------------------------------------

/**
 * Fills the card form with a whole card (the demo helper's test cards): the cart's form,
 * and Pay all's when it is open. The forms read `state.card` and `state.payAll.card`.
 */
export function fillCard(card: CardDraft): void {
  state.card = { ...card };
  if (state.payAll.open) state.payAll.card = { ...card };
  changed();
}
