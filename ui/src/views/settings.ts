// Settings dialog: live API connection, idle timeout, card encryption. Saved settings are
// validated in Rust and applied without a restart.
import { html, nothing } from "lit-html";
import type { Settings } from "../bindings";
import { call, commands, toDeskError } from "../ipc";
import { state, changed } from "../state";

let draft: Settings | null = null;
let error: string | null = null;

async function load(): Promise<void> {
  draft = await commands.getSettings();
  changed();
}

function close(): void {
  state.settingsOpen = false;
  draft = null;
  error = null;
  changed();
}

async function save(): Promise<void> {
  if (!draft) return;
  state.busy++;
  changed();
  try {
    state.info = await call(commands.saveSettings(draft));
    state.carts = {};
    state.products = {};
    close();
    const first = state.info.merchants[0]?.domain ?? "";
    state.selected = state.info.merchants.some((m) => m.domain === state.selected) ? state.selected : first;
  } catch (e) {
    error = toDeskError(e).message;
  } finally {
    state.busy--;
    changed();
  }
}

export function settingsDialog() {
  if (!draft) {
    void load();
    return nothing;
  }
  const d = draft;
  const input = (id: keyof Settings, label: string, hint?: string) => html`<label for=${`set-${id}`}>${label}</label>
    <input id=${`set-${id}`} data-testid=${`settings-${id}`} .value=${String(d[id] ?? "")}
      @input=${(e: Event) => {
        (d as Record<string, unknown>)[id] = (e.target as HTMLInputElement).value;
      }} />
    ${hint ? html`<small class="hint">${hint}</small>` : nothing}`;
  return html`<div class="modal" role="dialog" aria-modal="true" aria-labelledby="settings-h" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && close()}>
    <div class="modal-box wide">
      <h2 id="settings-h">Settings</h2>
      ${input("app_id", "Firmly app id", "Leave empty to use the embedded sandbox with demo merchants.")}
      ${input("api_base", "API base URL", "e.g. https://api.firmly.work")}
      ${input("vault_base", "Card vault base URL", "Defaults to the API base URL.")}
      ${input("status_base", "Status base URL", "Defaults to the API base URL.")}
      <label for="set-idle_seconds">Kiosk idle timeout (seconds)</label>
      <input id="set-idle_seconds" type="number" min="5" .value=${String(d.idle_seconds)}
        @input=${(e: Event) => (d.idle_seconds = Math.floor(Number((e.target as HTMLInputElement).value) || 0))} />
      <label for="set-enc">Card encryption</label>
      <select id="set-enc" @change=${(e: Event) => (d.card_encryption = (e.target as HTMLSelectElement).value as Settings["card_encryption"])}>
        <option value="jwe" ?selected=${d.card_encryption === "jwe"}>JWE (v3, recommended)</option>
        <option value="per-field" ?selected=${d.card_encryption === "per-field"}>Per-field RSA (v2)</option>
      </select>
      ${error ? html`<p class="field-error" role="alert" data-testid="settings-error">${error}</p>` : nothing}
      <div class="actions">
        <button class="secondary" @click=${close}>Cancel</button>
        <button class="primary" data-testid="settings-save" @click=${save}>Save and reconnect</button>
      </div>
    </div>
  </div>`;
}
