// Formatting only: money is computed in Rust and arrives as decimal strings.
import type { MoneyView } from "./bindings";

const formatters = new Map<string, Intl.NumberFormat>();

export function money(m: MoneyView | null | undefined, locale = navigator.language || "en-US"): string {
  if (!m) return "—";
  const key = `${locale}|${m.currency}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, { style: "currency", currency: m.currency });
    } catch {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    formatters.set(key, f);
  }
  // The decimal string is exact; Number() is only for display of a 2-dp amount.
  return f.format(Number(m.amount));
}

export function isZero(m: MoneyView | null | undefined): boolean {
  return !m || Number(m.amount) === 0;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
