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

// ---- the counter: phones, time slots, card expiry and number, country names ---------------

/** Country calling codes of one or two digits (ITU-T E.164); every other code has three. */
const SHORT_CALLING_CODES = new Set([
  "1", "7", "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48",
  "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
  "86", "90", "91", "92", "93", "94", "95", "98",
]);

/** Digits in groups of three, the last group taking four when one would be left alone. */
function groups(d: string): string {
  const out: string[] = [];
  let rest = d;
  while (rest.length > 4) {
    out.push(rest.slice(0, 3));
    rest = rest.slice(3);
  }
  if (rest) out.push(rest);
  return out.join(" ");
}

/**
 * A phone number to read: North American numbers as `(206) 555-0101` (with `+1` when the
 * number is not from North America's plan as written), other international numbers as
 * `+44 207 946 0958`. Anything that is not a plain phone number is shown as it came.
 */
export function formatPhone(raw: string | null | undefined): string {
  const text = (raw ?? "").trim();
  if (!text || !/^\+?[\d\s().-]+$/.test(text)) return text;
  const digits = text.replace(/\D/g, "");
  const international = text.startsWith("+");
  const nanp = (d: string) => `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  if (!international) {
    if (digits.length === 10) return nanp(digits);
    if (digits.length === 11 && digits.startsWith("1")) return nanp(digits.slice(1));
    return text;
  }
  if (digits.startsWith("1") && digits.length === 11) return nanp(digits.slice(1));
  if (digits.length < 7 || digits.length > 15) return text;
  const len = SHORT_CALLING_CODES.has(digits.slice(0, 1)) ? 1 : SHORT_CALLING_CODES.has(digits.slice(0, 2)) ? 2 : 3;
  return `+${digits.slice(0, len)} ${groups(digits.slice(len))}`;
}

/** `08:00` → `8:00` (a clock time as the API gives it, without its leading zero). */
export function clockTime(t: string): string {
  const m = /^(\d{1,2}):(\d{2})/.exec(t.trim());
  return m ? `${Number(m[1])}:${m[2]}` : t.trim();
}

/** A time range, once: `8:00–12:00`. */
export function timeRange(start: string, end: string): string {
  return `${clockTime(start)}–${clockTime(end)}`;
}

/**
 * A slot in words, its times said once: the merchant's label without the times it repeats
 * ("Morning (8 AM - 12 PM)" → "Morning"), then the range: "Morning · 8:00–12:00".
 */
export function slotText(slot: { start: string; end: string; description: string | null }): string {
  const range = timeRange(slot.start, slot.end);
  const label = slotLabel(slot.description);
  return label ? `${label} · ${range}` : range;
}

/** The words of a slot's description, without any time or time range in it. */
export function slotLabel(description: string | null): string {
  let d = (description ?? "").trim();
  // A bracketed part holding a digit is the times again: "(8 AM - 12 PM)", "[08:00-12:00]".
  d = d.replace(/\s*[([][^)\]]*\d[^)\]]*[)\]]\s*/g, " ");
  // A bare range or time: "08:00-12:00", "8 AM – 12 PM", "8am".
  d = d.replace(/\b\d{1,2}(:\d{2})?\s*(a\.?m\.?|p\.?m\.?)?\s*([-–—]|to|a)\s*\d{1,2}(:\d{2})?\s*(a\.?m\.?|p\.?m\.?)?(?![\w])/gi, " ");
  d = d.replace(/\b\d{1,2}(:\d{2})\s*(a\.?m\.?|p\.?m\.?)?(?![\w])/gi, " ");
  d = d.replace(/\s+/g, " ").replace(/^[\s,·:/-]+|[\s,·:/-]+$/g, "");
  return d;
}

/** The expiry as typed, shaped as `MM/YY` (or `MM/YYYY`) while typing. */
export function formatExpiry(raw: string): string {
  const slash = /^\s*(\d{1,2})\s*\/\s*(\d*)/.exec(raw);
  if (slash) {
    const month = slash[1].length === 1 && slash[2].length ? `0${slash[1]}` : slash[1];
    return `${month}/${slash[2].slice(0, 4)}`;
  }
  const d = raw.replace(/\D/g, "").slice(0, 6);
  return d.length > 2 ? `${d.slice(0, 2)}/${d.slice(2)}` : d;
}

/**
 * The expiry field's `MM/YY` as the backend's month and year (`12/31` → `12`, `2031`).
 * Nothing is judged here: what cannot be read goes as typed, and the card check says what
 * is wrong with it.
 */
export function parseExpiry(text: string): { month: string; year: string } {
  const t = text.trim();
  if (!t) return { month: "", year: "" };
  let month: string;
  let year: string;
  const parts = t.split(/\s*[/\-.\s]\s*/).filter(Boolean);
  if (parts.length >= 2) {
    [month, year] = parts;
  } else {
    const d = t.replace(/\D/g, "");
    if (d.length === 3) [month, year] = [d.slice(0, 1), d.slice(1)];
    else if (d.length === 4 || d.length === 6) [month, year] = [d.slice(0, 2), d.slice(2)];
    else return { month: t, year: "" };
  }
  if (/^\d$/.test(month)) month = `0${month}`;
  if (/^\d{2}$/.test(year)) year = `20${year}`;
  return { month, year };
}

/** The card number grouped as its brand prints it (the brand is the backend's card check). */
export function formatCardNumber(raw: string, brand: string | null = null): string {
  const d = raw.replace(/\D/g, "").slice(0, 19);
  if (brand === "amex" || brand === "diners_club") {
    const tail = brand === "amex" ? 15 : 14;
    return [d.slice(0, 4), d.slice(4, 10), d.slice(10, tail), d.slice(tail)].filter(Boolean).join(" ");
  }
  return d.replace(/(.{4})/g, "$1 ").trim();
}

const countryNames = new Map<string, Intl.DisplayNames | null>();

/** A country's name in the UI's language (`US` → "United States"); the code when unknown. */
export function countryName(code: string, loc = locale()): string {
  let names = countryNames.get(loc);
  if (names === undefined) {
    try {
      names = new Intl.DisplayNames([loc, "en"], { type: "region" });
    } catch {
      names = null;
    }
    countryNames.set(loc, names);
  }
  try {
    return names?.of(code) ?? code;
  } catch {
    return code;
  }
}

/** A country list as options, per language: the list it was made from and the options. */
const countryLists = new Map<string, { codes: readonly string[]; options: readonly (readonly [string, string])[] }>();

/**
 * The countries of `codes` as `[code, name]` options in the UI's language: the first two (US,
 * CA) first, the rest by name in the language's order. Made once per list and language and
 * then the same array: naming ≈ 250 countries and sorting them through ICU on every render
 * was most of what a cart update cost (docs/BENCHMARKS.md §7).
 */
export function countryOptions(codes: readonly string[], loc = locale()): readonly (readonly [string, string])[] {
  const made = countryLists.get(loc);
  if (made && made.codes === codes) return made.options;
  const named = (c: string) => [c, countryName(c, loc)] as const;
  const collator = new Intl.Collator(loc);
  const options = [
    ...codes.slice(0, 2).map(named),
    ...codes
      .slice(2)
      .map(named)
      .sort((a, b) => collator.compare(a[1], b[1])),
  ];
  countryLists.set(loc, { codes, options });
  return options;
}

const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/** A weekday's name in the UI's language (`monday` → "Monday", "lunes"); other words as they came. */
export function weekdayName(day: string, loc = locale()): string {
  const i = WEEKDAYS.indexOf(day.trim().toLowerCase());
  if (i < 0) return day.trim();
  // 1 January 2024 was a Monday.
  const d = new Date(Date.UTC(2024, 0, 1 + i, 12));
  const name = d.toLocaleDateString(loc, { weekday: "long", timeZone: "UTC" });
  return name.charAt(0).toLocaleUpperCase(loc) + name.slice(1);
}

/**
 * A store's opening hours as table rows: `"monday: 9:00 AM - 9:00 PM"` lines, neighbouring
 * days with the same hours joined ("Monday–Friday"). A line without a day is a row of its own.
 */
export function hoursRows(lines: string[], loc = locale()): { days: string; hours: string }[] {
  const rows: { first: string; last: string; hours: string }[] = [];
  for (const line of lines) {
    const m = /^\s*([A-Za-z][A-Za-z .-]*?)\s*:\s*(.+)$/.exec(line);
    if (!m) {
      rows.push({ first: "", last: "", hours: line.trim() });
      continue;
    }
    const [, day, hours] = m;
    const prev = rows[rows.length - 1];
    const next = WEEKDAYS.indexOf(day.toLowerCase());
    if (prev && prev.hours === hours.trim() && next > 0 && WEEKDAYS.indexOf(prev.last.toLowerCase()) === next - 1) {
      prev.last = day;
    } else {
      rows.push({ first: day, last: day, hours: hours.trim() });
    }
  }
  return rows.map((r) => ({
    days: !r.first ? "" : r.first === r.last ? weekdayName(r.first, loc) : `${weekdayName(r.first, loc)}–${weekdayName(r.last, loc)}`,
    hours: r.hours,
  }));
}
