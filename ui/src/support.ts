// The agent's support panel: a live request log with a filter, the raw cart JSON, the audit
// log, diagnostics, session transfer, snapshots (file or clipboard) and receipts. The
// backend refuses all of it on a kiosk.
import type { OrderView, RequestLogView } from "./bindings";
import { call, commands, rawText, toDeskError, type DeskError } from "./ipc";
import { changed, state } from "./state";
import { t } from "./i18n";
import { announce, applyCart, applyHive, run } from "./core";
import { selectMerchant } from "./actions";
import { errorText, receiptWords } from "./messages";
import { live } from "./live";
import { applyInfo } from "./session";
import { moment } from "./format";

/** The same request log (it only grows at its end, and drops its oldest past its cap). */
export function sameLog(a: RequestLogView[], b: RequestLogView[]): boolean {
  if (a.length !== b.length) return false;
  const x = a[a.length - 1];
  const y = b[b.length - 1];
  return x === y || (!!x && !!y && x.at === y.at && x.path === y.path && x.status === y.status && x.request_id === y.request_id);
}

function sameError(a: DeskError | null, b: DeskError | null): boolean {
  return a === b || (!!a && !!b && a.code === b.code && a.message === b.message);
}

/**
 * Reads the request log, the selected cart's raw JSON and the audit log; re-renders only
 * when something differs. A failure is shown in the panel (`support-error`), not in the
 * banner: the panel reads by itself while open and must not hide what the person reads.
 */
export async function refreshSupport(): Promise<void> {
  const s = state.support;
  const epoch = state.epoch;
  const domain = state.selected;
  const [log, raw, audit] = await Promise.allSettled([
    call(commands.requestLog()),
    domain ? call(commands.rawCart(domain)).then(rawText) : Promise.resolve(null),
    call(commands.auditLog(200)),
  ]);
  if (epoch !== state.epoch) return;
  let differs = false;
  if (log.status === "fulfilled" && !sameLog(s.log, log.value)) {
    s.log = log.value;
    differs = true;
  }
  if (raw.status === "fulfilled" && raw.value !== s.raw) {
    s.raw = raw.value;
    differs = true;
  }
  if (audit.status === "fulfilled" && JSON.stringify(audit.value) !== JSON.stringify(s.audit)) {
    s.audit = audit.value;
    differs = true;
  }
  const failed = [log, raw, audit].find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  const error = failed ? toDeskError(failed.reason) : null;
  if (!sameError(s.error, error)) {
    s.error = error;
    differs = true;
  }
  if (differs) changed();
}

/** The panel reads again shortly after each change of the app, and every 2 s, while open. */
const liveSupport = live({ isOpen: () => state.support.open && supportAvailable(), refresh: refreshSupport, afterChangeMs: 200, everyMs: 2000 });

/** The support panel exists outside a kiosk only (the backend refuses it there anyway). */
export function supportAvailable(): boolean {
  return state.info?.mode === "agent";
}

/** Opens or closes the support panel; opening reads the diagnostics and starts the live log. */
export function openSupport(open: boolean): void {
  state.support.open = open;
  changed();
  if (!open) {
    liveSupport.stop();
    return;
  }
  liveSupport.start();
  void readDiagnostics();
}

/** The desk's diagnostics (version, platform, device id), shown in the panel. */
export async function readDiagnostics(): Promise<void> {
  const epoch = state.epoch;
  try {
    const d = await call(commands.diagnostics());
    if (epoch !== state.epoch) return;
    state.support.diag = d;
  } catch (e) {
    if (epoch !== state.epoch) return;
    state.support.error = toDeskError(e);
  }
  changed();
}

/** What a request log entry is about: the merchant domain in its path, if any. */
export function logMerchant(path: string): string | null {
  const m = /\/domains(?:-products)?\/([^/?#]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * The entries that match every word of the filter (case-insensitive), against the method,
 * path, status, request id and merchant (domain and name); newest first.
 */
export function filterLog(entries: RequestLogView[], filter: string, names: Record<string, string> = {}): RequestLogView[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const out: RequestLogView[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (words.length) {
      const merchant = logMerchant(e.path);
      const hay = [e.method, e.path, e.status ?? "", e.request_id ?? "", merchant ?? "", merchant ? (names[merchant] ?? "") : ""]
        .join(" ")
        .toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
    }
    out.push(e);
  }
  return out;
}

/** Copies text through the desk's clipboard (the backend's; refused on a kiosk). */
async function copy(text: string, done: string): Promise<void> {
  const ok = await run(() => call(commands.copyText(text)));
  if (ok !== undefined) announce(done);
}

export async function copyRequestId(id: string): Promise<void> {
  await copy(id, t("support.copiedRequestId", { id }));
}

export async function copyRawJson(): Promise<void> {
  const raw = state.support.raw;
  if (raw === null) return;
  await copy(raw, t("support.copiedJson"));
}

/** Whether text looks like a support snapshot at all (JSON with a `format`); the backend checks the rest. */
export function looksLikeSnapshot(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as { format?: unknown }).format === "string";
  } catch {
    return false;
  }
}

/**
 * Imports a snapshot from the clipboard. Text that is no snapshot is refused with words
 * that say so (`field-error-paste-snapshot`) and changes nothing; the backend checks the
 * snapshot itself (format, API, session) as for a file.
 */
export async function pasteSnapshot(): Promise<void> {
  delete state.fieldErrors["paste-snapshot"];
  changed();
  let text: string | null;
  try {
    text = await call(commands.pasteText());
  } catch (e) {
    state.fieldErrors["paste-snapshot"] = errorText(toDeskError(e));
    changed();
    return;
  }
  if (!text || !text.trim()) {
    state.fieldErrors["paste-snapshot"] = t("support.pasteEmpty");
    changed();
    return;
  }
  if (!looksLikeSnapshot(text)) {
    const start = text.trim().slice(0, 24);
    state.fieldErrors["paste-snapshot"] = t("support.pasteNotSnapshot", { start: start + (text.trim().length > 24 ? "…" : "") });
    announce(state.fieldErrors["paste-snapshot"]);
    return;
  }
  await importSnapshot(text, "paste-snapshot");
}

export async function transfer(): Promise<void> {
  const tr = state.support.transfer;
  const domain = tr.domain.trim() || state.selected;
  const cookies = tr.cookies
    .split("\n")
    .map((c) => c.trim())
    .filter(Boolean);
  delete state.fieldErrors["transfer-domain"];
  delete state.fieldErrors["transfer-handle"];
  const cart = await run(() => call(commands.transferSession(domain, tr.handle, cookies)), "transfer");
  if (!cart) return;
  applyCart(cart);
  announce(t("support.transferred", { merchant: cart.display_name }));
  await selectMerchant(cart.domain);
}

function saved(path: string | null | undefined, what: "receipt" | "snapshot" | "audit"): void {
  if (path === undefined) return;
  if (path === null) {
    announce(t("save.cancelled"));
    return;
  }
  state.savedTo = path;
  announce(t(`save.${what}`, { path }));
}

export async function saveReceipt(order: OrderView, chooseLocation: boolean): Promise<void> {
  saved(await run(() => call(commands.saveReceipt(order, receiptWords(order), chooseLocation))), "receipt");
}

export async function exportSnapshot(): Promise<void> {
  const s = state.support;
  saved(await run(() => call(commands.exportSnapshot(s.redact, s.chooseLocation))), "snapshot");
}

export async function exportAudit(): Promise<void> {
  saved(await run(() => call(commands.exportAudit(state.support.chooseLocation))), "audit");
}

/**
 * Opens a support snapshot. A redacted one is shown read-only (`snapshotView`) and leaves
 * the live carts alone; a full one replaces the customer on this desk, as before.
 */
export async function importSnapshot(text: string, errorAt?: string): Promise<void> {
  let failed = false;
  const opened = await run(async () => {
    try {
      return await call(commands.importSnapshot(text));
    } catch (e) {
      failed = true;
      throw e;
    }
  });
  if (failed && errorAt && state.error) {
    // Said where the person pasted (the banner says it too).
    state.fieldErrors[errorAt] = errorText(state.error);
    changed();
  }
  if (!opened) return;
  if (opened.read_only) {
    state.snapshot = { exportedAt: opened.exported_at, hive: opened.hive };
    announce(t("snapshot.opened", { time: moment(opened.exported_at) }));
    return;
  }
  state.snapshot = null;
  state.carts = {};
  applyHive(opened.hive);
  const info = await run(() => call(commands.appInfo()));
  if (info) applyInfo(info);
  announce(t("support.imported"));
  await selectMerchant(state.selected);
  await refreshSupport();
  void readDiagnostics();
}

/** Back from a read-only snapshot to the live carts. */
export function closeSnapshot(): void {
  state.snapshot = null;
  announce(t("snapshot.closed"));
}

/** Diagnostics to the clipboard (the desk's); where that fails, shown in a read-only text box. */
export async function copyDiagnostics(): Promise<void> {
  const d = await run(() => call(commands.diagnostics()));
  if (!d) return;
  state.support.diag = d;
  try {
    await call(commands.copyText(d.text));
    state.support.diagnostics = null;
    announce(t("support.diagnosticsCopied"));
  } catch {
    state.support.diagnostics = d.text;
    announce(t("support.diagnosticsShown"));
  }
  changed();
}
