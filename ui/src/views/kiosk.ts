// Kiosk pieces of the screen: the app's name that staff hold down for the PIN pad, the
// attract screen's language buttons, "End session?", and the end of an order (the receipt's
// QR code, printing, Done and its countdown).
import { html, nothing, svg } from "lit-html";
import type { OrderView, QrView } from "../bindings";
import { state } from "../state";
import { LANGS, t } from "../i18n";
import { askEndSession, chooseLanguage, confirmEndSession, effectiveLanguage } from "../session";
import { backToOtherCarts, orderDone, otherCartWaiting, printReceipt } from "../kiosk";
import { logoPress, staffAvailable } from "../staff";
import { dialog } from "./common";

/**
 * The app's name. With a staff panel it is a button that opens the PIN pad when held down
 * (pointer, touch, or Enter/Space held on it); a short press does nothing.
 */
export function logo() {
  if (!staffAvailable()) return html`${t("app.name")}`;
  const press = (e: Event) => {
    e.preventDefault();
    logoPress.start();
  };
  const release = () => logoPress.cancel();
  return html`<button
      class="logo"
      type="button"
      data-testid="app-logo"
      aria-describedby="logo-hint"
      @pointerdown=${press}
      @pointerup=${release}
      @pointerleave=${release}
      @pointercancel=${release}
      @contextmenu=${(e: Event) => e.preventDefault()}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        if (!e.repeat) logoPress.start();
      }}
      @keyup=${(e: KeyboardEvent) => {
        if (e.key === "Enter" || e.key === " ") release();
      }}
      @blur=${release}
    >
      ${t("app.name")}</button
    ><span class="sr-only" id="logo-hint">${t("app.logoHint")}</span>`;
}

/** The attract screen's language choice: one large button per language, named in its own. */
export function languageButtons() {
  const current = effectiveLanguage();
  return html`<div class="lang-buttons" role="group" aria-label=${t("language.choose")}>
    ${LANGS.map(
      (l) => html`<button
        class="lang ${l === current ? "primary" : "secondary"}"
        data-testid=${`language-${l}`}
        lang=${l}
        aria-pressed=${l === current ? "true" : "false"}
        @click=${() => chooseLanguage(l)}
      >
        ${t(`language.${l}`)}
      </button>`,
    )}
  </div>`;
}

/** Kiosk: "End session?" — confirm wipes at once, cancel keeps everything. */
export function endSessionDialog() {
  return dialog({
    id: "end-session-dialog",
    testid: "confirm-end-session",
    labelledBy: "end-session-h",
    describedBy: "end-session-p",
    alert: true,
    onClose: () => askEndSession(false),
    body: html`<h2 id="end-session-h">${t("endSession.title")}</h2>
      <p id="end-session-p">${t("endSession.body")}</p>
      <div class="actions">
        <button class="secondary" data-testid="end-session-cancel" autofocus @click=${() => askEndSession(false)}>
          ${t("endSession.cancel")}
        </button>
        <button class="primary" data-testid="end-session-confirm" @click=${confirmEndSession}>${t("endSession.confirm")}</button>
      </div>`,
  });
}

/** Modules of light margin around a QR code (the standard's quiet zone). */
export const QR_QUIET = 4;

/** The dark modules of a QR code as runs per row: `[x, y, width]` (one rect per run). */
export function qrRuns(qr: QrView): [number, number, number][] {
  const runs: [number, number, number][] = [];
  qr.rows.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (row[x] !== "1") {
        x++;
        continue;
      }
      const start = x;
      while (row[x] === "1") x++;
      runs.push([start, y, x - start]);
    }
  });
  return runs;
}

/** A QR code as inline SVG `<rect>`s (never a data: URI: the CSP forbids them). */
export function qrCode(qr: QrView) {
  const n = qr.size + 2 * QR_QUIET;
  const box = `0 0 ${n} ${n}`;
  return html`<svg
    class="qr"
    data-testid="receipt-qr"
    viewBox=${box}
    width="200"
    height="200"
    role="img"
    aria-label=${t("order.receiptQrLabel")}
    shape-rendering="crispEdges"
  >
    <rect x="0" y="0" width=${n} height=${n} fill="#ffffff"></rect>
    ${qrRuns(qr).map(([x, y, w]) => svg`<rect x=${x + QR_QUIET} y=${y + QR_QUIET} width=${w} height="1" fill="#000000"></rect>`)}
  </svg>`;
}

/** The receipt's QR code and its caption, when the order has a receipt page. */
export function receiptQr(o: OrderView) {
  const qr = state.receiptQr;
  if (!o.thank_you_url || !qr || qr.url !== o.thank_you_url) return nothing;
  return html`<figure class="receipt-qr">
    ${qrCode(qr)}
    <figcaption data-testid="receipt-qr-caption">${t("order.receiptQr")}</figcaption>
  </figure>`;
}

/** The kiosk's actions on the confirmation: Print (with a printer), Done and its countdown. */
export function kioskOrderActions(o: OrderView) {
  const left = state.orderDone;
  return html`${left !== null
      ? html`<p class="countdown" data-testid="order-done-countdown" data-seconds=${left}>${t("order.doneCountdown", { seconds: left })}</p>`
      : nothing}
    <div class="actions">
      ${state.info?.kiosk.can_print
        ? html`<button class="secondary" data-testid="print-receipt" @click=${() => printReceipt(o)}>${t("order.print")}</button>`
        : nothing}
      ${otherCartWaiting(o.domain)
        ? html`<button class="secondary" data-testid="new-order" @click=${() => backToOtherCarts(o.domain)}>
            ${t("order.otherCarts")}
          </button>`
        : nothing}
      <button class="primary huge" data-testid="order-done" autofocus @click=${orderDone}>${t("order.done")}</button>
    </div>`;
}
