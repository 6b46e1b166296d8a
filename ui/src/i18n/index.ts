// The one catalog of user-visible words (English and Spanish, same keys) and the locale
// that drives money and date formats. Views never hold prose of their own: they ask `t`.
import { en, type MessageKey } from "./en";
import { es } from "./es";
import { LANGUAGES, type Language } from "../bindings";

export type { MessageKey };
/** The languages are Rust's (`Language`, `LANGUAGES`): a new one is added there and here. */
export type Lang = Language;
export const LANGS: readonly Lang[] = LANGUAGES;

export const CATALOGS: Record<Lang, Record<MessageKey, string>> = { en, es };

let current: Lang = "en";

/** A language tag from the backend or a form (`es`, `es-MX`, ``) as one of ours. */
export function toLang(tag: string | null | undefined): Lang | null {
  const primary = (tag ?? "").trim().toLowerCase().split(/[-_.]/)[0];
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : null;
}

export function lang(): Lang {
  return current;
}

/** Switches the language: the catalog, `<html lang>`, money and date formats. */
export function setLang(l: Lang): void {
  current = l;
  if (typeof document !== "undefined") document.documentElement.lang = l;
}

/** The BCP 47 locale of the current language (`en-US`, `es-US`): the desk sells in the US. */
export function locale(): string {
  return `${current}-US`;
}

/** Each catalog text split once at its placeholders: literal, name, literal, name, … */
const templates = new Map<string, string[]>();

function fill(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  let parts = templates.get(text);
  if (!parts) {
    parts = text.split(/\{(\w+)\}/);
    templates.set(text, parts);
  }
  let out = parts[0];
  for (let i = 1; i < parts.length; i += 2) {
    const k = parts[i];
    out += (k in params ? String(params[k]) : `{${k}}`) + parts[i + 1];
  }
  return out;
}

/** The words for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return fill(CATALOGS[current][key] ?? en[key], params);
}

/** Like `t` for keys built at run time (error codes, blocker kinds); null when unknown. */
export function tMaybe(key: string, params?: Record<string, string | number>): string | null {
  const text = (CATALOGS[current] as Record<string, string>)[key];
  return text === undefined ? null : fill(text, params);
}

/** One `Intl.PluralRules` per locale (building one per call was a render's dearest part). */
const pluralRules = new Map<string, Intl.PluralRules>();

/**
 * `{n} item` / `{n} items` by the language's plural rules: `<key>.<category>` for any CLDR
 * category the language uses (zero, one, two, few, many, other), `<key>.other` when the
 * catalog has no text of its own for that category.
 */
export function tCount(key: string, n: number): string {
  const loc = locale();
  let rules = pluralRules.get(loc);
  if (!rules) {
    rules = new Intl.PluralRules(loc);
    pluralRules.set(loc, rules);
  }
  return tMaybe(`${key}.${rules.select(n)}`, { n }) ?? tMaybe(`${key}.other`, { n }) ?? String(n);
}
