// A month calendar offering only the dates the merchant has available. The week starts on
// the language's own first day, and the days are one Tab stop: the arrow keys, Home/End and
// PageUp/PageDown move through them (a roving tabindex, as in the WAI-ARIA date grid).
import { html } from "lit-html";
import { live } from "lit-html/directives/live.js";
import { ref } from "lit-html/directives/ref.js";
import { changed } from "../state";
import { lang, locale, t } from "../i18n";

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

export function monthOf(date: string): string {
  return date.slice(0, 7);
}

export function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + delta, 1));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

// ----- the first day of the week ---------------------------------------------------------

/** Regions whose week starts on Sunday, Saturday or Friday (CLDR `weekData`); the rest Monday. */
const SUNDAY_FIRST = new Set(
  "AG AS BD BR BS BT BW BZ CA CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW".split(" "),
);
const SATURDAY_FIRST = new Set("AE AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY".split(" "));
const FRIDAY_FIRST = new Set(["MV"]);

/** A language's usual region when its tag names none (CLDR likely subtags). */
const LIKELY_REGION: Record<string, string> = {
  en: "US",
  es: "ES",
  pt: "BR",
  fr: "FR",
  de: "DE",
  it: "IT",
  ar: "EG",
  he: "IL",
  ja: "JP",
  ko: "KR",
  zh: "CN",
};

/** The first day of the week by the tag's region (1 = Monday … 7 = Sunday, as `Intl` says it). */
export function weekStartByRegion(tag: string): number {
  const parts = tag.split(/[-_]/);
  const region =
    parts
      .slice(1)
      .find((p) => /^([A-Za-z]{2}|\d{3})$/.test(p))
      ?.toUpperCase() ??
    LIKELY_REGION[parts[0].toLowerCase()] ??
    "001";
  if (SUNDAY_FIRST.has(region)) return 7;
  if (SATURDAY_FIRST.has(region)) return 6;
  if (FRIDAY_FIRST.has(region)) return 5;
  return 1;
}

type WeekInfo = { firstDay: number };
type LocaleWithWeek = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

/**
 * The first day of the week for a locale tag (1 = Monday … 7 = Sunday): the engine's own
 * `Intl.Locale` week info (`getWeekInfo()`, or the older `weekInfo`), else the region table.
 */
export function weekStart(tag: string): number {
  try {
    const loc = new Intl.Locale(tag) as LocaleWithWeek;
    const info = typeof loc.getWeekInfo === "function" ? loc.getWeekInfo() : loc.weekInfo;
    if (info && Number.isInteger(info.firstDay) && info.firstDay >= 1 && info.firstDay <= 7) return info.firstDay;
  } catch {
    // Not a BCP 47 tag: the table decides.
  }
  return weekStartByRegion(tag);
}

/** The calendar's week start: the language's own (English: Sunday; Spanish: Monday). */
export function calendarWeekStart(): number {
  return weekStart(lang());
}

/** How many days `date` (YYYY-MM-DD) lies after the start of its week. */
function dayInWeek(date: Date, first: number): number {
  return (date.getUTCDay() - (first % 7) + 7) % 7;
}

/** Dates of the month grid, starting on `first` (1 = Monday … 7 = Sunday); null for padding. */
export function monthGrid(month: string, first = 1): (string | null)[] {
  const [y, m] = month.split("-").map(Number);
  const start = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const cells: (string | null)[] = Array(dayInWeek(start, first)).fill(null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${pad(d)}`);
  while (cells.length % 7) cells.push(null);
  return cells;
}

/** The week's days in the UI language from `first` on, short and long (7 January 2024 was a Sunday). */
function weekdays(first: number): { short: string; long: string }[] {
  return Array.from({ length: 7 }, (_, i) => {
    const d = new Date(Date.UTC(2024, 0, 7 + ((first % 7) + i)));
    return {
      short: d.toLocaleDateString(locale(), { weekday: "short", timeZone: "UTC" }),
      long: d.toLocaleDateString(locale(), { weekday: "long", timeZone: "UTC" }),
    };
  });
}

function iso(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/**
 * Where a key moves the calendar's focus from `date`: ←/→ a day, ↑/↓ a week, Home/End the
 * start and end of the week, PageUp/PageDown a month (the same day, or the month's last).
 * Null for any other key.
 */
export function moveDate(date: string, key: string, first: number): string | null {
  const d = new Date(`${date}T00:00:00Z`);
  const days = (n: number) => {
    d.setUTCDate(d.getUTCDate() + n);
    return iso(d);
  };
  switch (key) {
    case "ArrowLeft":
      return days(-1);
    case "ArrowRight":
      return days(1);
    case "ArrowUp":
      return days(-7);
    case "ArrowDown":
      return days(7);
    case "Home":
      return days(-dayInWeek(d, first));
    case "End":
      return days(6 - dayInWeek(d, first));
    case "PageUp":
    case "PageDown": {
      const month = shiftMonth(monthOf(date), key === "PageUp" ? -1 : 1);
      const [y, m] = month.split("-").map(Number);
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      return `${month}-${pad(Math.min(Number(date.slice(8)), last))}`;
    }
    default:
      return null;
  }
}

// ----- the calendar ----------------------------------------------------------------------

/** The day that holds the Tab stop, per calendar (the last one moved to or picked). */
const active = new Map<string, string>();
/** The calendar whose active day takes the focus once it is drawn (after a key moved it). */
let focusWanted: string | null = null;

/** The day of `month` that holds the Tab stop: the active one, the selected one, the first offered one. */
export function tabStop(id: string, month: string, available: Set<string>, selected: string | null): string {
  const a = active.get(id);
  if (a && monthOf(a) === month) return a;
  if (selected && monthOf(selected) === month) return selected;
  const offered = [...available].filter((d) => monthOf(d) === month).sort();
  return offered[0] ?? `${month}-01`;
}

/** Gives the Tab stop to `date`'s button in a drawn grid (and the focus, when asked). */
function moveStop(grid: HTMLElement, date: string, focus: boolean): void {
  let target: HTMLElement | null = null;
  for (const b of grid.querySelectorAll<HTMLElement>("[data-date]")) {
    const here = b.dataset.date === date;
    b.tabIndex = here ? 0 : -1;
    if (here) target = b;
  }
  if (focus) target?.focus();
}

/** Forgets where each calendar's Tab stop was (tests). */
export function resetCalendars(): void {
  active.clear();
  focusWanted = null;
}

export function calendar(opts: {
  id: string;
  month: string;
  available: Set<string>;
  selected: string | null;
  onPick: (date: string) => void;
  onMonth: (month: string) => void;
}) {
  const months = [...opts.available].map(monthOf).sort();
  const first = months[0];
  const last = months[months.length - 1];
  const canPrev = months.length > 0 && opts.month > first;
  const canNext = months.length > 0 && opts.month < last;
  const [y, m] = opts.month.split("-").map(Number);
  const title = new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(locale(), {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  const startDay = calendarWeekStart();
  const stop = tabStop(opts.id, opts.month, opts.available, opts.selected);
  const cells = monthGrid(opts.month, startDay);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));

  const onKey = (e: KeyboardEvent) => {
    const from = (e.target as HTMLElement).closest<HTMLElement>("[data-date]")?.dataset.date;
    if (!from) return;
    const to = moveDate(from, e.key, startDay);
    if (!to) return;
    e.preventDefault();
    const month = monthOf(to);
    // Only months that offer a date can be shown (as with the ‹ › buttons).
    if (!months.length || month < first || month > last) return;
    active.set(opts.id, to);
    if (month !== opts.month) {
      // A new month is drawn; its active day takes the focus once it is there.
      focusWanted = opts.id;
      opts.onMonth(month);
      changed();
      return;
    }
    // The same month: the Tab stop moves at once, in place (the card around the calendar
    // may be memoized and not drawn again for a move of the focus).
    moveStop(e.currentTarget as HTMLElement, to, true);
  };

  const day = (d: string) => {
    const ok = opts.available.has(d);
    const sel = d === opts.selected;
    const label = new Date(`${d}T12:00:00Z`).toLocaleDateString(locale(), {
      weekday: "long",
      month: "long",
      day: "numeric",
      timeZone: "UTC",
    });
    return html`<span role="gridcell" aria-selected=${sel ? "true" : "false"}>
      <button
        type="button"
        class="cal-day ${sel ? "selected" : ""}"
        data-testid=${ok ? `date-option-${d}` : `date-unavailable-${d}`}
        data-date=${d}
        tabindex=${live(d === stop ? "0" : "-1")}
        aria-disabled=${ok ? "false" : "true"}
        aria-label=${ok ? label : t("calendar.unavailable", { date: label })}
        @click=${(e: Event) => {
          active.set(opts.id, d);
          const grid = (e.currentTarget as HTMLElement).closest<HTMLElement>("[role=grid]");
          if (grid) moveStop(grid, d, false);
          if (ok) opts.onPick(d);
        }}
        ${ref((el) => {
          if (el && focusWanted === opts.id && d === stop) {
            focusWanted = null;
            queueMicrotask(() => (el as HTMLElement).focus());
          }
        })}
      >
        ${Number(d.slice(8))}
      </button>
    </span>`;
  };

  return html`<div class="calendar" role="group" aria-labelledby=${`${opts.id}-title`}>
    <div class="cal-head">
      <button class="icon" aria-label=${t("calendar.prev")} ?disabled=${!canPrev} @click=${() => opts.onMonth(shiftMonth(opts.month, -1))}>‹</button>
      <span id=${`${opts.id}-title`} class="cal-title" aria-live="polite">${title}</span>
      <button class="icon" aria-label=${t("calendar.next")} ?disabled=${!canNext} @click=${() => opts.onMonth(shiftMonth(opts.month, 1))}>›</button>
    </div>
    <div
      class="cal-grid"
      role="grid"
      aria-labelledby=${`${opts.id}-title`}
      aria-describedby=${`${opts.id}-keys`}
      @keydown=${onKey}
    >
      <div class="cal-row" role="row">
        ${weekdays(startDay).map(
          (w) => html`<span class="cal-dow" role="columnheader" aria-label=${w.long}>${w.short}</span>`,
        )}
      </div>
      ${weeks.map(
        (week) => html`<div class="cal-row" role="row">
          ${week.map((d) => (d ? day(d) : html`<span role="gridcell" class="cal-pad"></span>`))}
        </div>`,
      )}
    </div>
    <span class="sr-only" id=${`${opts.id}-keys`}>${t("calendar.keys")}</span>
  </div>`;
}
