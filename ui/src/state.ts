// UI state: what the backend last said, plus what the person is typing. Nothing here is
// computed money; carts are re-rendered from the backend's `CartView` after every change.
import type {
  AddressView,
  AppInfo,
  AvailabilityView,
  CartView,
  MoneyView,
  ConsentView,
  OrderView,
  ProductSummaryView,
  ProductView,
  RequestLogView,
} from "./bindings";
import type { DeskError } from "./ipc";

export interface CardDraft {
  number: string;
  name: string;
  exp_month: string;
  exp_year: string;
  cvv: string;
}

export interface State {
  info: AppInfo | null;
  selected: string;
  carts: Record<string, CartView>;
  products: Record<string, ProductSummaryView[]>;
  product: ProductView | null;
  variantId: string;
  qty: number;
  busy: number;
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
  availability: Record<string, AvailabilityView>;
  consents: Record<string, ConsentView[]>;
  paypal: { domain: string; state: string; message: string | null } | null;
  promoDraft: string;
  notesDraft: Record<string, string>;
  otp: { email: string; sent: string[]; code: string };
  wallet: { email: string; sent: string[]; code: string };
  announce: string;
  support: { open: boolean; log: RequestLogView[]; raw: string | null };
  settingsOpen: boolean;
  view: "shop" | "attract";
  idleWarning: number | null;
  /** Checkout health per merchant domain (`operational`, `degraded`, `outage`, `unknown`). */
  health: Record<string, string>;
  /** Total of all open carts per currency, as the backend computed it. */
  hiveTotal: MoneyView[];
  /** Where the last receipt or snapshot was saved. */
  savedTo: string | null;
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
  return { number: "", name: "", exp_month: "", exp_year: "", cvv: "" };
}

export function initialState(): State {
  return {
    info: null,
    selected: "",
    carts: {},
    products: {},
    product: null,
    variantId: "",
    qty: 1,
    busy: 0,
    placing: false,
    error: null,
    fieldErrors: {},
    shipping: emptyAddress(),
    billing: emptyAddress(),
    billingSame: true,
    card: emptyCard(),
    payMethod: "CreditCard",
    order: null,
    availability: {},
    consents: {},
    paypal: null,
    promoDraft: "",
    notesDraft: {},
    otp: { email: "", sent: [], code: "" },
    wallet: { email: "", sent: [], code: "" },
    announce: "",
    support: { open: false, log: [], raw: null },
    settingsOpen: false,
    view: "shop",
    idleWarning: null,
    savedTo: null,
    hiveTotal: [],
    health: {},
  };
}

export const state: State = initialState();

type Listener = () => void;
const listeners: Listener[] = [];

export function subscribe(l: Listener): void {
  listeners.push(l);
}

/** Re-renders after a state change (batched to one frame). */
let scheduled = false;
export function changed(): void {
  if (scheduled) return;
  scheduled = true;
  queueMicrotask(() => {
    scheduled = false;
    for (const l of listeners) l();
  });
}

export function resetState(): void {
  Object.assign(state, initialState());
}
