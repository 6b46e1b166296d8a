// Small shared pieces of markup.
import { html, nothing, type TemplateResult } from "lit-html";
import { state, changed } from "../state";

/** A labelled text input bound to a field of a record, with its error below it. */
export function field(opts: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  disabled?: boolean;
  inputmode?: string;
  maxlength?: number;
  hint?: string;
}): TemplateResult {
  const err = state.fieldErrors[opts.id];
  const errId = `err-${opts.id}`;
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
      ?required=${opts.required}
      ?disabled=${opts.disabled}
      aria-invalid=${err ? "true" : "false"}
      aria-describedby=${err ? errId : nothing}
      @input=${(e: Event) => {
        opts.onInput((e.target as HTMLInputElement).value);
        if (state.fieldErrors[opts.id]) {
          delete state.fieldErrors[opts.id];
          changed();
        }
      }}
    />
    ${opts.hint ? html`<small class="hint">${opts.hint}</small>` : nothing}
    ${err ? html`<p class="field-error" id=${errId} data-testid=${`field-error-${opts.id}`} role="alert">${err}</p>` : nothing}
  </div>`;
}
