// The calendar: the locale's week start, and one Tab stop moved with the keyboard.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render } from "lit-html";
import { memo } from "../src/views/memo";
import { calendar, monthGrid, moveDate, resetCalendars, weekStart, weekStartByRegion } from "../src/views/calendar";
import { changed, resetState, subscribe } from "../src/state";
import { setLang } from "../src/i18n";

describe("the first day of the week", () => {
  it("comes from the locale: Sunday for en-US, Monday for Spanish, Sunday for es-US", () => {
    expect(weekStart("en-US")).toBe(7);
    expect(weekStart("en")).toBe(7);
    expect(weekStart("es")).toBe(1);
    expect(weekStart("es-ES")).toBe(1);
    expect(weekStart("es-US")).toBe(7);
    expect(weekStart("en-GB")).toBe(1);
  });

  it("falls back to the region table where Intl has no week info", () => {
    class Bare {
      constructor(readonly tag: string) {}
    }
    vi.stubGlobal("Intl", { ...Intl, Locale: Bare });
    try {
      expect(weekStart("en-US")).toBe(7);
      expect(weekStart("es")).toBe(1);
      expect(weekStart("es-MX")).toBe(7);
      expect(weekStart("ar-EG")).toBe(6);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("the region table: a tag's region, else the language's usual one, else Monday", () => {
    expect(weekStartByRegion("en_US.UTF-8")).toBe(7);
    expect(weekStartByRegion("pt-BR")).toBe(7);
    expect(weekStartByRegion("pt-PT")).toBe(7);
    expect(weekStartByRegion("fr")).toBe(1);
    expect(weekStartByRegion("fa-IR")).toBe(6);
    expect(weekStartByRegion("dv-MV")).toBe(5);
    expect(weekStartByRegion("es-419")).toBe(1);
    expect(weekStartByRegion("zz")).toBe(1);
    // A tag that is no BCP 47 tag at all still gets a week.
    expect(weekStart("C")).toBe(1);
  });

  it("lays out a month from that day", () => {
    // 1 November 2026 is a Sunday.
    expect(monthGrid("2026-11", 7).slice(0, 2)).toEqual(["2026-11-01", "2026-11-02"]);
    expect(monthGrid("2026-11", 1).slice(0, 7)).toEqual([null, null, null, null, null, null, "2026-11-01"]);
    // 1 December 2026 is a Tuesday.
    expect(monthGrid("2026-12", 7).slice(0, 3)).toEqual([null, null, "2026-12-01"]);
    for (const first of [1, 6, 7]) expect(monthGrid("2027-02", first).length % 7).toBe(0);
  });
});

describe("keys", () => {
  it("move by day, week, to the week's ends and by month", () => {
    expect(moveDate("2026-11-30", "ArrowRight", 7)).toBe("2026-12-01");
    expect(moveDate("2026-12-01", "ArrowLeft", 7)).toBe("2026-11-30");
    expect(moveDate("2026-12-29", "ArrowDown", 7)).toBe("2027-01-05");
    expect(moveDate("2026-12-03", "ArrowUp", 7)).toBe("2026-11-26");
    // Thursday 3 December 2026: the week runs Sunday 29 November … Saturday 5 December.
    expect(moveDate("2026-12-03", "Home", 7)).toBe("2026-11-29");
    expect(moveDate("2026-12-03", "End", 7)).toBe("2026-12-05");
    // Monday first: Monday 30 November … Sunday 6 December.
    expect(moveDate("2026-12-03", "Home", 1)).toBe("2026-11-30");
    expect(moveDate("2026-12-03", "End", 1)).toBe("2026-12-06");
    expect(moveDate("2027-03-31", "PageUp", 7)).toBe("2027-02-28");
    expect(moveDate("2026-12-15", "PageDown", 7)).toBe("2027-01-15");
    expect(moveDate("2026-12-15", "a", 7)).toBeNull();
  });
});

describe("the calendar on screen", () => {
  const host = document.createElement("div");
  document.body.appendChild(host);
  let month = "2026-11";
  let picked: string | null = null;
  const available = new Set(["2026-11-24", "2026-11-25", "2026-11-27", "2026-12-01", "2026-12-03"]);
  // Memoized as the shipment card is: drawn again only when the month or the pick changes,
  // never for a move of the focus alone.
  const view = (p: { month: string; picked: string | null }) =>
    calendar({
      id: "cal-s1",
      month: p.month,
      available,
      selected: p.picked,
      // As the shipment card does: the state changes, the screen follows.
      onPick: (d) => {
        picked = d;
        changed();
      },
      onMonth: (m) => {
        month = m;
        changed();
      },
    });
  const draw = () => render(memo(view, { month, picked }), host);
  let stop = () => undefined as void;
  const flush = async () => {
    for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
  };
  const day = (d: string) => host.querySelector<HTMLButtonElement>(`[data-date="${d}"]`)!;
  const stops = () => [...host.querySelectorAll<HTMLButtonElement>('[data-date][tabindex="0"]')].map((b) => b.dataset.date);
  const key = async (k: string) => {
    (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
    await flush();
  };

  beforeEach(() => {
    resetState();
    resetCalendars();
    setLang("en");
    month = "2026-11";
    picked = "2026-11-25";
    stop = subscribe(draw);
    draw();
  });
  afterEach(() => stop());

  it("has one Tab stop: the selected date, marked aria-selected", () => {
    expect(stops()).toEqual(["2026-11-25"]);
    expect(day("2026-11-25").closest("[role=gridcell]")?.getAttribute("aria-selected")).toBe("true");
    expect(day("2026-11-24").closest("[role=gridcell]")?.getAttribute("aria-selected")).toBe("false");
    expect(host.querySelector("[role=grid]")).not.toBeNull();
    expect(host.querySelectorAll("[role=row]").length).toBeGreaterThan(4);
    // Sunday first in English.
    expect(host.querySelector("[role=columnheader]")?.getAttribute("aria-label")).toBe("Sunday");
  });

  it("arrow keys move the focus and the Tab stop with it; into the next month when it offers a date", async () => {
    day("2026-11-25").focus();
    await key("ArrowRight");
    expect(document.activeElement).toBe(day("2026-11-26"));
    expect(stops()).toEqual(["2026-11-26"]);
    await key("ArrowDown");
    expect(month).toBe("2026-12");
    expect(document.activeElement).toBe(day("2026-12-03"));
    expect(stops()).toEqual(["2026-12-03"]);
    // No date offered in January: the focus stays.
    await key("PageDown");
    expect(month).toBe("2026-12");
    expect(document.activeElement).toBe(day("2026-12-03"));
    await key("PageUp");
    expect(month).toBe("2026-11");
    expect(document.activeElement).toBe(day("2026-11-03"));
    await key("End");
    expect(document.activeElement).toBe(day("2026-11-07"));
    await key("Home");
    expect(document.activeElement).toBe(day("2026-11-01"));
  });

  it("dates outside the offered set are disabled: reachable by keys, never picked", async () => {
    const off = day("2026-11-26");
    expect(off.dataset.testid).toBe("date-unavailable-2026-11-26");
    expect(off.getAttribute("aria-disabled")).toBe("true");
    off.click();
    await flush();
    expect(picked).toBe("2026-11-25");
    day("2026-11-27").click();
    await flush();
    expect(picked).toBe("2026-11-27");
    expect(day("2026-11-27").dataset.testid).toBe("date-option-2026-11-27");
    expect(stops()).toEqual(["2026-11-27"]);
  });

  it("starts the week on Monday in Spanish", async () => {
    setLang("es");
    draw();
    expect(host.querySelector("[role=columnheader]")?.getAttribute("aria-label")).toBe("lunes");
    // 1 November 2026 is a Sunday: the last cell of the first row.
    const firstRow = host.querySelectorAll("[role=row]")[1];
    expect(firstRow.querySelectorAll("[role=gridcell]")[6].querySelector("button")?.dataset.date).toBe("2026-11-01");
  });
});
