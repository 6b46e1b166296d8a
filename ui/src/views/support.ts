// Agent mode: a collapsible support drawer under the cart (session transfer, snapshots,
// diagnostics, raw JSON, request log, audit log). Never rendered on a kiosk.
import { html, nothing } from "lit-html";
import { guard } from "lit-html/directives/guard.js";
import { state, changed } from "../state";
import { copyDiagnostics, exportAudit, exportSnapshot, importSnapshot, refreshSupport, transfer } from "../support";
import { moment } from "../format";
import { lang, t } from "../i18n";
import { field } from "./common";

/** The drawer, re-evaluated only when something it shows changed (not on a cart event). */
export function supportDrawer() {
  const s = state.support;
  const tr = s.transfer;
  return guard(
    [
      lang(),
      s,
      s.open,
      s.redact,
      s.chooseLocation,
      s.diagnostics,
      s.raw,
      s.log,
      s.audit,
      tr,
      tr.domain,
      tr.handle,
      tr.cookies,
      state.selected,
      state.savedTo,
      state.fieldErrors["transfer-domain"],
      state.fieldErrors["transfer-handle"],
    ],
    drawer,
  );
}

function drawer() {
  const s = state.support;
  const tr = s.transfer;
  return html`<details
    class="support"
    ?open=${s.open}
    @toggle=${(e: Event) => {
      const open = (e.target as HTMLDetailsElement).open;
      if (open === s.open) return;
      s.open = open;
      if (open) void refreshSupport();
      changed();
    }}
  >
    <summary data-testid="support-open">${t("support.title")}</summary>
    <div class="support-grid">
      <section aria-labelledby="sup-transfer-h">
        <h3 id="sup-transfer-h">${t("support.transfer")}</h3>
        ${field({ id: "transfer-domain", label: t("support.domain"), value: tr.domain || state.selected, onInput: (v) => (tr.domain = v) })}
        ${field({ id: "transfer-handle", label: t("support.handle"), value: tr.handle, onInput: (v) => (tr.handle = v) })}
        <label for="transfer-cookies">${t("support.cookies")}</label>
        <textarea
          id="transfer-cookies"
          data-testid="transfer-cookies"
          rows="3"
          .value=${tr.cookies}
          @input=${(e: Event) => (tr.cookies = (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <button class="secondary" data-testid="transfer-submit" @click=${transfer}>${t("support.transferButton")}</button>
      </section>
      <section aria-labelledby="sup-snap-h">
        <h3 id="sup-snap-h">${t("support.snapshot")}</h3>
        <p class="muted">${t("support.snapshotExplain")}</p>
        <label class="check">
          <input
            type="checkbox"
            data-testid="snapshot-redact"
            .checked=${s.redact}
            @change=${(e: Event) => {
              s.redact = (e.target as HTMLInputElement).checked;
              changed();
            }}
          />
          <span>${t("support.redact")}</span>
        </label>
        <label class="check">
          <input
            type="checkbox"
            data-testid="save-choose"
            .checked=${s.chooseLocation}
            @change=${(e: Event) => {
              s.chooseLocation = (e.target as HTMLInputElement).checked;
              changed();
            }}
          />
          <span>${t("support.choose")}</span>
        </label>
        <button class="secondary" data-testid="export-snapshot" @click=${exportSnapshot}>${t("support.export")}</button>
        <label for="import-snapshot">${t("support.import")}</label>
        <input
          id="import-snapshot"
          data-testid="import-snapshot"
          type="file"
          accept=".json,application/json"
          @change=${async (e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (file) await importSnapshot(await file.text());
            input.value = "";
          }}
        />
        ${state.savedTo
          ? html`<p class="saved" role="status" data-testid="support-saved-to">${t("save.savedTo")} <code>${state.savedTo}</code></p>`
          : nothing}
        <h3>${t("support.diagnostics")}</h3>
        <button class="secondary" data-testid="copy-diagnostics" @click=${copyDiagnostics}>${t("support.copyDiagnostics")}</button>
        ${s.diagnostics !== null
          ? html`<label for="diagnostics-text">${t("support.diagnosticsText")}</label>
              <textarea id="diagnostics-text" data-testid="diagnostics-text" rows="8" readonly .value=${s.diagnostics}></textarea>`
          : nothing}
      </section>
      <section aria-labelledby="sup-json-h">
        <h3 id="sup-json-h">
          ${t("support.json")}
          <button class="link" data-testid="support-refresh" @click=${refreshSupport}>${t("support.refresh")}</button>
        </h3>
        <pre data-testid="raw-json" tabindex="0" aria-labelledby="sup-json-h">${s.raw ?? t("support.noCart")}</pre>
      </section>
      <section class="span2" aria-labelledby="sup-log-h">
        <h3 id="sup-log-h">${t("support.requests")}</h3>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="sup-log-h">
          <table data-testid="request-log">
            <thead>
              <tr>
                <th scope="col">${t("support.col.method")}</th>
                <th scope="col">${t("support.col.path")}</th>
                <th scope="col">${t("support.col.status")}</th>
                <th scope="col">${t("support.col.ms")}</th>
                <th scope="col">${t("support.col.request")}</th>
              </tr>
            </thead>
            <tbody>
              ${s.log
                .slice(-50)
                .reverse()
                .map(
                  (r) =>
                    html`<tr>
                      <td>${r.method}</td>
                      <td>${r.path}</td>
                      <td>${r.status ?? "—"}</td>
                      <td>${r.duration_ms}</td>
                      <td>${r.request_id ?? ""}</td>
                    </tr>`,
                )}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="sup-audit-h">
        <h3 id="sup-audit-h">${t("support.audit")}</h3>
        <button class="secondary" data-testid="export-audit" @click=${exportAudit}>${t("support.exportAudit")}</button>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="sup-audit-h">
          <table data-testid="audit-log">
            <thead>
              <tr>
                <th scope="col">${t("support.col.at")}</th>
                <th scope="col">${t("support.col.merchant")}</th>
                <th scope="col">${t("support.col.action")}</th>
                <th scope="col">${t("support.col.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              ${s.audit.map(
                (a) =>
                  html`<tr>
                    <td>${moment(a.at)}</td>
                    <td>${a.merchant ?? "—"}</td>
                    <td>${a.action}</td>
                    <td>${a.outcome}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  </details>`;
}
