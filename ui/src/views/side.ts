// A side panel beside the columns (the support panel, the demo helper): opened from a
// header button, it takes the focus, Escape or its × closes it, and the focus goes back to
// that button. It is not modal: the carts stay usable next to it.
import { html, nothing, type TemplateResult } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import { t } from "../i18n";
import { sameCallback } from "./common";

/** The panel's top edge: the bottom of the sticky header (which grows with its banners). */
let topObserver: ResizeObserver | null = null;

function followHeader(on: boolean): void {
  topObserver?.disconnect();
  topObserver = null;
  if (!on || typeof ResizeObserver === "undefined") return;
  const top = document.querySelector<HTMLElement>(".sticky-top");
  if (!top) return;
  const set = () => document.documentElement.style.setProperty("--side-top", `${top.offsetHeight}px`);
  topObserver = new ResizeObserver(set);
  topObserver.observe(top);
  set();
}

/** Each panel's mount callback, made once so lit calls it on mount and removal only. */
const mounts = new Map<string, (el: Element | undefined) => void>();

function mountOf(id: string, openerId: string): (el: Element | undefined) => void {
  return sameCallback(mounts, id, () => (el) => {
    if (el) {
      followHeader(true);
      // Into the panel: its heading, so reading starts at its name.
      queueMicrotask(() => el.querySelector<HTMLElement>(".side-title")?.focus());
    } else {
      followHeader(false);
      // Back to the button that opened it, when the focus went with the panel.
      queueMicrotask(() => {
        const a = document.activeElement;
        if (!a || a === document.body || !a.isConnected) document.getElementById(openerId)?.focus();
      });
    }
  });
}

export function sidePanel(opts: {
  id: string;
  testid: string;
  /** The id of the header button that opens and closes it. */
  openerId: string;
  side: "left" | "right";
  title: string;
  closeTestid: string;
  onClose: () => void;
  body: TemplateResult;
}): TemplateResult {
  const close = () => {
    opts.onClose();
    document.getElementById(opts.openerId)?.focus();
  };
  return html`<aside
    class="side-panel ${opts.side}"
    id=${opts.id}
    data-testid=${opts.testid}
    aria-labelledby=${`${opts.id}-h`}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key !== "Escape" || e.defaultPrevented) return;
      e.preventDefault();
      close();
    }}
    ${ref(mountOf(opts.id, opts.openerId))}
  >
    <div class="side-head">
      <h2 class="side-title" id=${`${opts.id}-h`} tabindex="-1">${opts.title}</h2>
      <button class="icon" data-testid=${opts.closeTestid} aria-label=${t("side.close", { panel: opts.title })} @click=${close}>×</button>
    </div>
    <div class="side-body">${opts.body}</div>
  </aside>`;
}

/** The header button that opens and closes a side panel. */
export function panelToggle(opts: { id: string; testid: string; panelId: string; open: boolean; label: string; onToggle: () => void }) {
  return html`<button
    class="secondary small ${opts.open ? "pressed" : ""}"
    id=${opts.id}
    data-testid=${opts.testid}
    aria-expanded=${opts.open ? "true" : "false"}
    aria-controls=${opts.open ? opts.panelId : nothing}
    @click=${opts.onToggle}
  >${opts.label}</button>`;
}
