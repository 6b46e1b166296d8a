// Small shared pieces of markup: a labelled input with its error, a dialog that traps and
// restores focus and closes on Escape.
import { html, nothing, type TemplateResult } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import { state, changed } from "../state";

/** A labelled text input bound to a field of a record, with its error below it. */
export function field(opts: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  /** Key of the error in `state.fieldErrors` and of `field-error-<key>` (default: `id`). */
  errorKey?: string;
  /**
   * The field's error as the caller read it (null: none), for a memoized view, which draws
   * from its props only (`memo`); when left out, it is read from `state.fieldErrors`.
   */
  error?: string | null;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  disabled?: boolean;
  readonly?: boolean;
  inputmode?: string;
  maxlength?: number;
  placeholder?: string;
  hint?: string;
  onEnter?: () => void;
}): TemplateResult {
  const key = opts.errorKey ?? opts.id;
  const err = opts.error !== undefined ? opts.error : state.fieldErrors[key];
  const errId = `err-${key}`;
  const hintId = `hint-${opts.id}`;
  const described = [opts.hint ? hintId : "", err ? errId : ""].filter(Boolean).join(" ");
  return html`<div class="field ${err ? "invalid" : ""}">
    <label for=${opts.id}>${opts.label}${opts.required ? html`<span aria-hidden="true"> *</span>` : nothing}</label>
    <input
      id=${opts.id}
      data-testid=${opts.id}
      type=${opts.type ?? "text"}
      .value=${opts.value}
      autocomplete=${opts.autocomplete ?? "off"}
      inputmode=${opts.inputmode ?? nothing}
      maxlength=${opts.maxlength ?? nothing}
      placeholder=${opts.placeholder ?? nothing}
      ?required=${opts.required}
      ?disabled=${opts.disabled}
      ?readonly=${opts.readonly}
      aria-invalid=${err ? "true" : "false"}
      aria-describedby=${described || nothing}
      @input=${(e: Event) => {
        opts.onInput((e.target as HTMLInputElement).value);
        if (state.fieldErrors[key]) {
          delete state.fieldErrors[key];
          changed();
        }
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === "Enter" && opts.onEnter) {
          e.preventDefault();
          opts.onEnter();
        }
      }}
    />
    ${opts.hint ? html`<small class="hint" id=${hintId}>${opts.hint}</small>` : nothing}
    ${fieldError(key, err ?? null)}
  </div>`;
}

/**
 * The error of a field (`field-error-<key>`), announced when it appears: `err` as the caller
 * read it (null: none; a memoized view passes it), else the one in `state.fieldErrors`.
 */
export function fieldError(key: string, err: string | null | undefined = state.fieldErrors[key]) {
  return err
    ? html`<p class="field-error" id=${`err-${key}`} data-testid=${`field-error-${key}`} role="alert">${err}</p>`
    : nothing;
}

const FOCUSABLE =
  'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: Element): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE));
}

/** Where focus was before each open dialog, to give it back on close. */
const returnFocus = new Map<string, HTMLElement | null>();

/**
 * The callback made for `key` the first time, on every later render too. lit-html calls a ref
 * callback that changed between two renders with `undefined` and then with the element: a
 * fresh closure per render (the idle warning's countdown redraws its dialog each second) would
 * read as a removal and a new mount — the focus moved again, the way back forgotten.
 */
export function sameCallback<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** Each dialog's mount callback (`sameCallback`). */
const dialogRefs = new Map<string, (el: Element | undefined) => void>();

const dialogRef = (id: string) => sameCallback(dialogRefs, id, () => (el: Element | undefined) => dialogMounted(id, el));

function dialogMounted(id: string, el: Element | undefined): void {
  if (el) {
    if (returnFocus.has(id)) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    returnFocus.set(id, before);
    queueMicrotask(() => {
      const first = el.querySelector<HTMLElement>("[autofocus]") ?? focusables(el)[0] ?? (el as HTMLElement);
      first.focus();
    });
  } else {
    const before = returnFocus.get(id);
    returnFocus.delete(id);
    queueMicrotask(() => {
      if (before && before.isConnected) before.focus();
      else document.getElementById("main")?.focus();
    });
  }
}

/** Keeps Tab inside the dialog and closes it on Escape. */
function trapKeys(e: KeyboardEvent, box: HTMLElement, onClose?: () => void): void {
  if (e.key === "Escape" && onClose) {
    e.preventDefault();
    e.stopPropagation();
    onClose();
    return;
  }
  if (e.key !== "Tab") return;
  const list = focusables(box);
  if (!list.length) {
    e.preventDefault();
    return;
  }
  const first = list[0];
  const last = list[list.length - 1];
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !box.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !box.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}

/** A modal dialog: focus moves in, stays in, goes back where it was; Escape closes it. */
export function dialog(opts: {
  id: string;
  testid?: string;
  labelledBy: string;
  describedBy?: string;
  alert?: boolean;
  wide?: boolean;
  onClose?: () => void;
  body: TemplateResult;
}): TemplateResult {
  return html`<div class="modal">
    <div
      class="modal-box ${opts.wide ? "wide" : ""}"
      id=${opts.id}
      role=${opts.alert ? "alertdialog" : "dialog"}
      aria-modal="true"
      aria-labelledby=${opts.labelledBy}
      aria-describedby=${opts.describedBy ?? nothing}
      data-testid=${opts.testid ?? nothing}
      tabindex="-1"
      @keydown=${(e: KeyboardEvent) => trapKeys(e, e.currentTarget as HTMLElement, opts.onClose)}
      ${ref(dialogRef(opts.id))}
    >
      ${opts.body}
    </div>
  </div>`;
}
