// The kiosk's PIN pad (`staff-pin`) and the staff panel behind it (`staff-panel`).
import { html, nothing } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import type { OrderReportView, PendingOrderView } from "../bindings";
import { state } from "../state";
import { LANGS, t } from "../i18n";
import { moment, money } from "../format";
import { errorText, staffRef, unknownCauseText } from "../messages";
import { DeskError } from "../ipc";
import { effectiveLanguage } from "../session";
import {
  askRestart,
  askSettle,
  cancelConfirm,
  closePin,
  closeStaff,
  confirmStaff,
  pinDelete,
  pinKey,
  setPin,
  staffEndSession,
  staffLanguage,
  submitPin,
} from "../staff";
import { dialog } from "./common";

/** Moves focus to a confirmation's safe choice when it appears (a stable callback: once). */
const focusOnMount = (el?: Element) => {
  if (el instanceof HTMLElement) queueMicrotask(() => el.focus());
};

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** The PIN pad: a masked, labelled input and a number pad of buttons. */
export function pinPad() {
  const s = state.staff;
  const err = s.pinError;
  return dialog({
    id: "staff-pin-dialog",
    testid: "staff-pin",
    labelledBy: "staff-pin-h",
    describedBy: "staff-pin-p",
    onClose: closePin,
    body: html`<h2 id="staff-pin-h">${t("staff.pinTitle")}</h2>
      <p id="staff-pin-p" class="muted">${t("staff.pinExplain")}</p>
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void submitPin();
        }}
      >
        <label for="staff-pin-input">${t("staff.pinLabel")}</label>
        <input
          id="staff-pin-input"
          data-testid="staff-pin-input"
          type="password"
          inputmode="numeric"
          autocomplete="off"
          autofocus
          .value=${s.pin}
          aria-invalid=${err ? "true" : "false"}
          aria-describedby=${err ? "err-staff-pin" : nothing}
          @input=${(e: Event) => setPin((e.target as HTMLInputElement).value)}
        />
        ${err ? html`<p class="field-error" id="err-staff-pin" data-testid="field-error-staff-pin" role="alert">${err}</p>` : nothing}
        <div class="pin-pad" role="group" aria-label=${t("staff.pinKeys")}>
          ${KEYS.map((k) => html`<button type="button" data-testid=${`staff-pin-key-${k}`} @click=${() => pinKey(k)}>${k}</button>`)}
          <button type="button" data-testid="staff-pin-delete" aria-label=${t("staff.pinDelete")} @click=${pinDelete}>⌫</button>
          <button type="button" data-testid="staff-pin-key-0" @click=${() => pinKey("0")}>0</button>
          <button type="submit" class="primary" data-testid="staff-pin-submit" ?disabled=${!s.pin || state.busy > 0}>
            ${t("staff.pinSubmit")}
          </button>
        </div>
        <div class="actions">
          <button type="button" class="secondary" data-testid="staff-pin-cancel" @click=${closePin}>${t("dialog.cancel")}</button>
        </div>
      </form>`,
  });
}

function merchantName(domain: string): string {
  return state.info?.merchants.find((m) => m.domain === domain)?.display_name ?? domain;
}

function pendingLine(p: PendingOrderView) {
  const c = state.staff.confirm;
  const asking = c?.kind === "settle" && c.id === p.id;
  const merchant = merchantName(p.domain);
  return html`<li class="staff-order" data-testid=${`staff-pending-${p.id}`}>
    <p>
      <strong>${t("staff.pendingLine", { merchant, at: moment(p.started_at) })}</strong>
      ${p.with_staff ? html`<span class="badge staff" data-testid=${`staff-with-staff-${p.id}`}>${t("pending.withStaff")}</span>` : nothing}
    </p>
    ${p.cause ? html`<p>${t("pending.reason")} ${unknownCauseText(p.cause, false)}</p>` : nothing}
    <p class="muted">
      ${p.checking ? t("pending.checking") : nothing}
      ${p.checks ? t("pending.checks", { n: p.checks, at: moment(p.last_checked_at) }) : nothing}
      ${t("staff.record", { ref: staffRef(p.id) ?? p.id })}
    </p>
    ${asking && c?.kind === "settle"
      ? html`<div class="confirm" role="group" aria-labelledby=${`staff-confirm-${p.id}`}>
          <p id=${`staff-confirm-${p.id}`}>
            ${t(c.placed ? "staff.confirmPlaced" : "staff.confirmNotPlaced", { merchant })}
          </p>
          <div class="actions start">
            <button class="secondary" data-testid="staff-confirm-no" ${ref(focusOnMount)} @click=${cancelConfirm}>${t("staff.confirmNo")}</button>
            <button class="primary" data-testid="staff-confirm-yes" @click=${confirmStaff}>${t("staff.confirmYes")}</button>
          </div>
        </div>`
      : html`<div class="actions start">
          <button class="secondary" data-testid=${`staff-placed-${p.id}`} @click=${() => askSettle(p.id, true)}>${t("staff.placed")}</button>
          <button class="secondary" data-testid=${`staff-not-placed-${p.id}`} @click=${() => askSettle(p.id, false)}>
            ${t("staff.notPlaced")}
          </button>
        </div>`}
  </li>`;
}

function reportLine(r: OrderReportView, i: number) {
  const o = r.outcome;
  const merchant = merchantName(r.domain);
  let text: string;
  if (o.outcome === "placed") text = t("startup.placed", { merchant, number: o.order.order_number, total: money(o.order.total) });
  else if (o.outcome === "not_placed") text = t("startup.notPlaced", { merchant, reason: errorText(new DeskError(o.error)) });
  else text = t("startup.unknown", { merchant });
  return html`<li data-testid=${`staff-report-${i}`} data-outcome=${o.outcome} data-domain=${r.domain}>${text}</li>`;
}

/** The staff panel: orders to settle, outcomes of customers who left, session and app. */
export function staffPanel() {
  const s = state.staff;
  const view = s.panel;
  if (!view) return nothing;
  const lang = effectiveLanguage();
  return dialog({
    id: "staff-panel-dialog",
    testid: "staff-panel",
    labelledBy: "staff-h",
    wide: true,
    onClose: () => void closeStaff(),
    body: html`<h2 id="staff-h">${t("staff.title")}</h2>
      ${s.error ? html`<p class="field-error" role="alert" data-testid="staff-error">${s.error}</p>` : nothing}
      <section aria-labelledby="staff-pending-h">
        <h3 id="staff-pending-h">${t("staff.pending")}</h3>
        ${view.pending.length
          ? html`<ul class="staff-orders" role="list">
              ${view.pending.map(pendingLine)}
            </ul>`
          : html`<p class="muted" data-testid="staff-no-pending">${t("staff.noPending")}</p>`}
      </section>
      <section aria-labelledby="staff-reports-h">
        <h3 id="staff-reports-h">${t("staff.reports")}</h3>
        ${view.reports.length
          ? html`<ul class="staff-reports" data-testid="staff-reports">
              ${view.reports.map(reportLine)}
            </ul>`
          : html`<p class="muted" data-testid="staff-reports">${t("staff.noReports")}</p>`}
      </section>
      <section aria-labelledby="staff-session-h">
        <h3 id="staff-session-h">${t("staff.session")}</h3>
        <div class="actions start">
          <button class="secondary" data-testid="staff-end-session" @click=${staffEndSession}>${t("staff.endSession")}</button>
        </div>
        <p id="staff-lang-l">${t("staff.language")}</p>
        <div class="lang-buttons small" role="group" aria-labelledby="staff-lang-l">
          ${LANGS.map(
            (l) => html`<button
              class=${l === lang ? "primary" : "secondary"}
              data-testid=${`staff-language-${l}`}
              lang=${l}
              aria-pressed=${l === lang ? "true" : "false"}
              @click=${() => staffLanguage(l)}
            >
              ${t(`language.${l}`)}
            </button>`,
          )}
        </div>
      </section>
      ${s.confirm?.kind === "restart"
        ? html`<div class="confirm" role="group" aria-labelledby="staff-restart-p">
            <p id="staff-restart-p">${t("staff.restartConfirm")}</p>
            <div class="actions start">
              <button class="secondary" data-testid="staff-confirm-no" ${ref(focusOnMount)} @click=${cancelConfirm}>${t("staff.confirmNo")}</button>
              <button class="danger" data-testid="staff-restart-confirm" @click=${confirmStaff}>${t("staff.restartYes")}</button>
            </div>
          </div>`
        : nothing}
      <div class="actions">
        <button class="secondary" data-testid="staff-restart" @click=${askRestart}>${t("staff.restart")}</button>
        <button class="primary" data-testid="staff-close" @click=${closeStaff}>${t("staff.close")}</button>
      </div>`,
  });
}
