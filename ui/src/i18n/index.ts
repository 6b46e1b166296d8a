// The one catalog of user-visible words (English and Spanish, same keys) and the locale
// that drives money and date formats. Views never hold prose of their own: they ask `t`.
// English is in the first script; every other catalog is a chunk of its own, loaded when its
// language is asked for (`loadCatalog`) and ahead of time once the first screen is up
// (`prefetchCatalogs`): the first screen's script is 16 % smaller (docs/BENCHMARKS.md §1).
import { en, type MessageKey } from "./en";
import { LANGUAGES, type Language } from "../bindings";

export type { MessageKey };
/** The languages are Rust's (`Language`, `LANGUAGES`): a new one is added there and here. */
export type Lang = Language;
export const LANGS: readonly Lang[] = LANGUAGES;

type Catalog = Record<MessageKey, string>;

/** How each catalog but English is fetched (a new language needs a line here: the type says so). */
const LOADERS: Record<Exclude<Lang, "en">, () => Promise<Catalog>> = {
  es: () => import("./es").then((m) => m.es),
};

/** The catalogs loaded so far; `t` falls back to English for a language not loaded yet. */
const catalogs: Partial<Record<Lang, Catalog>> = { en };
const loading = new Map<Lang, Promise<void>>();

/** Whether `l`'s words are at hand (English always is). */
export function catalogLoaded(l: Lang): boolean {
  return catalogs[l] !== undefined;
}

/**
 * Loads `l`'s catalog (once; at once for one already loaded). A catalog that fails to load
 * is asked for again next time; meanwhile the screen stays in English, never blank.
 */
export function loadCatalog(l: Lang): Promise<void> {
  if (l === "en" || catalogs[l]) return Promise.resolve();
  let p = loading.get(l);
  if (!p) {
    p = LOADERS[l]().then(
      (c) => {
        catalogs[l] = c;
      },
      (e: unknown) => {
        loading.delete(l);
        throw e;
      },
    );
    loading.set(l, p);
  }
  return p;
}

/** Forgets every catalog but English, as a fresh page has it (tests of the loading). */
export function unloadCatalogs(): void {
  for (const l of LANGS) if (l !== "en") delete catalogs[l];
  loading.clear();
}

/** Loads the words of a language tag from the backend or a form (never fails: English stands in). */
export function wordsFor(tag: string | null | undefined): Promise<void> {
  return loadCatalog(toLang(tag) ?? "en").catch(() => undefined);
}

/** Every catalog, loaded in the background (a language button then switches at once). */
export function prefetchCatalogs(): Promise<void> {
  return Promise.all(LANGS.map((l) => loadCatalog(l).catch(() => undefined))).then(() => undefined);
}

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
  return fill(catalogs[current]?.[key] ?? en[key], params);
}

/** Like `t` for keys built at run time (error codes, blocker kinds); null when unknown. */
export function tMaybe(key: string, params?: Record<string, string | number>): string | null {
  const text = ((catalogs[current] ?? en) as Record<string, string>)[key];
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
