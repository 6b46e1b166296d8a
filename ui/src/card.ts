// The card form's live check: the brand and the CVV's length come from Rust's card check as
// the number is typed (the UI keeps no table of brands), and the one `MM/YY` expiry field
// goes to the backend as month and year. Card data lives only in memory and is never logged.
import type { CardBrandView, CardInput } from "./bindings";
import { commands } from "./ipc";
import { changed, state, type CardDraft } from "./state";
import { formatCardNumber, parseExpiry } from "./format";

/** The card as the backend takes it. */
export function toCardInput(c: CardDraft): CardInput {
  const { month, year } = parseExpiry(c.exp);
  return { number: c.number, name: c.name, exp_month: month, exp_year: year, cvv: c.cvv };
}

/** The brand the last card check named for a form (`card`, `pay-all-card`), if any. */
export function brandOf(prefix: string): CardBrandView | null {
  return state.counter.cardCheck[prefix]?.brand ?? null;
}

/** How many digits the CVV takes for the card typed so far (3 until a brand says otherwise). */
export function cvvDigits(prefix: string): number {
  return state.counter.cardCheck[prefix]?.cvv_digits ?? 3;
}

const asked: Record<string, number> = {};

/**
 * Asks the card check about the number as it is now; a later answer wins over an earlier
 * one. The number is regrouped when the brand changes (Amex 4-6-5).
 */
export async function checkCardBrand(prefix: string, c: CardDraft): Promise<void> {
  const n = (asked[prefix] = (asked[prefix] ?? 0) + 1);
  const epoch = state.epoch;
  let check;
  try {
    check = await commands.validateCard(toCardInput(c));
  } catch {
    return;
  }
  if (n !== asked[prefix] || epoch !== state.epoch || !check) return;
  const before = state.counter.cardCheck[prefix];
  if (before?.brand === check.brand && before?.cvv_digits === check.cvv_digits) return;
  state.counter.cardCheck = { ...state.counter.cardCheck, [prefix]: { brand: check.brand, cvv_digits: check.cvv_digits } };
  c.number = formatCardNumber(c.number, check.brand);
  changed();
}
