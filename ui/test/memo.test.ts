// Memoized views (`memo`): a view is drawn again only when the language or one of its props
// changed, never for a change elsewhere in the store; and it is the only user of `guard`.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { html, render } from "lit-html";
import { memo } from "../src/views/memo";
import { resetState, state } from "../src/state";
import { setLang, t, prefetchCatalogs } from "../src/i18n";
import { cart } from "./fixtures";
import { sourceFiles, SRC } from "./lint";

const host = document.createElement("div");
document.body.appendChild(host);

/** How often each view below was evaluated. */
let drawn = 0;
let drawnOther = 0;

function tab({ name, count, titles }: { name: string; count: number; titles: string[] }) {
  drawn++;
  return html`<p data-testid="tab">${t("cart.title", { merchant: name })} ${count} ${titles.join(", ")}</p>`;
}

function other({ name }: { name: string; count: number; titles: string[] }) {
  drawnOther++;
  return html`<p data-testid="other">${name}</p>`;
}

/** A screen that reads the store and passes the view what it shows (as the views do). */
function screen(view: typeof tab = tab) {
  return memo(view, {
    name: state.selected,
    count: state.qty,
    // Made afresh at each render: the same while its elements are.
    titles: Object.values(state.carts).map((c) => c.display_name),
  });
}

const draw = (view?: typeof tab) => render(screen(view), host);
const text = () => host.textContent?.replace(/\s+/g, " ").trim();

beforeEach(() => {
  resetState();
  setLang("en");
  render(html``, host);
  drawn = 0;
  drawnOther = 0;
  state.selected = "Luma";
  state.qty = 1;
  draw();
});
afterEach(() => setLang("en"));

// Spanish is a chunk of its own in the app (loaded on demand): these tests switch to it at once.
beforeAll(() => prefetchCatalogs());

describe("a memoized view", () => {
  it("is drawn again when one of its props changes", () => {
    expect(drawn).toBe(1);
    expect(text()).toBe("Luma cart 1");
    state.qty = 2;
    draw();
    expect(drawn).toBe(2);
    expect(text()).toBe("Luma cart 2");
    state.selected = "Home Goods";
    draw();
    expect(drawn).toBe(3);
    expect(text()).toBe("Home Goods cart 2");
  });

  it("is not drawn again for a change of the store it was not given", () => {
    const p = host.querySelector("[data-testid=tab]");
    state.promoDraft = "SAVE10";
    state.health = { "x.test": { state: "operational" } };
    state.fieldErrors = { "card-number": "bad" };
    draw();
    draw();
    expect(drawn).toBe(1);
    expect(host.querySelector("[data-testid=tab]")).toBe(p);
  });

  it("compares a list by its elements: a list made afresh with the same elements is the same", () => {
    state.carts = { a: cart(1, { domain: "a", display_name: "A" }) };
    draw();
    expect(drawn).toBe(2);
    expect(text()).toBe("Luma cart 1 A");
    // A new record of carts, the same names: not drawn again.
    state.carts = { ...state.carts };
    draw();
    expect(drawn).toBe(2);
    state.carts = { ...state.carts, b: cart(1, { domain: "b", display_name: "B" }) };
    draw();
    expect(drawn).toBe(3);
    expect(text()).toBe("Luma cart 1 A, B");
  });

  it("follows the language", () => {
    setLang("es");
    draw();
    expect(drawn).toBe(2);
    expect(text()).toBe("Carrito de Luma 1");
  });

  it("draws another view given at the same place, even with the same props", () => {
    draw(other);
    expect(drawnOther).toBe(1);
    expect(text()).toBe("Luma");
    draw(other);
    expect(drawnOther).toBe(1);
  });
});

describe("lit-html's guard", () => {
  it("is used by memo only: no view lists its dependencies by hand", () => {
    const users = sourceFiles()
      .filter((file) => /\bguard\s*\(/.test(readFileSync(file, "utf8")))
      .map((file) => relative(SRC, file));
    expect(users).toEqual(["views/memo.ts"]);
  });
});
