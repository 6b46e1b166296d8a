// Formatting only: money is computed in Rust and arrives as decimal strings.
import type { MoneyView } from "./bindings";

const formatters = new Map<string, Intl.NumberFormat>();

/** The UI locale; falls back to en-US when the system's is not a valid BCP 47 tag (e.g. "C"). */
export function uiLocale(): string {
  const candidate = navigator.language || "en-US";
  try {
    return Intl.NumberFormat.supportedLocalesOf([candidate]).length ? candidate : "en-US";
  } catch {
    return "en-US";
  }
}

export function money(m: MoneyView | null | undefined, locale = uiLocale()): string {
  if (!m) return "—";
  const key = `${locale}|${m.currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = makeFormatter(locale, m.currency);
    formatters.set(key, f);
  }
  // The decimal string is exact; Number() is only for display of a 2-dp amount.
  return f.format(Number(m.amount));
}

function makeFormatter(locale: string, currency: string): Intl.NumberFormat {
  for (const l of [locale, "en-US"]) {
    try {
      return new Intl.NumberFormat(l, { style: "currency", currency });
    } catch {
      // Invalid locale tag or currency code: try the next option.
    }
  }
  return new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function isZero(m: MoneyView | null | undefined): boolean {
  return !m || Number(m.amount) === 0;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
