// The whole screen: top bar, banners, live regions, confirmation, start-up states, dialogs,
// side panels (support, demo helper), the undo toast, settings and the kiosk attract screen.
import { html, nothing } from "lit-html";
import { keyed } from "lit-html/directives/keyed.js";
import type { OrderReportView, OrderView } from "../bindings";
import { state, changed } from "../state";
import { dismissError } from "../actions";
import { newOrder } from "../orders";
import { applyLanguage, askEndSession, boot, dismissStartupReport, startShopping, stillHere } from "../session";
import { saveReceipt } from "../support";
import { money } from "../format";
import { t } from "../i18n";
import { errorText, onKiosk, paidWithText, staffRef } from "../messages";
import { DeskError } from "../ipc";
import { merchantsColumn } from "./merchants";
import { payAllConfirmation, payAllDialog } from "./payall";
import { touchKeyboard } from "./keyboard";
import { merchantName } from "../names";
import { cartColumn } from "./cart";
import { checkoutColumn, overrideDialog, totalsList } from "./checkout";
import { settingsDialog } from "./settings";
import { panelButtons, resetDemoDialog, sidePanels, undoToast } from "./desk";
import { askResetDemo } from "../demo";
import { dialog } from "./common";
import { endSessionDialog, kioskOrderActions, languageButtons, logo, receiptQr } from "./kiosk";
import { pinPad, staffPanel } from "./staff";
import { snapshotView } from "./snapshot";

export function app() {
  applyLanguage();
  // A wipe (new epoch) renders a new DOM: nothing the last customer typed can survive in an
  // input whose value lit-html did not need to touch.
  return keyed(state.epoch, screen());
}

function screen() {
  if (state.view === "attract") return attract();
  if (state.view === "renewing") return renewing();
  const info = state.info;
  if (!info) return starting();
  return html`<a class="skip" href="#main">${t("app.skip")}</a>
    <div class="sticky-top">
      <header class="topbar">
        <h1>${logo()}</h1>
        <span class="badge env ${info.environment.toLowerCase()}" data-testid="env-badge" data-env=${info.environment}
          >${t(`env.${info.environment}`)}</span
        >
        <span class="badge mode" data-testid="mode-badge" data-mode=${info.mode} title=${t(`mode.${info.mode}`)}
          >${t(`modeBadge.${info.mode}`)}</span
        >
        <span class="spacer"></span>
        ${state.busy > 0 || state.placing
          ? html`<span class="busy" data-testid="busy" role="progressbar" aria-label=${t("app.busy")}></span>`
          : nothing}
        ${info.environment === "Sandbox" && info.mode !== "kiosk"
          ? html`<button class="secondary small" data-testid="reset-demo" @click=${() => askResetDemo(true)}>${t("app.resetDemo")}</button>`
          : nothing}
        ${panelButtons()}
        ${info.mode !== "kiosk"
          ? html`<button
              class="secondary small"
              data-testid="settings-open"
              @click=${() => {
                state.settings.open = true;
                changed();
              }}
            >
              ${t("app.settings")}
            </button>`
          : html`<button class="secondary small" data-testid="end-session" @click=${() => askEndSession(true)}>
              ${t("app.endSession")}
            </button>`}
      </header>
      ${errorBanner()} ${settlingBanner()}
    </div>
    ${sidePanels()} ${announcer()} ${startupReport()}
    ${state.order
      ? confirmation()
      : state.payAll.results && !state.payAll.open
        ? payAllConfirmation()
        : state.snapshot && info.mode === "agent"
        ? snapshotView()
        : html`<div class="columns">${merchantsColumn()}${cartColumn()}${checkoutColumn()}</div>`}
    ${state.settings.open && info.mode !== "kiosk" ? settingsDialog() : nothing}
    ${state.payAll.open ? payAllDialog() : nothing}
    ${state.overrideAsk ? overrideDialog() : nothing}
    ${state.confirmEnd ? endSessionDialog() : nothing} ${resetDemoDialog()} ${staffDialogs()} ${undoToast()}
    ${state.idleWarning !== null ? idleWarning() : nothing} ${touchKeyboard()}`;
}

/** The one polite live region: totals, outcomes, the countdown's start (never each second). */
function announcer() {
  return html`<div class="sr-only" aria-live="polite" data-testid="announcer">${state.announce}</div>`;
}

/** The kiosk's PIN pad or staff panel, over whatever screen is shown. */
function staffDialogs() {
  if (state.info?.mode !== "kiosk") return nothing;
  if (state.staff.panel) return staffPanel();
  return state.staff.pinOpen ? pinPad() : nothing;
}

/** What identifies an error for support: its code and request id, or on a kiosk only a short staff reference. */
function errorIds(e: DeskError) {
  if (onKiosk()) {
    const ref = staffRef(e.requestId);
    return ref ? html`<small class="muted" data-testid="staff-ref">${t("error.staffRef", { ref })}</small>` : nothing;
  }
  return html`<small class="muted"
    >${e.rawCode ?? e.code}${e.requestId ? html` · ${t("error.requestId", { id: e.requestId })}` : nothing}</small
  >`;
}

function errorBanner() {
  const e = state.error;
  return html`<div class="banner-slot" role="alert" aria-live="assertive">
    ${e
      ? html`<div class="banner error" data-testid="error-banner" data-error-code=${e.code}>
          <div>
            <strong>${errorText(e)}</strong>
            ${e.description && e.description !== errorText(e) ? html`<p>${e.description}</p>` : nothing}
            ${errorIds(e)}
          </div>
          <button class="icon" aria-label=${t("error.dismiss")} @click=${dismissError}>×</button>
        </div>`
      : nothing}
  </div>`;
}

/** The desk is settling an earlier run's order: calm, no action needed. */
function settlingBanner() {
  if (!state.info?.settling) return nothing;
  return html`<div class="banner info" data-testid="startup-settling" role="status">
    <span class="busy" aria-hidden="true"></span>
    <span><strong>${t("startup.settling")}</strong> ${t("startup.settlingDetail")}</span>
  </div>`;
}

function reportLine(r: OrderReportView) {
  const o = r.outcome;
  const merchant = merchantName(r.domain);
  let text: string;
  if (o.outcome === "placed") text = t("startup.placed", { merchant, number: o.order.order_number, total: money(o.order.total) });
  else if (o.outcome === "not_placed") text = t("startup.notPlaced", { merchant, reason: errorText(new DeskError(o.error)) });
  else text = t(state.info?.mode === "kiosk" ? "startup.unknownKiosk" : "startup.unknown", { merchant });
  return html`<li data-testid=${`startup-order-${r.domain}`} data-outcome=${o.outcome}>${text}</li>`;
}

/** Orders of an earlier run, reported once. */
function startupReport() {
  const list = state.startupReport;
  if (!list?.length) return nothing;
  return html`<section class="panel report" data-testid="startup-report" aria-labelledby="startup-h" role="region">
    <h2 id="startup-h">${t("startup.title")}</h2>
    <ul>
      ${list.map(reportLine)}
    </ul>
    <button class="secondary" data-testid="startup-report-dismiss" @click=${dismissStartupReport}>${t("startup.dismiss")}</button>
  </section>`;
}

function confirmation() {
  const o = state.order;
  if (!o) return nothing;
  const kiosk = state.info?.mode === "kiosk";
  const saved = state.savedTo
    ? html`<p class="saved" role="status" data-testid="saved-to">${t("save.savedTo")} <code>${state.savedTo}</code></p>`
    : nothing;
  if (kiosk) {
    // A kiosk's screen holds it all at once: the order on the left, the receipt's QR code,
    // the countdown and Done on the right (Done never below the fold).
    return html`<main class="confirmation kiosk" id="main" tabindex="-1" data-testid="order-confirmation" aria-labelledby="conf-h">
      <div class="conf-details">${orderDetails(o)}</div>
      <div class="conf-side">${receiptQr(o)} ${saved} ${kioskOrderActions(o)}</div>
    </main>`;
  }
  return html`<main class="confirmation" id="main" tabindex="-1" data-testid="order-confirmation" aria-labelledby="conf-h">
    ${orderDetails(o)}
    ${o.thank_you_url
      ? html`<p class="muted">${t("order.merchantReceipt")} <code class="selectable">${o.thank_you_url}</code></p>`
      : nothing}
    ${saved}
    <div class="actions">
      <button class="secondary" data-testid="save-receipt" @click=${() => saveReceipt(o, false)}>${t("order.save")}</button>
      <button class="secondary" data-testid="save-receipt-as" @click=${() => saveReceipt(o, true)}>${t("order.saveAs")}</button>
      <button class="primary" data-testid="new-order" @click=${newOrder}>${t("order.back")}</button>
    </div>
  </main>`;
}

/** What was ordered: the merchant, the number, the total and how it was paid, the lines. */
function orderDetails(o: OrderView) {
  return html`<h2 id="conf-h">${t("order.thanks")}</h2>
    <p class="order-merchant" data-testid="order-merchant">${merchantName(o.domain)}</p>
    <p class="order-no">${t("order.number")} <strong data-testid="order-number">${o.order_number}</strong></p>
    <p>${t("order.totalPaid")} <strong data-testid="order-total">${money(o.total)}</strong> · ${paidWithText(o.paid_with)}</p>
    <ul class="line-items" role="list">
      ${o.line_items.map(
        (li) => html`<li class="line-item"><span>${li.quantity} × ${li.title}</span><span>${money(li.line_price)}</span></li>`,
      )}
    </ul>
    ${totalsList(o.totals)}`;
}

/** Before the backend answered: no controls that may not belong to this mode (kiosk). */
function starting() {
  return html`${errorBanner()}
    <main class="attract" id="main" data-testid="starting" aria-busy=${state.error ? "false" : "true"}>
      <h1>${t("app.name")}</h1>
      ${state.error
        ? html`<p>${t("app.startFailed")}</p>
            <button class="primary" data-testid="retry-start" @click=${() => void boot()}>${t("app.retry")}</button>`
        : html`<p class="muted">${t("app.starting")}</p>`}
    </main>`;
}

/** A kiosk between two shoppers: the page reloads (`session.ts` `renew`); nothing to touch. */
function renewing() {
  return html`<main class="attract" data-testid="session-renewing" id="main" aria-busy="true">
    <h1>${t("app.name")}</h1>
  </main>`;
}

function attract() {
  const settling = !!state.info?.settling;
  return html`${errorBanner()} ${announcer()}
    <main class="attract" data-testid="attract-screen" id="main">
      <h1>${logo()}</h1>
      <p>${t("attract.tagline")}</p>
      ${languageButtons()}
      ${settling
        ? html`<p class="settling" data-testid="startup-settling" role="status">
            <span class="busy" aria-hidden="true"></span> ${t("startup.settling")}
          </p>`
        : nothing}
      ${startupReport()}
      <button
        class="primary huge"
        data-testid="start-shopping"
        ?disabled=${settling}
        aria-describedby=${settling ? "attract-wait" : nothing}
        @click=${startShopping}
      >
        ${t("attract.start")}
      </button>
      ${settling ? html`<p class="muted" id="attract-wait">${t("startup.wait")}</p>` : nothing}
    </main>
    ${staffDialogs()}`;
}

function idleWarning() {
  return dialog({
    id: "idle-dialog",
    testid: "idle-warning",
    labelledBy: "idle-h",
    describedBy: "idle-p",
    alert: true,
    onClose: stillHere,
    body: html`<h2 id="idle-h">${t("idle.title")}</h2>
      <p id="idle-p">${t("idle.body", { seconds: state.idleWarning ?? 0 })}</p>
      <button class="primary" data-testid="idle-continue" autofocus @click=${stillHere}>${t("idle.continue")}</button>`,
  });
}
