// Formatting only: money is computed in Rust and arrives as decimal strings. The locale
// follows the UI language (`en-US`, `es-US`).
import type { MoneyView } from "./bindings";
import { locale } from "./i18n";

const formatters = new Map<string, Intl.NumberFormat>();
/** Amounts already formatted: a render shows the same prices again (bounded, then cleared). */
const formatted = new Map<string, string>();
const FORMATTED_MAX = 4096;

export function money(m: MoneyView | null | undefined, loc = locale()): string {
  if (!m) return "—";
  const key = `${loc}|${m.currency}`;
  const memo = `${key}|${m.amount}`;
  const done = formatted.get(memo);
  if (done !== undefined) return done;
  let f = formatters.get(key);
  if (!f) {
    f = makeFormatter(loc, m.currency);
    formatters.set(key, f);
  }
  // The decimal string is exact; Number() is only for display of a 2-dp amount.
  const text = f.format(Number(m.amount));
  if (formatted.size >= FORMATTED_MAX) formatted.clear();
  formatted.set(memo, text);
  return text;
}

function makeFormatter(loc: string, currency: string): Intl.NumberFormat {
  for (const l of [loc, "en-US"]) {
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

/** A calendar date (`YYYY-MM-DD`) in the UI's language. */
export function day(date: string, opts: Intl.DateTimeFormatOptions = { weekday: "short", month: "short", day: "numeric" }): string {
  const d = new Date(`${date.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return d.toLocaleDateString(locale(), { ...opts, timeZone: "UTC" });
}

/** A moment (RFC 3339) in the UI's language, local time. */
export function moment(at: string | null | undefined): string {
  if (!at) return "—";
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return d.toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
}
