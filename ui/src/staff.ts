// The kiosk's staff side (only when the policy sets a staff PIN: `AppInfo.kiosk.staff_panel`).
// A long press on the app's name opens a PIN pad; the backend checks the PIN, counts wrong
// ones and locks the pad. Behind it, the staff panel: orders whose outcome is the staff's
// (settled after a confirmation), the outcomes of customers who left, End session, the
// language on screen, Restart, and Close (which locks the panel again).
//
// The long press: pointer or touch held on the name for `LONG_PRESS_MS`; for keyboard users
// Enter (or Space) held down on the focused name for as long. Releasing earlier, moving off
// the name or a cancelled pointer does nothing. A short press does nothing either.
import { call, commands, DeskError, toDeskError } from "./ipc";
import { changed, emptyStaff, state } from "./state";
import { locale, t, tCount } from "./i18n";
import { announce } from "./core";
import { errorText } from "./messages";
import { afterWipe, applyInfo, chooseLanguage, forgetCustomer } from "./session";

export const LONG_PRESS_MS = 1500;
/** Digits a PIN may have on the pad (the backend decides whether it is right). */
export const PIN_MAX = 12;

/** Whether this desk has a staff panel at all. */
export function staffAvailable(): boolean {
  return state.info?.mode === "kiosk" && !!state.info.kiosk.staff_panel;
}

/** A press that counts only when held for `ms` (a timer started on press, cancelled on release). */
export class LongPress {
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fire: () => void,
    private readonly ms = LONG_PRESS_MS,
  ) {}

  start(): void {
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fire();
    }, this.ms);
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  get held(): boolean {
    return this.timer !== null;
  }
}

export const logoPress = new LongPress(() => openPin());

/** Opens the PIN pad (with a reason, e.g. the panel closed by itself). */
export function openPin(reason: string | null = null): void {
  if (!staffAvailable()) return;
  state.staff = { ...emptyStaff(), pinOpen: true, pinError: reason };
  changed();
}

export function closePin(): void {
  state.staff = emptyStaff();
  changed();
}

/** What was typed in the PIN field: digits only, at most `PIN_MAX`. */
export function setPin(v: string): void {
  state.staff.pin = v.replace(/\D/g, "").slice(0, PIN_MAX);
  changed();
}

export function pinKey(digit: string): void {
  setPin(state.staff.pin + digit);
}

export function pinDelete(): void {
  setPin(state.staff.pin.slice(0, -1));
}

function clockTime(at: number): string {
  return new Intl.DateTimeFormat(locale(), { hour: "numeric", minute: "2-digit", second: "2-digit" }).format(new Date(at));
}

/**
 * A refused PIN in words: how many tries are left, or when the pad opens again (the error's
 * `details`); without them the code's general words are shown.
 */
export function pinErrorText(e: DeskError, now = Date.now()): string {
  const left = e.details?.attempts_left;
  const wait = e.details?.retry_after_seconds;
  if (e.code === "StaffPinWrong" && left != null) return tCount("staff.pinWrong", left);
  if (e.code === "StaffPinLocked" && wait != null) return t("staff.pinLocked", { time: clockTime(now + wait * 1000) });
  return errorText(e);
}

let unlocking = false;

export async function submitPin(): Promise<void> {
  const s = state.staff;
  const pin = s.pin;
  if (!pin || unlocking) return;
  unlocking = true;
  s.pin = "";
  s.pinError = null;
  state.busy++;
  changed();
  try {
    const view = await call(commands.staffUnlock(pin));
    state.staff = { ...emptyStaff(), panel: view };
    announce(t("staff.opened"));
  } catch (e) {
    if (state.staff.pinOpen) {
      state.staff.pinError = pinErrorText(toDeskError(e));
      announce(state.staff.pinError);
    }
  } finally {
    unlocking = false;
    state.busy--;
    changed();
  }
}

/**
 * Runs a staff action. The backend closes the panel after a while without use (`StaffOnly`):
 * the pad comes back and says so. Other failures are shown in the panel.
 */
async function staffCall<T>(f: () => Promise<T>): Promise<T | undefined> {
  state.staff.error = null;
  state.busy++;
  changed();
  try {
    return await f();
  } catch (e) {
    const err = toDeskError(e);
    if (err.code === "StaffOnly") openPin(t("staff.pinExpired"));
    else if (state.staff.panel) state.staff.error = errorText(err);
    return undefined;
  } finally {
    state.busy--;
    changed();
  }
}

/** Reads the staff's orders again (the `staff-updated` event, after a settlement). */
export async function reloadStaff(): Promise<void> {
  if (!state.staff.panel) return;
  const view = await staffCall(() => call(commands.staffOrders()));
  if (view && state.staff.panel) {
    state.staff.panel = view;
    changed();
  }
}

export function askSettle(id: string, placed: boolean): void {
  state.staff.confirm = { kind: "settle", id, placed };
  changed();
}

export function askRestart(): void {
  state.staff.confirm = { kind: "restart" };
  changed();
}

export function cancelConfirm(): void {
  state.staff.confirm = null;
  changed();
}

/** The confirmed staff action: settle an order as placed or not, or restart the app. */
export async function confirmStaff(): Promise<void> {
  const c = state.staff.confirm;
  if (!c) return;
  state.staff.confirm = null;
  if (c.kind === "restart") {
    await staffCall(() => call(commands.staffRestart()));
    return;
  }
  const view = await staffCall(() => call(commands.staffSettle(c.id, c.placed)));
  if (view && state.staff.panel) {
    state.staff.panel = view;
    announce(t("staff.settled"));
  }
}

/** Ends the customer session from the panel: the screen clears at once, the panel stays. */
export async function staffEndSession(): Promise<void> {
  forgetCustomer({ keepStaff: true });
  const info = await staffCall(() => call(commands.staffEndSession()));
  if (info) {
    applyInfo(info);
    announce(t("staff.ended"));
  }
  await afterWipe();
}

export async function staffLanguage(l: string): Promise<void> {
  await chooseLanguage(l);
}

/** Close: the panel goes and the backend locks it. */
export async function closeStaff(): Promise<void> {
  state.staff = emptyStaff();
  announce(t("staff.closed"));
  try {
    await call(commands.staffLock());
  } catch (e) {
    console.warn("staff lock", toDeskError(e).code);
  }
}
