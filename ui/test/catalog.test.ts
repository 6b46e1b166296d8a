// The catalog is complete in both languages, and no user-visible words live outside it.
//
// The string lint reads every UI source file (not the catalog, not the generated bindings)
// with a small lexer (test/lint.ts) and fails on:
//   1. text between tags in `html` templates (and in index.html) that contains a letter;
//   2. a literal `aria-label`, `title`, `placeholder`, `alt` or `label` attribute with a letter;
//   3. a string literal (quoted or an untagged template) that reads like prose: a capitalized
//      word followed by more words, or three or more lowercase words.
// Developer-only text (console.*, `new Error(...)`) and the brand names in ALLOWED pass.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { es } from "../src/i18n/es";
import { catalogLoaded, LANGS, loadCatalog, locale, prefetchCatalogs, setLang, t, tCount } from "../src/i18n";

/** Every catalog the sources hold (the app loads all but English on demand). */
const CATALOGS = { en, es };
import { markupProblems, sourceFiles, sourceProblems, SRC } from "./lint";

describe("the catalog", () => {
  const keys = (o: object) => Object.keys(o).sort();
  const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();

  it("has the same keys in English and Spanish", () => {
    expect(keys(es)).toEqual(keys(en));
    for (const l of LANGS) expect(keys(CATALOGS[l])).toEqual(keys(en));
  });

  it("has no empty text and the same placeholders in every language", () => {
    for (const l of LANGS) {
      const cat = CATALOGS[l];
      for (const k of Object.keys(en) as (keyof typeof en)[]) {
        expect(cat[k].trim(), `${l} ${k}`).not.toBe("");
        expect(placeholders(cat[k]), `${l} ${k}`).toEqual(placeholders(en[k]));
      }
    }
  });

  it("loads every language Rust offers, English until its words are in", async () => {
    expect([...LANGS].sort()).toEqual(Object.keys(CATALOGS).sort());
    expect(catalogLoaded("en")).toBe(true);
    setLang("es");
    // Nothing in this file loaded Spanish yet: English stands in, never a blank or a key.
    expect(catalogLoaded("es")).toBe(false);
    expect(t("app.settings")).toBe(en["app.settings"]);
    await prefetchCatalogs();
    for (const l of LANGS) {
      expect(catalogLoaded(l), l).toBe(true);
      await loadCatalog(l);
    }
    expect(t("app.settings")).toBe(es["app.settings"]);
    setLang("en");
  });

  it("has a catalog for every language Rust offers, and words every count in each", async () => {
    await prefetchCatalogs();
    const words = en as Record<string, string>;
    const counted = Object.keys(en)
      .filter((k) => k.endsWith(".other") && words[k].includes("{n}"))
      .map((k) => k.slice(0, -".other".length));
    expect(counted.length).toBeGreaterThan(0);
    for (const l of LANGS) {
      setLang(l);
      const rules = new Intl.PluralRules(locale());
      for (const key of counted) {
        // Every CLDR category the language uses, for counts that reach each one.
        for (const n of [0, 1, 2, 3, 5, 11, 21, 100, 1000000, 1.5]) {
          const text = tCount(key, n);
          expect(text, `${l} ${key} ${n} (${rules.select(n)})`).toContain(new Intl.NumberFormat("en-US", { useGrouping: false }).format(n).split(".")[0]);
        }
      }
    }
    setLang("en");
  });

  it("words every blocker kind, fulfillment type and field rule", () => {
    for (const kind of [
      "empty_cart", "shipping_address", "billing_address", "shipment_method", "shipment_date", "shipment_location",
      "item_unavailable", "login", "consents", "no_payment_method", "paypal_not_approved", "wallet_locked", "order_pending",
    ]) expect(en, kind).toHaveProperty([`blocker.${kind}`]);
    for (const ft of ["SHIP_TO_ADDRESS", "SCHEDULED_DELIVERY", "PICKUP_IN_STORE", "DIGITAL_DELIVERY"]) expect(en).toHaveProperty([`fulfillment.${ft}`]);
    for (const rule of ["required", "invalid", "expired", "too_far"]) expect(en).toHaveProperty([`rule.${rule}`]);
  });
});

describe("the string lint", () => {
  it("finds words outside the catalog (self-test)", () => {
    const bad = [
      'html`<p>Hello there</p>`',
      'html`<button aria-label="Close it">${x}</button>`',
      'html`<input placeholder="Your name" />`',
      'html`<span>${a} items</span>`',
      'const s = "Save the address first";',
      'const s = `Total ${n} in the cart`;',
    ];
    for (const src of bad) expect(sourceProblems(src), src).not.toEqual([]);
    const good = [
      'html`<p class="muted big">${t("x.y")}</p>`',
      'html`<span>·</span> ${a} — ${b}`',
      'html`<h1>Firmly Desk</h1>`',
      'const k = "label.first_name"; const c = "check toggle";',
      'console.warn("activity not reported here", e);',
      'const re = /^[A-Z][a-z]+ "quoted" here/g;',
      'html`<input aria-label=${t("a")} title=${x} />`',
    ];
    for (const src of good) expect(sourceProblems(src), src).toEqual([]);
  });

  it("finds no user-visible words outside the catalog in src/ and index.html", () => {
    const problems: string[] = [];
    for (const file of sourceFiles()) {
      for (const p of sourceProblems(readFileSync(file, "utf8"))) problems.push(`${relative(SRC, file)}: ${p}`);
    }
    for (const p of markupProblems(readFileSync(join(SRC, "..", "index.html"), "utf8"))) problems.push(`index.html: ${p}`);
    expect(problems).toEqual([]);
  });
});
