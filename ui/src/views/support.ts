// Agent mode: the support side panel (a live request log with a filter, the raw cart JSON
// with copy, diagnostics with the platform and the device id, snapshots from a file or the
// clipboard, session transfer, the audit log). Never rendered on a kiosk.
import { html, nothing } from "lit-html";
import type { AppInfo, AuditEntry, DiagnosticsView, RequestLogView } from "../bindings";
import type { DeskError } from "../ipc";
import { state, changed } from "../state";
import {
  copyDiagnostics,
  copyRawJson,
  copyRequestId,
  exportAudit,
  exportSnapshot,
  filterLog,
  importSnapshot,
  logMerchant,
  openSupport,
  pasteSnapshot,
  refreshSupport,
  transfer,
} from "../support";
import { moment } from "../format";
import { t } from "../i18n";
import { errorText } from "../messages";
import { field, fieldError } from "./common";
import { memo } from "./memo";
import { sidePanel } from "./side";

export const SUPPORT_OPENER = "support-toggle";

/** At most this many entries are drawn (the newest that match); the filter finds the rest. */
export const LOG_SHOWN = 200;

/** The panel, re-evaluated only when something it shows changed (not on a cart event). */
export function supportPanel() {
  const s = state.support;
  const tr = s.transfer;
  const errors = state.fieldErrors;
  return memo(panel, {
    error: s.error,
    log: s.log,
    filter: s.filter,
    raw: s.raw,
    diag: s.diag,
    info: state.info,
    diagnostics: s.diagnostics,
    redact: s.redact,
    chooseLocation: s.chooseLocation,
    pasteError: errors["paste-snapshot"] ?? null,
    savedTo: state.savedTo,
    transferDomain: tr.domain || state.selected,
    transferHandle: tr.handle,
    transferCookies: tr.cookies,
    transferDomainError: errors["transfer-domain"] ?? null,
    transferHandleError: errors["transfer-handle"] ?? null,
    audit: s.audit,
  });
}

/**
 * What the panel shows, read from the store by `supportPanel` (`state.support` is changed in
 * place, so its fields are passed, not the record).
 */
interface PanelProps {
  /** Why the panel's last read failed. */
  error: DeskError | null;
  log: RequestLogView[];
  filter: string;
  /** The selected cart's raw JSON. */
  raw: string | null;
  diag: DiagnosticsView | null;
  /** The desk (its merchants, version, API base, device id). */
  info: AppInfo | null;
  /** Diagnostics text shown when the clipboard is not available. */
  diagnostics: string | null;
  redact: boolean;
  chooseLocation: boolean;
  pasteError: string | null;
  /** Where the last export was saved. */
  savedTo: string | null;
  /** The merchant to transfer a session to (the selected one until another is typed). */
  transferDomain: string;
  transferHandle: string;
  transferCookies: string;
  transferDomainError: string | null;
  transferHandleError: string | null;
  audit: AuditEntry[];
}

function panel(p: PanelProps) {
  return sidePanel({
    id: "support-panel",
    testid: "support-panel",
    openerId: SUPPORT_OPENER,
    side: "right",
    title: t("support.title"),
    closeTestid: "support-close",
    onClose: () => openSupport(false),
    body: body(p),
  });
}

function body(p: PanelProps) {
  const kiosk = p.info?.mode === "kiosk";
  return html`${p.error ? html`<p class="field-error" role="alert" data-testid="support-error">${errorText(p.error, kiosk)}</p>` : nothing}
    ${requestLog(p)} ${rawJson(p)} ${diagnostics(p)} ${snapshots(p)} ${transferForm(p)} ${auditLog(p)}`;
}

/** The desk's merchants by domain (the log is filtered by their names, too). */
function merchantNames(info: AppInfo | null): Record<string, string> {
  const names: Record<string, string> = {};
  for (const m of info?.merchants ?? []) names[m.domain] = m.display_name;
  return names;
}

function statusClass(status: number | null): string {
  if (status === null) return "failed";
  return status >= 400 ? "failed" : "ok";
}

function entry(e: RequestLogView, n: number, names: Record<string, string>) {
  const merchant = logMerchant(e.path);
  return html`<li class="log-entry" data-testid=${`request-log-entry-${n}`}>
    <div class="req-line">
      <strong class="req-method">${e.method}</strong>
      <span class="req-status ${statusClass(e.status)}">${e.status ?? t("support.noStatus")}</span>
      <span class="muted">${t("support.ms", { ms: e.duration_ms })}</span>
      ${merchant ? html`<span class="req-merchant">${names[merchant] ?? merchant}</span>` : nothing}
      <span class="spacer"></span>
      <time class="muted" datetime=${e.at}>${moment(e.at)}</time>
    </div>
    <code class="req-path selectable">${e.path}</code>
    ${e.request_id
      ? html`<div class="req-id">
          <span class="muted">${t("support.col.request")}</span>
          <code class="selectable">${e.request_id}</code>
          <button
            class="link"
            data-testid=${`copy-request-id-${e.request_id}`}
            aria-label=${t("support.copyRequestIdLabel", { id: e.request_id })}
            @click=${() => copyRequestId(e.request_id ?? "")}
          >
            ${t("support.copy")}
          </button>
        </div>`
      : nothing}
  </li>`;
}

function requestLog(p: PanelProps) {
  const { log, filter } = p;
  const names = merchantNames(p.info);
  const matches = filterLog(log, filter, names);
  const index = new Map(log.map((e, i) => [e, i]));
  return html`<section aria-labelledby="sup-log-h">
    <h3 id="sup-log-h">${t("support.requests")} <span class="badge live">${t("support.live")}</span></h3>
    <label for="request-log-filter">${t("support.filter")}</label>
    <input
      id="request-log-filter"
      data-testid="request-log-filter"
      type="search"
      autocomplete="off"
      .value=${filter}
      aria-describedby="request-log-count"
      @input=${(e: Event) => {
        state.support.filter = (e.target as HTMLInputElement).value;
        changed();
      }}
    />
    <p class="muted" id="request-log-count" data-testid="request-log-count">
      ${filter.trim()
        ? t("support.logMatches", { shown: Math.min(matches.length, LOG_SHOWN), matches: matches.length, total: log.length })
        : t("support.logTotal", { shown: Math.min(matches.length, LOG_SHOWN), total: log.length })}
    </p>
    <div class="log-scroll" tabindex="0" role="region" aria-labelledby="sup-log-h">
      <ol class="req-log" data-testid="request-log">
        ${matches.slice(0, LOG_SHOWN).map((e) => entry(e, index.get(e) ?? 0, names))}
      </ol>
    </div>
  </section>`;
}

function rawJson(p: PanelProps) {
  return html`<section aria-labelledby="sup-json-h">
    <h3 id="sup-json-h">${t("support.json")}</h3>
    <div class="actions start">
      <button class="secondary small" data-testid="copy-raw-json" ?disabled=${p.raw === null} @click=${copyRawJson}>${t("support.copyJson")}</button>
      <button class="secondary small" data-testid="support-refresh" @click=${refreshSupport}>${t("support.refresh")}</button>
    </div>
    <pre data-testid="raw-json" tabindex="0" aria-labelledby="sup-json-h">${p.raw ?? t("support.noCart")}</pre>
  </section>`;
}

function diagnostics(p: PanelProps) {
  const { diag: d, info } = p;
  return html`<section aria-labelledby="sup-diag-h">
    <h3 id="sup-diag-h">${t("support.diagnostics")}</h3>
    <dl class="facts" data-testid="diagnostics">
      <dt>${t("support.version")}</dt>
      <dd>${d?.version ?? info?.version ?? ""}</dd>
      <dt>${t("support.platform")}</dt>
      <dd data-testid="diagnostics-platform">${d?.platform ?? t("support.reading")}</dd>
      <dt>${t("support.api")}</dt>
      <dd><code class="selectable">${d?.api_base ?? info?.api_base ?? ""}</code></dd>
      <dt>${t("app.deviceId")}</dt>
      <dd><code class="selectable" data-testid="device-id">${d?.device_id ?? info?.device_id ?? t("support.noDevice")}</code></dd>
      <dt>${t("support.recentErrors")}</dt>
      <dd>${d ? d.recent_errors.length : t("support.reading")}</dd>
    </dl>
    <button class="secondary small" data-testid="copy-diagnostics" @click=${copyDiagnostics}>${t("support.copyDiagnostics")}</button>
    ${p.diagnostics !== null
      ? html`<label for="diagnostics-text">${t("support.diagnosticsText")}</label>
          <textarea id="diagnostics-text" data-testid="diagnostics-text" rows="8" readonly .value=${p.diagnostics}></textarea>`
      : nothing}
  </section>`;
}

function snapshots(p: PanelProps) {
  const pasteErr = p.pasteError;
  return html`<section aria-labelledby="sup-snap-h">
    <h3 id="sup-snap-h">${t("support.snapshot")}</h3>
    <p class="muted">${t("support.snapshotExplain")}</p>
    <label class="check">
      <input
        type="checkbox"
        data-testid="snapshot-redact"
        .checked=${p.redact}
        @change=${(e: Event) => {
          state.support.redact = (e.target as HTMLInputElement).checked;
          changed();
        }}
      />
      <span>${t("support.redact")}</span>
    </label>
    <label class="check">
      <input
        type="checkbox"
        data-testid="save-choose"
        .checked=${p.chooseLocation}
        @change=${(e: Event) => {
          state.support.chooseLocation = (e.target as HTMLInputElement).checked;
          changed();
        }}
      />
      <span>${t("support.choose")}</span>
    </label>
    <button class="secondary small" data-testid="export-snapshot" @click=${exportSnapshot}>${t("support.export")}</button>
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
    <div class="field ${pasteErr ? "invalid" : ""}">
      <button
        class="secondary small"
        data-testid="paste-snapshot"
        aria-describedby=${pasteErr ? "err-paste-snapshot" : "paste-snapshot-hint"}
        @click=${pasteSnapshot}
      >
        ${t("support.paste")}
      </button>
      <small class="hint" id="paste-snapshot-hint">${t("support.pasteHint")}</small>
      ${fieldError("paste-snapshot", pasteErr)}
    </div>
    ${p.savedTo
      ? html`<p class="saved" role="status" data-testid="support-saved-to">${t("save.savedTo")} <code>${p.savedTo}</code></p>`
      : nothing}
  </section>`;
}

function transferForm(p: PanelProps) {
  return html`<section aria-labelledby="sup-transfer-h">
    <h3 id="sup-transfer-h">${t("support.transfer")}</h3>
    ${field({
      id: "transfer-domain",
      label: t("support.domain"),
      value: p.transferDomain,
      error: p.transferDomainError,
      onInput: (v) => (state.support.transfer.domain = v),
    })}
    ${field({
      id: "transfer-handle",
      label: t("support.handle"),
      value: p.transferHandle,
      error: p.transferHandleError,
      onInput: (v) => (state.support.transfer.handle = v),
    })}
    <label for="transfer-cookies">${t("support.cookies")}</label>
    <textarea
      id="transfer-cookies"
      data-testid="transfer-cookies"
      rows="3"
      .value=${p.transferCookies}
      @input=${(e: Event) => (state.support.transfer.cookies = (e.target as HTMLTextAreaElement).value)}
    ></textarea>
    <button class="secondary small" data-testid="transfer-submit" @click=${transfer}>${t("support.transferButton")}</button>
  </section>`;
}

function auditLog(p: PanelProps) {
  return html`<section aria-labelledby="sup-audit-h">
    <h3 id="sup-audit-h">${t("support.audit")}</h3>
    <button class="secondary small" data-testid="export-audit" @click=${exportAudit}>${t("support.exportAudit")}</button>
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
          ${p.audit.map(
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
  </section>`;
}
