// The desk's helpers around the columns: the header buttons of the side panels (demo helper,
// support), the panels themselves, the undo toast, and the "Reset demo?" confirmation.
import { html, nothing } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import { state } from "../state";
import { askResetDemo, confirmResetDemo, demoAvailable, openDemo } from "../demo";
import { openSupport, supportAvailable } from "../support";
import { dismissUndo, holdUndo, releaseUndo, undoRemoval } from "../undo";
import { t } from "../i18n";
import { dialog } from "./common";
import { memo } from "./memo";
import { panelToggle } from "./side";
import { DEMO_OPENER, demoHelper } from "./demo";
import { SUPPORT_OPENER, supportPanel } from "./support";

/** The header's buttons for the side panels this mode has (drawn again only when they change). */
export function panelButtons() {
  return memo(toggles, {
    demo: demoAvailable(),
    demoOpen: state.demo.open,
    support: supportAvailable(),
    supportOpen: state.support.open,
  });
}

/** Which side panels this mode has (`demoAvailable`, `supportAvailable`) and which are open. */
interface Toggles {
  demo: boolean;
  demoOpen: boolean;
  support: boolean;
  supportOpen: boolean;
}

function toggles({ demo, demoOpen, support, supportOpen }: Toggles) {
  return html`${demo
    ? panelToggle({
        id: DEMO_OPENER,
        testid: "demo-helper-open",
        panelId: "demo-helper",
        open: demoOpen,
        label: t("demo.title"),
        onToggle: () => openDemo(!state.demo.open),
      })
    : nothing}
  ${support
    ? panelToggle({
        id: SUPPORT_OPENER,
        testid: "support-open",
        panelId: "support-panel",
        open: supportOpen,
        label: t("support.title"),
        onToggle: () => openSupport(!state.support.open),
      })
    : nothing}`;
}

/** The open side panels (right after the header, so Tab reaches them next). */
export function sidePanels() {
  return html`${state.demo.open && demoAvailable() ? demoHelper() : nothing}
  ${state.support.open && supportAvailable() ? supportPanel() : nothing}`;
}

/** The focus was put on the toast for the person: that alone does not hold its timer. */
let focusedByUs = false;

/** Focus to Undo when the removal took the focus away; back to the page when the toast goes. */
function toastMounted(el: Element | undefined): void {
  if (el) {
    // The removed line's button took the focus with it: Undo is the next thing to reach.
    queueMicrotask(() => {
      const a = document.activeElement;
      if (!a || a === document.body || !a.isConnected) {
        focusedByUs = true;
        el.querySelector<HTMLElement>("[data-testid=undo-button]")?.focus();
      }
    });
  } else {
    queueMicrotask(() => {
      const a = document.activeElement;
      if (!a || a === document.body || !a.isConnected) document.getElementById("main")?.focus();
    });
  }
}

/** "Hero Hoodie removed. Undo" for a few seconds (announced in the live region, not here). */
export function undoToast() {
  const u = state.undo;
  if (!u) return nothing;
  return html`<div
    class="toast"
    role="group"
    aria-label=${t("undo.label")}
    data-testid="undo"
    @focusin=${() => {
      if (focusedByUs) focusedByUs = false;
      else holdUndo();
    }}
    @focusout=${(e: FocusEvent) => {
      if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) releaseUndo();
    }}
    @pointerenter=${holdUndo}
    @pointerleave=${releaseUndo}
    ${ref(toastMounted)}
  >
    <span data-testid="undo-message">${u.message}</span>
    <button class="toast-action" data-testid="undo-button" @click=${undoRemoval}>${t("undo.button")}</button>
    <button class="toast-close icon" data-testid="undo-dismiss" aria-label=${t("undo.dismiss")} @click=${dismissUndo}>×</button>
  </div>`;
}

/** "Reset demo?": the cart, addresses and the sandbox's orders go; cancelling keeps everything. */
export function resetDemoDialog() {
  if (!state.confirmReset) return nothing;
  return dialog({
    id: "reset-demo-dialog",
    testid: "confirm-reset-demo",
    labelledBy: "reset-demo-h",
    describedBy: "reset-demo-p",
    alert: true,
    onClose: () => askResetDemo(false),
    body: html`<h2 id="reset-demo-h">${t("resetDemo.title")}</h2>
      <p id="reset-demo-p">${t("resetDemo.body")}</p>
      <div class="actions">
        <button class="secondary" data-testid="reset-demo-cancel" autofocus @click=${() => askResetDemo(false)}>${t("resetDemo.cancel")}</button>
        <button class="danger" data-testid="reset-demo-confirm" @click=${confirmResetDemo}>${t("resetDemo.confirm")}</button>
      </div>`,
  });
}
