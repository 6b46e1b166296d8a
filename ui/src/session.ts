// The desk and its customer: start-up, the language, the kiosk's attract screen and idle
// warning (decided in Rust), the start-up settlement of an earlier run's orders, and the
// wipe that forgets the customer.
import type { AppInfo, HiveView, OrderReportView } from "./bindings";
import { call, commands, toDeskError } from "./ipc";
import { changed, hold, release, resetCustomer, state } from "./state";
import { catalogLoaded, lang, loadCatalog, prefetchCatalogs, setLang, toLang, t, wordsFor, type Lang } from "./i18n";
import { answerSeq, applyHive, run } from "./core";
import { mark } from "./perf";
import { loadHealth, selectMerchant, selectionCount } from "./actions";
import { activity } from "./idle";

/**
 * The language on screen: the backend's word for it (`AppInfo.language`, the shopper's
 * choice for this customer, else the desk's). The UI keeps no copy of its own.
 */
export function effectiveLanguage(): Lang {
  return toLang(state.info?.language) ?? "en";
}

export function applyLanguage(): void {
  const l = effectiveLanguage();
  if (l !== lang() || document.documentElement.lang !== l) setLang(l);
  // A language whose words are not loaded yet is drawn in English until they are (the paths
  // that change the language load them first: `wordsFor`), then drawn again.
  if (!catalogLoaded(l)) void loadCatalog(l).then(changed, () => undefined);
}

/**
 * The shopper's choice (attract screen, staff panel): for the current customer only, kept
 * by the backend (a wipe returns to the desk's language).
 */
export async function chooseLanguage(l: string): Promise<void> {
  const chosen = toLang(l);
  if (!chosen) return;
  // The words are fetched while the backend records the choice: one switch, no English flash.
  const words = wordsFor(chosen);
  const info = await run(() => call(commands.setLanguage(chosen)));
  if (!info) return;
  await words;
  applyInfo(info);
  state.announce = t("language.changed");
  changed();
}

/** Stores what the backend said about the desk; shows an earlier run's orders once. */
export function applyInfo(info: AppInfo): void {
  state.info = info;
  if (info.startup_orders.length && !state.startupReported) showStartupReport(info.startup_orders);
  applyLanguage();
  changed();
}

function showStartupReport(orders: OrderReportView[]): void {
  state.startupReported = true;
  state.startupReport = orders;
  changed();
}

export function dismissStartupReport(): void {
  state.startupReport = null;
  changed();
}

/** When the other languages' catalogs are fetched after start-up (ms; off the first screen's path). */
export const PREFETCH_AFTER_MS = 2000;

/** How long the shell waits for the carts before it is drawn without them (ms). */
export const SHELL_GRACE_MS = 150;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Start-up. The backend's listeners (`listening`, registered by main.ts), `app_info` and
 * `get_hive` are asked together; the shell (tabs, language, mode) is drawn with the carts
 * when they come within `SHELL_GRACE_MS` of `app_info`, else at once without them (tabs and
 * cart say they are loading meanwhile).
 */
export async function boot(listening: Promise<unknown> = Promise.resolve()): Promise<void> {
  let chosen = selectionCount();
  try {
    // A kiosk's page renewed after a wipe: the earlier run's report was seen already.
    if (sessionStorage.getItem(REPORTED_KEY) === "1") state.startupReported = true;
  } catch {
    // No session storage: nothing remembered.
  }
  // Until `app_info` answers, the static start-up screen is all there is to draw: the busy
  // indicator, carts announced by events and the answers wait for one paint with the shell
  // (each render before it would hold up the answers on the page's only thread).
  hold();
  let holding = true;
  const letGo = () => {
    if (holding) {
      holding = false;
      release();
    }
  };
  const ok = await run(async () => {
    // The carts are asked for at once, alongside `app_info` and the listeners: the backend
    // reads them while the page finishes booting. A newer cart (an event) still wins.
    const since = answerSeq();
    mark("firmly:boot:hive-asked");
    const hive = call(commands.getHive());
    let early: HiveView | undefined;
    const hiveSettled = hive.then(
      (h) => {
        early = h;
        mark("firmly:boot:hive-answered");
      },
      () => undefined,
    );
    let [info] = await Promise.all([call(commands.appInfo()), listening]);
    mark("firmly:boot:app-info");
    // One paint instead of two when the carts are about to arrive (a paint of the shell
    // alone delays them by as much as it costs); a slow hive gets the shell after the grace.
    // A desk in another language than English draws its first screen in it, never English first.
    await Promise.all([Promise.race([hiveSettled, pause(SHELL_GRACE_MS)]), wordsFor(info.language)]);
    const drawnWithShell = early;
    state.hiveLoading = !drawnWithShell;
    applyInfo(info);
    const first = info.merchants[0]?.domain ?? "";
    state.selected = state.selected || first;
    if (info.mode === "kiosk") state.view = "attract";
    chosen = selectionCount();
    if (drawnWithShell) applyHive(drawnWithShell, since);
    changed();
    letGo();
    // `app_info` may have been answered before the listeners were in place: a settlement
    // that ended in between would never be heard, so ask once more now that they are.
    if (info.settling) {
      info = await call(commands.appInfo());
      applyInfo(info);
    }
    try {
      const answered = await hive;
      if (!drawnWithShell) applyHive(answered, since);
    } finally {
      state.hiveLoading = false;
    }
    // After the render that the hive's change scheduled (a microtask queued before this one).
    queueMicrotask(() => mark("firmly:boot:hive"));
    return true;
  }).finally(letGo);
  if (!ok) {
    state.hiveLoading = false;
    changed();
  }
  // A merchant chosen while the carts loaded has its catalog and cart already.
  if (ok && state.view === "shop" && state.selected && selectionCount() === chosen) await selectMerchant(state.selected);
  if (ok) void loadHealth();
  // The other languages' words, once the first screen is up: a language button switches at once.
  if (ok) setTimeout(() => void prefetchCatalogs(), PREFETCH_AFTER_MS);
}

/** Kiosk: leaves the attract screen (not while the last order is being checked). */
export async function startShopping(): Promise<void> {
  if (state.info?.settling) return;
  state.view = "shop";
  changed();
  const first = state.info?.merchants[0]?.domain ?? "";
  await selectMerchant(state.selected || first);
}

/** How the page reloads itself (tests put a stand-in here). */
export const documentOps = {
  reload: (): void => location.reload(),
  /** A reload that did not happen within this long falls back to the attract screen. */
  fallbackMs: 3000,
};

/** The key under which a reload remembers that the earlier run's report was seen. */
const REPORTED_KEY = "firmly-desk:startup-reported";

/**
 * Kiosk: after a wipe the page reloads, so each shopper starts on a fresh document. The
 * screen is already clear (`renewing` draws only the app's name); the attract screen comes
 * with the new page. A day of shoppers in one document grew the web process by ≈ 2 MB per
 * session (docs/BENCHMARKS.md §13); a fresh document per shopper keeps it flat.
 */
function renew(): void {
  try {
    if (state.startupReported) sessionStorage.setItem(REPORTED_KEY, "1");
  } catch {
    // Without session storage the earlier run's report may show once more: harmless.
  }
  const epoch = state.epoch;
  setTimeout(() => {
    if (state.view === "renewing" && state.epoch === epoch) {
      state.view = "attract";
      changed();
    }
  }, documentOps.fallbackMs);
  requestAnimationFrame(() => setTimeout(() => documentOps.reload(), 0));
}

/** After a wipe: a kiosk shows the attract screen, other modes the first merchant again. */
export async function afterWipe(): Promise<void> {
  if (state.info?.mode === "kiosk") {
    if (state.view === "renewing") renew();
    else state.view = "attract";
    changed();
    return;
  }
  const first = state.info?.merchants[0]?.domain ?? "";
  if (first) await selectMerchant(first);
}

/**
 * Forgets everything about the customer on screen, at once and unconditionally: carts,
 * forms, dialogs, the confirmation and its countdown. An open staff panel closes (and is
 * locked in the backend) unless staff ended the session from it (`keepStaff`).
 */
export function forgetCustomer(opts: { keepStaff?: boolean } = {}): void {
  const paypalOpen = state.paypal?.state === "open" || state.paypal?.state === "starting";
  const staff = state.staff;
  resetCustomer();
  if (opts.keepStaff) state.staff = { ...staff, confirm: null, error: null };
  else if (staff.panel) void commands.staffLock().catch(() => undefined);
  // A kiosk renews its page for the next shopper (`afterWipe`), unless staff are at the desk
  // with their panel open: then the attract screen waits under it.
  if (state.info?.mode === "kiosk") state.view = opts.keepStaff ? "attract" : "renewing";
  // The next customer starts in the desk's language, at once (before the wipe answers).
  if (state.info) state.info = { ...state.info, language: state.info.desk_language };
  applyLanguage();
  if (paypalOpen) void commands.paypalClose().catch(() => undefined);
  changed();
}

/** "End session" (kiosk) and the like: local state first, then the backend's wipe. */
export async function endSession(): Promise<void> {
  forgetCustomer();
  const info = await run(() => call(commands.wipeSession()));
  if (info) applyInfo(info);
  await afterWipe();
}

/** Kiosk: "End session?" asked first (`confirm-end-session`); cancelling keeps everything. */
export function askEndSession(open: boolean): void {
  state.confirmEnd = open;
  changed();
}

export async function confirmEndSession(): Promise<void> {
  if (!state.confirmEnd) return;
  await endSession();
}

/** Demo mode's reset: a wipe of the customer plus the sandbox's seeded data. */
export async function resetDemo(): Promise<void> {
  forgetCustomer();
  const info = await run(() => call(commands.resetSandbox()));
  if (info) applyInfo(info);
  await afterWipe();
}

/** The backend wiped the customer (kiosk idle rule): forget everything shown. */
export async function sessionWiped(info: AppInfo): Promise<void> {
  forgetCustomer();
  applyInfo(info);
  await afterWipe();
}

/** The idle rule's countdown (null: the warning is over). */
export function idleWarning(secondsLeft: number | null): void {
  state.idleWarning = secondsLeft;
  changed();
}

/** "I'm still here": tells the backend at once (not throttled). */
export function stillHere(): void {
  state.idleWarning = null;
  activity.input(true);
  changed();
}

/** The earlier run's orders are settled: the desk takes work again. */
export async function startupSettled(orders: OrderReportView[]): Promise<void> {
  if (state.info) state.info = { ...state.info, settling: false, startup_orders: orders };
  if (orders.length && !state.startupReported) showStartupReport(orders);
  changed();
  try {
    applyInfo(await call(commands.appInfo()));
  } catch (e) {
    console.warn("app info after start-up settlement", toDeskError(e).code);
  }
  if (state.view === "shop" && state.selected) await selectMerchant(state.selected);
}
