// The whole screen: top bar, three columns, banners, live regions, confirmation,
// support drawer, settings and the kiosk attract screen.
import { html, nothing } from "lit-html";
import { state, changed } from "../state";
import { boot, dismissError, newOrder, refreshSupport, resetDemo, transfer, wipe, saveReceipt, exportSnapshot, importSnapshot } from "../actions";
import { money } from "../format";
import { merchantsColumn } from "./merchants";
import { cartColumn } from "./cart";
import { checkoutColumn, totalsList } from "./checkout";
import { settingsDialog } from "./settings";

export function app() {
  if (state.view === "attract") return attract();
  const info = state.info;
  if (!info) return starting();
  return html`<a class="skip" href="#main">Skip to cart</a>
    <div class="sticky-top">
    <header class="topbar">
      <h1>Firmly Desk</h1>
      ${info
        ? html`<span class="badge env ${info.environment.toLowerCase()}" data-testid="env-badge">${info.environment}</span>
            <span class="badge mode" data-testid="mode-badge">${info.mode}</span>
            <span class="device muted" data-testid="device-id" title="Device id">${info.device_id ?? ""}</span>`
        : nothing}
      <span class="spacer"></span>
      ${state.busy > 0 || state.placing ? html`<span class="busy" data-testid="busy" role="progressbar" aria-label="Working"></span>` : nothing}
      ${info?.environment === "Sandbox" && info.mode !== "kiosk"
        ? html`<button class="secondary small" data-testid="reset-demo" @click=${resetDemo}>Reset demo</button>`
        : nothing}
      ${info?.mode !== "kiosk"
        ? html`<button class="secondary small" data-testid="settings-open" @click=${() => {
            state.settingsOpen = true;
            changed();
          }}>Settings</button>`
        : html`<button class="secondary small" data-testid="end-session" @click=${wipe}>End session</button>`}
    </header>
    ${errorBanner()}
    </div>
    <div class="sr-only" aria-live="polite" data-testid="announcer">${state.announce}</div>
    ${state.order ? confirmation() : html`<div class="columns">${merchantsColumn()}${cartColumn()}${checkoutColumn()}</div>`}
    ${info?.mode === "agent" ? supportDrawer() : nothing}
    ${state.settingsOpen ? settingsDialog() : nothing}
    ${state.idleWarning !== null ? idleWarning() : nothing}`;
}

function errorBanner() {
  const e = state.error;
  return html`<div class="banner-slot" role="alert" aria-live="assertive">
    ${e
      ? html`<div class="banner error" data-testid="error-banner" data-error-code=${e.code}>
          <div>
            <strong>${e.message}</strong>
            ${e.description && e.description !== e.message ? html`<p>${e.description}</p>` : nothing}
            <small class="muted">${e.code}${e.requestId ? ` · request ${e.requestId}` : ""}</small>
          </div>
          <button class="icon" aria-label="Dismiss error" @click=${dismissError}>×</button>
        </div>`
      : nothing}
  </div>`;
}

function confirmation() {
  const o = state.order;
  if (!o) return nothing;
  return html`<main class="confirmation" id="main" data-testid="order-confirmation" aria-labelledby="conf-h">
    <h2 id="conf-h">Thank you! Your order is placed.</h2>
    <p class="order-no">Order number <strong data-testid="order-number">${o.order_number}</strong></p>
    <p>Total paid <strong data-testid="order-total">${money(o.total)}</strong> · ${o.payment_summary}</p>
    <ul class="line-items" role="list">
      ${o.line_items.map((li) => html`<li class="line-item"><span>${li.quantity} × ${li.title}</span><span>${money(li.line_price)}</span></li>`)}
    </ul>
    ${totalsList(o.totals)}
    ${o.thank_you_url ? html`<p class="muted">Merchant receipt: <code>${o.thank_you_url}</code></p>` : nothing}
    ${state.savedTo ? html`<p class="saved" role="status" data-testid="saved-to">Saved to <code>${state.savedTo}</code></p>` : nothing}
    <div class="actions">
      <button class="secondary" data-testid="print-receipt" @click=${() => window.print()}>Print receipt</button>
      ${state.info?.mode === "kiosk"
        ? nothing
        : html`<button class="secondary" data-testid="save-receipt" @click=${() => saveReceipt(o)}>Save receipt</button>`}
      <button class="primary" data-testid="new-order" @click=${newOrder}>Back to shopping</button>
    </div>
  </main>`;
}

function supportDrawer() {
  const s = state.support;
  let domain = state.selected;
  let handle = "";
  let cookies = "";
  return html`<details class="support" ?open=${s.open} @toggle=${(e: Event) => {
    s.open = (e.target as HTMLDetailsElement).open;
    if (s.open) void refreshSupport();
  }}>
    <summary data-testid="support-open">Support tools</summary>
    <div class="support-grid">
      <section>
        <h3>Session transfer</h3>
        <label for="transfer-domain">Merchant domain</label>
        <input id="transfer-domain" data-testid="transfer-domain" .value=${domain} @input=${(e: Event) => (domain = (e.target as HTMLInputElement).value)} />
        <label for="transfer-handle">Handle (text or JSON)</label>
        <input id="transfer-handle" data-testid="transfer-handle" @input=${(e: Event) => (handle = (e.target as HTMLInputElement).value)} />
        <label for="transfer-cookies">Cookies (one per line)</label>
        <textarea id="transfer-cookies" data-testid="transfer-cookies" rows="3" @input=${(e: Event) => (cookies = (e.target as HTMLTextAreaElement).value)}></textarea>
        <button class="secondary" data-testid="transfer-submit" @click=${() => transfer(domain, handle, cookies.split("\n"))}>Transfer</button>
      </section>
      <section>
        <h3>Snapshot</h3>
        <p class="muted">Save this customer's device session and carts to resume the case later or on another desk. The file holds the session token: share it only inside support.</p>
        <button class="secondary" data-testid="export-snapshot" @click=${exportSnapshot}>Export snapshot</button>
        <label for="import-snapshot">Import a snapshot file</label>
        <input id="import-snapshot" data-testid="import-snapshot" type="file" accept=".json,application/json"
          @change=${async (e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) await importSnapshot(await file.text());
            input.value = "";
          }} />
        ${state.savedTo ? html`<p class="saved" role="status" data-testid="support-saved-to">Saved to <code>${state.savedTo}</code></p>` : nothing}
      </section>
      <section>
        <h3>Cart JSON <button class="link" @click=${refreshSupport}>Refresh</button></h3>
        <pre data-testid="raw-json" tabindex="0">${s.raw ?? "No cart read yet."}</pre>
      </section>
      <section>
        <h3>Request log</h3>
        <table data-testid="request-log">
          <thead><tr><th>Method</th><th>Path</th><th>Status</th><th>ms</th><th>Request id</th></tr></thead>
          <tbody>
            ${s.log.slice(-50).reverse().map(
              (r) => html`<tr><td>${r.method}</td><td>${r.path}</td><td>${r.status ?? "—"}</td><td>${r.duration_ms}</td><td>${r.request_id ?? ""}</td></tr>`,
            )}
          </tbody>
        </table>
      </section>
    </div>
  </details>`;
}

/** Before the backend answered: no controls that may not belong to this mode (kiosk). */
function starting() {
  return html`${errorBanner()}
    <main class="attract" id="main" data-testid="starting" aria-busy=${state.error ? "false" : "true"}>
      <h1>Firmly Desk</h1>
      ${state.error
        ? html`<p>The app could not start.</p>
            <button class="primary" data-testid="retry-start" @click=${() => void boot()}>Try again</button>`
        : html`<p class="muted">Starting…</p>`}
    </main>`;
}

function attract() {
  return html`<main class="attract" data-testid="attract-screen" id="main">
    <h1>Firmly Desk</h1>
    <p>Shop several stores and check out once.</p>
    <button class="primary huge" data-testid="start-shopping" @click=${() => {
      state.view = "shop";
      changed();
    }}>Start shopping</button>
  </main>`;
}

function idleWarning() {
  return html`<div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="idle-h" data-testid="idle-warning">
    <div class="modal-box">
      <h2 id="idle-h">Are you still there?</h2>
      <p>For your privacy this session ends in ${state.idleWarning} seconds.</p>
      <button class="primary" data-testid="idle-continue" @click=${() => {
        state.idleWarning = null;
        changed();
      }}>I'm still here</button>
    </div>
  </div>`;
}
