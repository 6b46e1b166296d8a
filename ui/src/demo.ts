// The demo helper (demo mode on the embedded sandbox only): the one-time codes the sandbox
// "sent", test cards that fill the card form, the demo promo codes, and switches over the
// sandbox's labelled faults. What it shows comes from the backend (`demo_helper`); the UI
// keeps no list of cards, codes or scenarios of its own.
import type { DemoCard, DemoCode, DemoHelperView, DemoScenario } from "./bindings";
import { call, commands, toDeskError } from "./ipc";
import { changed, fillCard, state } from "./state";
import { announce, current, run } from "./core";
import { applyPromo } from "./actions";
import { t, tMaybe } from "./i18n";
import { live } from "./live";
import { resetDemo } from "./session";

/** Whether this desk has a demo helper: demo mode on the embedded sandbox. */
export function demoAvailable(): boolean {
  return state.info?.mode === "demo" && state.info.environment === "Sandbox";
}

function sameView(a: DemoHelperView | null, b: DemoHelperView): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** Reads the helper's contents; re-renders only when they changed. Errors stay in the panel. */
export async function refreshDemo(): Promise<void> {
  const epoch = state.epoch;
  try {
    const view = await call(commands.demoHelper());
    if (epoch !== state.epoch) return;
    const hadError = state.demo.error !== null;
    state.demo.error = null;
    if (sameView(state.demo.view, view) && !hadError) return;
    state.demo.view = view;
  } catch (e) {
    if (epoch !== state.epoch) return;
    const err = toDeskError(e);
    if (state.demo.error?.message === err.message) return;
    state.demo.error = err;
  }
  changed();
}

/** The one-time codes appear as soon as one is sent: read after every change while open. */
const liveDemo = live({ isOpen: () => state.demo.open && demoAvailable(), refresh: refreshDemo, afterChangeMs: 150, everyMs: 3000 });

export function openDemo(open: boolean): void {
  state.demo.open = open;
  changed();
  if (open) liveDemo.start();
  else liveDemo.stop();
}

/** Switches a scenario on or off; the answer is the helper's contents. */
export async function setScenario(scenario: DemoScenario, on: boolean): Promise<void> {
  const view = await run(() => call(commands.demoScenario(scenario, on)));
  if (!view) return;
  state.demo.view = view;
  announce(t(on ? "demo.scenarioOn" : "demo.scenarioOff", { scenario: scenarioName(scenario) }));
}

export function scenarioName(s: DemoScenario): string {
  return tMaybe(`demo.scenario.${s}`) ?? s;
}

/** What a test card does, in words: approved, or the error it answers. */
export function cardOutcome(card: DemoCard): string {
  if (card.outcome === "approved") return t("demo.approved");
  return tMaybe(`demo.outcome.${card.outcome}`) ?? tMaybe(`error.${card.outcome}`) ?? card.outcome;
}

/** What a promo code does, in words. */
export function promoEffect(effect: string): string {
  return tMaybe(`demo.effect.${effect}`) ?? effect;
}

/** An expiry a few years ahead, so the card is never refused for its date. */
function futureYear(): string {
  return String(new Date().getFullYear() + 3);
}

/**
 * Fills the card form with a test card: its number, a demo name, an expiry ahead, and a
 * CVV of as many digits as the backend's card check says the brand takes.
 */
export async function useTestCard(card: DemoCard): Promise<void> {
  let digits = 3;
  try {
    const check = await commands.validateCard({ number: card.number, name: "", exp_month: "", exp_year: "", cvv: "" });
    digits = check.cvv_digits;
  } catch {
    // The check only sizes the CVV; three digits fit every test card.
  }
  const cart = current();
  if (cart?.payment_options.some((o) => o.kind === "CreditCard")) state.payMethod = "CreditCard";
  for (const k of ["card-number", "card-name", "card-exp", "card-cvv"]) delete state.fieldErrors[k];
  fillCard({
    number: card.number.replace(/(\d{4})(?=\d)/g, "$1 "),
    name: t("demo.cardholder"),
    exp: `12/${futureYear().slice(-2)}`,
    cvv: "1234".slice(0, digits),
  });
  announce(t("demo.cardFilled", { last4: card.last_four, outcome: cardOutcome(card) }));
}

/** Applies a demo promo code to the cart on screen (as if typed into the promo field). */
export async function usePromo(code: string): Promise<void> {
  state.promoDraft = code;
  changed();
  await applyPromo();
}

/**
 * Puts a one-time code where it is awaited: the members sign-in or the wallet unlock sent
 * to that address. With neither waiting, it goes to the clipboard.
 */
export async function useCode(c: DemoCode): Promise<void> {
  const same = (a: string) => a.trim().toLowerCase() === c.email.toLowerCase();
  let filled = false;
  if (state.otp.sent.some(same) || same(state.otp.email)) {
    state.otp.code = c.code;
    delete state.fieldErrors["otp"];
    filled = true;
  }
  if (state.wallet.sent.some(same) || same(state.wallet.email)) {
    state.wallet.code = c.code;
    delete state.fieldErrors["wallet-otp"];
    filled = true;
  }
  if (filled) {
    announce(t("demo.codeFilled", { email: c.email }));
    return;
  }
  const copied = await run(() => call(commands.copyText(c.code)));
  if (copied !== undefined) announce(t("demo.codeCopied", { email: c.email }));
}

// ----- Reset demo, asked first ------------------------------------------------------------

/** "Reset demo?" (`confirm-reset-demo`): asked first; cancelling keeps everything. */
export function askResetDemo(open: boolean): void {
  state.confirmReset = open;
  changed();
}

/** The confirmed reset; the demo helper stays open if it was. */
export async function confirmResetDemo(): Promise<void> {
  if (!state.confirmReset) return;
  const helperOpen = state.demo.open;
  state.confirmReset = false;
  await resetDemo();
  if (helperOpen) openDemo(true);
}
