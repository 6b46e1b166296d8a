// Spanish is a chunk of its own (the first screen's script carries English only): a desk
// that starts in Spanish, and a shopper who picks it, see it at once, never English first.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyInfo, boot, chooseLanguage } from "../src/session";
import { subscribe } from "../src/state";
import { catalogLoaded, loadCatalog, unloadCatalogs } from "../src/i18n";
import { en } from "../src/i18n/en";
import { es } from "../src/i18n/es";
import { appInfo, byTestId, called, flush, on, setup, teardown } from "./fixtures";

beforeEach(() => {
  setup();
  // As a fresh page: Spanish not loaded yet.
  unloadCatalogs();
});
afterEach(teardown);

/** The page's language and the settings button's words, render by render. */
function recordRenders(): { seen: [string, string][]; stop: () => void } {
  const seen: [string, string][] = [];
  const stop = subscribe(() => {
    const text = byTestId("settings-open")?.textContent?.trim();
    if (text) seen.push([document.documentElement.lang, text]);
  });
  return { seen, stop };
}

describe("languages loaded on demand", () => {
  it("a desk in Spanish draws its first screen in Spanish", async () => {
    expect(catalogLoaded("es")).toBe(false);
    on("app_info", () => appInfo({ language: "es", desk_language: "es" }));
    const { seen, stop } = recordRenders();
    await boot();
    await flush();
    stop();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen).toEqual(seen.map(() => ["es", es["app.settings"]]));
    expect(catalogLoaded("es")).toBe(true);
  });

  it("a shopper's choice switches once the words are in, never a Spanish page in English", async () => {
    await boot();
    await flush();
    expect(byTestId("settings-open")?.textContent?.trim()).toBe(en["app.settings"]);
    expect(catalogLoaded("es")).toBe(false);
    const { seen, stop } = recordRenders();
    await chooseLanguage("es");
    await flush();
    stop();
    expect(called("set_language")).toHaveLength(1);
    expect(seen.filter(([l, text]) => l === "es" && text !== es["app.settings"])).toEqual([]);
    expect(seen.at(-1)).toEqual(["es", es["app.settings"]]);
  });

  it("a language set without its words first (an event's answer) is drawn again once they are in", async () => {
    await boot();
    await flush();
    const { seen, stop } = recordRenders();
    applyInfo(appInfo({ language: "es" }));
    await flush();
    await loadCatalog("es");
    await flush();
    stop();
    expect(seen[0]).toEqual(["es", en["app.settings"]]);
    expect(seen.at(-1)).toEqual(["es", es["app.settings"]]);
  });
});
