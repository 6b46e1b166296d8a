// Pay all: its button says how many orders and how much ("Pay 3 orders · $177.84"), its
// panel takes one card and shows a live row per merchant (waiting → paying → outcome), and
// the run ends on one combined confirmation of every merchant's outcome.
import { html, nothing } from "lit-html";
import type { Blocker, CartView, OrderOutcome } from "../bindings";
import { state } from "../state";
import { closePayAllResults, openPayAll, payAll } from "../orders";
import { orderDone } from "../kiosk";
import { money } from "../format";
import { t, tMaybe } from "../i18n";
import { blockerText, errorText, onKiosk, paidWithText, staffRef } from "../messages";
import { DeskError } from "../ipc";
import { merchantName } from "../names";
import { rowState, type PayAllRow } from "../payall";
import { cardFields } from "./checkout";
import { dialog } from "./common";

/** "Pay 3 orders · $177.84" from Rust's preview; the plain words until it answered or when none is ready. */
export function payAllLabel(): string {
  const p = state.counter.payAllPreview;
  const n = p?.ready.length ?? 0;
  if (!p || n === 0) return t("payAll.open");
  const total = p.total.map((m) => money(m)).join(" + ");
  return tMaybe(n === 1 ? "payAll.label.one" : "payAll.label.other", { n, total }) ?? t("payAll.open");
}

/** A short reference a kiosk shopper can read to staff, or for support the code and request id. */
function errorRef(e: DeskError) {
  if (onKiosk()) {
    const ref = staffRef(e.requestId);
    return ref ? html` <small class="muted">${t("error.staffRef", { ref })}</small>` : nothing;
  }
  return e.requestId ? html` <small class="muted">${t("error.requestId", { id: e.requestId })}</small>` : nothing;
}

function blockersList(blockers: Blocker[], cart: CartView | undefined) {
  return html`<ul class="blockers" role="list">
    ${blockers.map((b) => html`<li>${blockerText(b, cart)}</li>`)}
  </ul>`;
}

/** What an outcome says on its row and on the confirmation. */
function outcomeDetail(o: OrderOutcome) {
  if (o.outcome === "placed") {
    return html`${t("payAll.placed", { number: o.order.order_number, total: money(o.order.total) })} · ${paidWithText(o.order.paid_with)}`;
  }
  if (o.outcome === "not_placed") {
    const e = new DeskError(o.error);
    const words = errorText(e);
    return html`${t("payAll.notPlaced")} ${words}${e.description && e.description !== words ? html` — ${e.description}` : nothing}${errorRef(e)}`;
  }
  const ref = onKiosk() ? staffRef(o.pending.id) : null;
  return html`<strong>${t(onKiosk() ? "payAll.unknownKiosk" : "payAll.unknown")}</strong>${ref
      ? html` <small class="muted">${t("error.staffRef", { ref })}</small>`
      : nothing}`;
}

/** One merchant's live row in the panel. */
function liveRow(domain: string, row: PayAllRow) {
  const cart = state.carts[domain];
  const s = rowState(row);
  let detail;
  if (row.stage === "not_ready") detail = blockersList(row.blockers, cart);
  else if (row.stage === "done" && row.outcome) detail = outcomeDetail(row.outcome);
  else detail = nothing;
  return html`<li class="pay-row ${s}" data-testid=${`pay-all-row-${domain}`} data-state=${s}>
    <span class="pay-row-name"><strong>${merchantName(domain)}</strong>${cart ? html` · ${money(cart.totals.total)}` : nothing}</span>
    <span class="pay-row-state">
      ${row.stage === "paying" || row.stage === "waiting" ? html`<span class="busy small" aria-hidden="true"></span>` : nothing}
      ${t(`payAll.state.${s}`)}
    </span>
    ${detail !== nothing ? html`<div class="pay-row-detail">${detail}</div>` : nothing}
  </li>`;
}

export function payAllDialog() {
  const pa = state.payAll;
  const domains = Object.keys(pa.rows).sort((a, b) => merchantName(a).localeCompare(merchantName(b)));
  // Nothing to pay, as far as the last preview knows (without one, the run itself says).
  const nothingReady = state.counter.payAllPreview?.ready.length === 0;
  return dialog({
    id: "pay-all-dialog",
    testid: "pay-all-panel",
    labelledBy: "pay-all-h",
    wide: true,
    onClose: () => openPayAll(false),
    body: html`<h2 id="pay-all-h">${t("payAll.title")}</h2>
      <p class="muted">${t("payAll.explain")}</p>
      <ul class="pay-rows" role="list" aria-live="polite" aria-busy=${pa.running ? "true" : "false"} data-testid="pay-all-rows">
        ${domains.map((d) => liveRow(d, pa.rows[d]))}
      </ul>
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void payAll();
        }}
      >
        ${pa.running ? nothing : cardFields("pay-all-card", pa.card)}
        <button
          class="primary place"
          type="submit"
          data-testid="pay-all-submit"
          aria-busy=${pa.running ? "true" : "false"}
          ?disabled=${pa.running || state.busy > 0 || nothingReady}
        >
          ${pa.running ? html`<span class="busy" aria-hidden="true"></span> ${t("payAll.running")}` : payAllLabel()}
        </button>
      </form>
      <div class="actions">
        <button class="secondary" data-testid="pay-all-close" ?disabled=${pa.running} @click=${() => openPayAll(false)}>${t("dialog.close")}</button>
      </div>`,
  });
}

/** The run's one confirmation: every merchant's outcome, placed ones with their order numbers. */
export function payAllConfirmation() {
  const results = state.payAll.results ?? [];
  const placed = results.filter((r) => r.outcome?.outcome === "placed").length;
  return html`<main class="confirmation pay-all-confirmation" id="main" tabindex="-1" data-testid="pay-all-confirmation" aria-labelledby="pay-conf-h">
    <h2 id="pay-conf-h">${placed === results.length ? t("payAll.confirmAll") : t("payAll.confirmSome", { placed, total: results.length })}</h2>
    <ul class="pay-all-results" role="list">
      ${results.map((r) => {
        const outcome = r.outcome ? r.outcome.outcome : "not_ready";
        return html`<li class="result ${outcome}" data-testid=${`pay-all-result-${r.domain}`} data-outcome=${outcome}>
          <strong>${merchantName(r.domain)}</strong> <span class="outcome-word">${t(`payAll.outcome.${outcome}`)}</span>
          <div>${r.outcome ? outcomeDetail(r.outcome) : blockersList(r.not_ready, state.carts[r.domain])}</div>
        </li>`;
      })}
    </ul>
    ${onKiosk() && state.orderDone !== null
      ? html`<p class="countdown" data-testid="order-done-countdown" data-seconds=${state.orderDone}>${t("order.doneCountdown", { seconds: state.orderDone })}</p>`
      : nothing}
    <div class="actions">
      ${onKiosk()
        ? html`<button class="secondary" data-testid="pay-all-done" @click=${closePayAllResults}>${t("order.otherCarts")}</button>
            <button class="primary huge" data-testid="order-done" @click=${orderDone}>${t("order.done")}</button>`
        : html`<button class="primary" data-testid="pay-all-done" autofocus @click=${closePayAllResults}>${t("order.back")}</button>`}
    </div>
  </main>`;
}
