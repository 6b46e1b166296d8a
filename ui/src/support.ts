// The agent's support drawer: request log, raw cart JSON, audit log, diagnostics, session
// transfer, snapshots and receipts. The backend refuses all of it on a kiosk.
import type { OrderView } from "./bindings";
import { call, commands, rawText, toDeskError } from "./ipc";
import { changed, state } from "./state";
import { t } from "./i18n";
import { announce, applyCart, applyHive, report, run } from "./core";
import { selectMerchant } from "./actions";
import { receiptWords } from "./messages";
import { applyInfo } from "./session";
import { moment } from "./format";

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
  if (log.status === "fulfilled") s.log = log.value;
  if (raw.status === "fulfilled") s.raw = raw.value;
  if (audit.status === "fulfilled") s.audit = audit.value;
  const failed = [log, raw, audit].find((r) => r.status === "rejected") as PromiseRejectedResult | undefined;
  if (failed) report(toDeskError(failed.reason));
  changed();
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
export async function importSnapshot(text: string): Promise<void> {
  const opened = await run(() => call(commands.importSnapshot(text)));
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
}

/** Back from a read-only snapshot to the live carts. */
export function closeSnapshot(): void {
  state.snapshot = null;
  announce(t("snapshot.closed"));
}

/** Diagnostics to the clipboard; where that is refused, shown in a read-only text box. */
export async function copyDiagnostics(): Promise<void> {
  const d = await run(() => call(commands.diagnostics()));
  if (!d) return;
  try {
    if (!navigator.clipboard?.writeText) throw new Error("no clipboard");
    await navigator.clipboard.writeText(d.text);
    state.support.diagnostics = null;
    announce(t("support.diagnosticsCopied"));
  } catch {
    state.support.diagnostics = d.text;
    announce(t("support.diagnosticsShown"));
  }
  changed();
}
