// The counter's part of the UI state (checkout, catalog, scanning, pay all, the on-screen
// keyboard): what the person is doing, never money. It belongs to the customer, so a wipe
// resets it with the rest (`initialState`).
import type { CardBrandView, PayAllPreview, ProductPriceView } from "./bindings";
import type { PadKind } from "./keyboard";

/** Where an address form's automatic save stands. */
export type AddressSaveState = "idle" | "editing" | "saving" | "saved" | "failed";

export interface CounterState {
  /** The card check's answer per card form (`card`, `pay-all-card`): its brand and CVV length. */
  cardCheck: Record<string, { brand: CardBrandView | null; cvv_digits: number }>;
  addressSave: Record<"shipping" | "billing", AddressSaveState>;
  /** The catalog's search text per merchant. */
  catalogQuery: Record<string, string>;
  /** Catalog prices per merchant and product handle (the product list carries none). */
  prices: Record<string, Record<string, ProductPriceView>>;
  /** What is typed (or scanned) into "Add by link or code". */
  linkDraft: string;
  /** A product whose link named several variants: it is added by its link once one is chosen. */
  productLink: string | null;
  /** The on-screen keyboard (kiosk policy `touch_keyboard`). */
  keyboard: { open: boolean; pad: PadKind; shift: boolean };
  /** Kiosk: a merchant's page is open in the viewer window (it has a Close button here). */
  linkViewer: boolean;
  /** What "Pay all" would pay now, as the backend counted it. */
  payAllPreview: PayAllPreview | null;
}

export function initialCounter(): CounterState {
  return {
    cardCheck: {},
    addressSave: { shipping: "idle", billing: "idle" },
    catalogQuery: {},
    prices: {},
    linkDraft: "",
    productLink: null,
    keyboard: { open: false, pad: "text", shift: false },
    linkViewer: false,
    payAllPreview: null,
  };
}
