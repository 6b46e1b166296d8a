// The on-screen keyboard of a touch kiosk (policy `touch_keyboard`): it appears under a
// focused text field (letters in the UI's language, a number pad for numeric fields) and
// types into it as a person would, so the field's own handlers see every character. Keys
// never take the focus from the field.
import { html, nothing } from "lit-html";
import { state, changed } from "../state";
import { lang, t } from "../i18n";
import { applyKey, keyId, layout, padFor, takesKeyboard, type Key } from "../keyboard";

/** The field the keyboard types into. */
let target: HTMLInputElement | HTMLTextAreaElement | null = null;
let attached = false;

function enabled(): boolean {
  return !!state.info?.kiosk.touch_keyboard;
}

function open(el: HTMLInputElement | HTMLTextAreaElement): void {
  target = el;
  const pad = padFor(el);
  const kb = state.counter.keyboard;
  if (kb.open && kb.pad === pad) return;
  state.counter.keyboard = { open: true, pad, shift: false };
  changed();
}

export function closeKeyboard(): void {
  target = null;
  if (!state.counter.keyboard.open) return;
  state.counter.keyboard = { ...state.counter.keyboard, open: false, shift: false };
  changed();
}

/** Follows the focus: a text field opens the keyboard, anything else (but a key) closes it. */
function attach(): void {
  if (attached || typeof document === "undefined") return;
  attached = true;
  // A key pressed with a finger or a mouse leaves the focus in the field (no flicker of the
  // field's focus; should a key take it anyway, the key gives it back).
  document.addEventListener("mousedown", (e) => {
    if (enabled() && (e.target as Element | null)?.closest?.(".touch-keyboard button")) e.preventDefault();
  });
  document.addEventListener("focusin", (e) => {
    if (!enabled()) return;
    const el = e.target as Element | null;
    if (takesKeyboard(el)) open(el);
    else if (!(el instanceof Element && el.closest(".touch-keyboard"))) closeKeyboard();
  });
  document.addEventListener("focusout", (e) => {
    if (!enabled() || !state.counter.keyboard.open) return;
    const to = e.relatedTarget as Element | null;
    if (to && (takesKeyboard(to) || to.closest?.(".touch-keyboard"))) return;
    // The field left for nothing (a re-render, a click on the page): close unless a field has it again.
    setTimeout(() => {
      const now = document.activeElement;
      if (!takesKeyboard(now) && !(now instanceof Element && now.closest(".touch-keyboard"))) closeKeyboard();
    }, 0);
  });
}

/** The field to type into: the one focused, else the last one (a key took the focus). */
function typingField(): HTMLInputElement | HTMLTextAreaElement | null {
  const active = document.activeElement;
  if (takesKeyboard(active)) return active;
  if (target && target.isConnected) return target;
  // The view re-rendered the field: the same id is the same field.
  const again = target?.id ? document.getElementById(target.id) : null;
  return takesKeyboard(again) ? again : null;
}

/** What pressing a key does: types into the field (and tells its handlers), shifts, or closes. */
export function press(k: Key): void {
  const kb = state.counter.keyboard;
  if (k.kind === "shift") {
    state.counter.keyboard = { ...kb, shift: !kb.shift };
    changed();
    return;
  }
  const el = typingField();
  if (k.kind === "done") {
    el?.blur();
    closeKeyboard();
    return;
  }
  if (!el) return;
  let start: number | null = null;
  let end: number | null = null;
  try {
    start = el.selectionStart;
    end = el.selectionEnd;
  } catch {
    // Fields without a caret (email, number) are typed at their end.
  }
  const next = applyKey(el.value, start, end, k, el.maxLength);
  el.focus();
  if (next) {
    el.value = next.value;
    try {
      el.setSelectionRange(next.caret, next.caret);
    } catch {
      // No caret to place.
    }
    el.dispatchEvent(new Event("input", { bubbles: true }));
  }
  if (kb.shift && k.kind === "char") {
    state.counter.keyboard = { ...state.counter.keyboard, shift: false };
    changed();
  }
}

function keyLabel(k: Key): string {
  switch (k.kind) {
    case "char":
      return k.char;
    case "space":
      return t("keyboard.space");
    case "backspace":
      return "⌫";
    case "shift":
      return "⇧";
    case "done":
      return t("keyboard.done");
  }
}

function keyName(k: Key): string | undefined {
  switch (k.kind) {
    case "backspace":
      return t("keyboard.backspace");
    case "shift":
      return t("keyboard.shift");
    default:
      return undefined;
  }
}

export function touchKeyboard() {
  if (!enabled()) return nothing;
  attach();
  const kb = state.counter.keyboard;
  if (!kb.open) return nothing;
  const rows = layout(kb.pad, lang(), kb.shift);
  const numeric = kb.pad === "numeric" || kb.pad === "tel";
  return html`<div
    class="touch-keyboard ${numeric ? "pad" : "letters"}"
    data-testid="touch-keyboard"
    data-pad=${kb.pad}
    role="group"
    aria-label=${t("keyboard.label")}
  >
    ${rows.map(
      (row) => html`<div class="kb-row">
        ${row.map(
          (k) => html`<button
            type="button"
            class="kb-key kb-${k.kind}"
            data-testid=${`touch-key-${keyId(k)}`}
            aria-label=${keyName(k) ?? nothing}
            aria-pressed=${k.kind === "shift" ? (kb.shift ? "true" : "false") : nothing}
            @click=${() => press(k)}
          >
            ${keyLabel(k)}
          </button>`,
        )}
      </div>`,
    )}
  </div>`;
}
