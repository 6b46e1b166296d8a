// A month calendar offering only the dates the merchant has available.
import { html } from "lit-html";
import { locale, t } from "../i18n";

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

/** Dates of the month grid, Monday first; null for padding cells. */
export function monthGrid(month: string): (string | null)[] {
  const [y, m] = month.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1));
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array(lead).fill(null);
  for (let d = 1; d <= days; d++) cells.push(`${month}-${pad(d)}`);
  while (cells.length % 7) cells.push(null);
  return cells;
}

/** Short weekday names in the UI language, Monday first (1 January 2024 was a Monday). */
function weekdays(): string[] {
  return Array.from({ length: 7 }, (_, i) =>
    new Date(Date.UTC(2024, 0, 1 + i)).toLocaleDateString(locale(), { weekday: "short", timeZone: "UTC" }),
  );
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
  const canPrev = months.length > 0 && opts.month > months[0];
  const canNext = months.length > 0 && opts.month < months[months.length - 1];
  const [y, m] = opts.month.split("-").map(Number);
  const title = new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString(locale(), {
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
  return html`<div class="calendar" role="group" aria-labelledby=${`${opts.id}-title`}>
    <div class="cal-head">
      <button class="icon" aria-label=${t("calendar.prev")} ?disabled=${!canPrev} @click=${() => opts.onMonth(shiftMonth(opts.month, -1))}>‹</button>
      <span id=${`${opts.id}-title`} class="cal-title" aria-live="polite">${title}</span>
      <button class="icon" aria-label=${t("calendar.next")} ?disabled=${!canNext} @click=${() => opts.onMonth(shiftMonth(opts.month, 1))}>›</button>
    </div>
    <div class="cal-grid">
      ${weekdays().map((d) => html`<span class="cal-dow" aria-hidden="true">${d}</span>`)}
      ${monthGrid(opts.month).map((d) => {
        if (!d) return html`<span></span>`;
        const ok = opts.available.has(d);
        const sel = d === opts.selected;
        const label = new Date(`${d}T12:00:00Z`).toLocaleDateString(locale(), {
          weekday: "long",
          month: "long",
          day: "numeric",
          timeZone: "UTC",
        });
        return html`<button
          class="cal-day ${sel ? "selected" : ""}"
          data-testid=${ok ? `date-option-${d}` : `date-unavailable-${d}`}
          ?disabled=${!ok}
          aria-pressed=${sel ? "true" : "false"}
          aria-label=${ok ? label : t("calendar.unavailable", { date: label })}
          @click=${() => opts.onPick(d)}
        >
          ${Number(d.slice(8))}
        </button>`;
      })}
    </div>
  </div>`;
}
