import { describe, expect, it, vi } from "vitest";
import { money } from "../src/format";
import { monthGrid, shiftMonth } from "../src/views/calendar";
import { cardBrand, formatCardNumber } from "../src/views/checkout";
import { IdleTimer, warnSeconds } from "../src/idle";

describe("money", () => {
  it("formats decimal strings in the cart's currency", () => {
    expect(money({ amount: "1234.50", currency: "USD" }, "en-US")).toBe("$1,234.50");
    expect(money({ amount: "9.99", currency: "EUR" }, "de-DE")).toMatch(/9,99\s?€/);
    expect(money(null)).toBe("—");
  });
});

describe("calendar", () => {
  it("lays out a month Monday first", () => {
    const g = monthGrid("2026-11");
    // 1 November 2026 is a Sunday: six padding cells first.
    expect(g.slice(0, 7)).toEqual([null, null, null, null, null, null, "2026-11-01"]);
    expect(g.filter(Boolean)).toHaveLength(30);
    expect(g.length % 7).toBe(0);
  });
  it("moves between months across years", () => {
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
  });
});

describe("card input", () => {
  it("groups digits while typing and detects the brand", () => {
    expect(formatCardNumber("4111111111111111")).toBe("4111 1111 1111 1111");
    expect(formatCardNumber("3782 822463 10005")).toBe("3782 822463 10005");
    expect(cardBrand("4111")).toBe("Visa");
    expect(cardBrand("5500 0000")).toBe("Mastercard");
    expect(cardBrand("37")).toBe("American Express");
  });
});

describe("idle timer", () => {
  it("warns, then wipes, and activity resets it", () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const wipe = vi.fn();
    const active = vi.fn();
    const t = new IdleTimer({ idleSeconds: 30, onWarn: warn, onWipe: wipe, onActive: active });
    t.start();
    vi.advanceTimersByTime(19_000);
    expect(warn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(warn).toHaveBeenCalledWith(warnSeconds(30) - 1);
    t.activity();
    expect(active).toHaveBeenCalled();
    vi.advanceTimersByTime(29_000);
    expect(wipe).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(wipe).toHaveBeenCalledTimes(1);
    t.stop();
    vi.useRealTimers();
  });
});

describe("locale", () => {
  it("falls back to en-US when the system locale is not a BCP 47 tag", () => {
    expect(money({ amount: "5", currency: "USD" }, "C")).toBeDefined();
  });
});
