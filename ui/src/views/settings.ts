// Settings dialog: live API connection, idle timeout, card encryption, language. Saved
// settings are validated in Rust and applied without a restart; a fleet policy may lock some.
import { html, nothing } from "lit-html";
import { guard } from "lit-html/directives/guard.js";
import type { SettingField, Settings } from "../bindings";
import { call, commands, toDeskError } from "../ipc";
import { state, changed } from "../state";
import { lang, LANGS, t, toLang } from "../i18n";
import { errorText } from "../messages";
import { selectMerchant } from "../actions";
import { applyInfo } from "../session";
import { dialog } from "./common";

let draft: Settings | null = null;
let error: string | null = null;
let loading = false;
let draftEpoch = -1;

async function load(): Promise<void> {
  if (loading) return;
  loading = true;
  try {
    draft = await call(commands.getSettings());
  } catch (e) {
    error = errorText(toDeskError(e));
  } finally {
    loading = false;
    changed();
  }
}

function close(): void {
  state.settingsOpen = false;
  draft = null;
  error = null;
  changed();
}

/** Whether a fleet policy locks this setting (the backend lists every locked field). */
function locked(setting: SettingField): boolean {
  return (state.info?.locked_settings ?? []).includes(setting);
}

async function save(): Promise<void> {
  if (!draft) return;
  const saved = { ...draft };
  state.busy++;
  error = null;
  changed();
  try {
    // The desk's default language is saved with the rest; the screen follows the
    // backend's `AppInfo.language` (the UI keeps no copy of it).
    const info = await call(commands.saveSettings(saved));
    state.carts = {};
    state.products = {};
    applyInfo(info);
    close();
    const first = info.merchants[0]?.domain ?? "";
    await selectMerchant(info.merchants.some((m) => m.domain === state.selected) ? state.selected : first);
  } catch (e) {
    error = errorText(toDeskError(e));
  } finally {
    state.busy--;
    changed();
  }
}

/**
 * The desk's default language: one button per language, named in its own (a segmented
 * control, as on the attract screen). The choice is part of the draft, saved with the rest.
 */
function languageChoice(d: Settings) {
  const current = toLang(d.language) ?? toLang(state.info?.language) ?? "en";
  const off = locked("language");
  return html`<span class="label" id="set-language-l">${t("language.label")}</span>
    <div class="lang-buttons small segmented" role="group" aria-labelledby="set-language-l" aria-describedby=${off ? "set-language-hint" : nothing}>
      ${LANGS.map(
        (l) => html`<button
          type="button"
          class=${l === current ? "primary" : "secondary"}
          data-testid=${`settings-language-${l}`}
          lang=${l}
          aria-pressed=${l === current ? "true" : "false"}
          ?disabled=${off}
          @click=${() => {
            // A new draft: the dialog is drawn again only when its draft changes.
            draft = { ...d, language: l };
            changed();
          }}
        >
          ${t(`language.${l}`)}
        </button>`,
      )}
    </div>
    ${off ? html`<small class="hint" id="set-language-hint">${t("settings.locked")}</small>` : nothing}`;
}

export function settingsDialog() {
  // A draft belongs to one customer session: a wipe drops it.
  if (draftEpoch !== state.epoch) {
    draft = null;
    error = null;
    draftEpoch = state.epoch;
  }
  if (!draft && !error) void load();
  // Re-evaluated only when what it shows changed (not on a cart event).
  return guard([lang(), draft, error, state.info], body);
}

function body() {
  if (!draft) {
    return error
      ? dialog({
          id: "settings-dialog",
          labelledBy: "settings-h",
          onClose: close,
          body: html`<h2 id="settings-h">${t("settings.title")}</h2>
            <p class="field-error" role="alert" data-testid="settings-error">${error}</p>
            <div class="actions"><button class="secondary" @click=${close}>${t("dialog.close")}</button></div>`,
        })
      : nothing;
  }
  const d = draft;
  const input = (id: "app_id" | "api_base" | "vault_base" | "status_base", hint: string) => html`<label for=${`set-${id}`}
      >${t(`settings.${id}`)}</label
    >
    <input
      id=${`set-${id}`}
      data-testid=${`settings-${id}`}
      .value=${String(d[id] ?? "")}
      ?disabled=${locked(id)}
      aria-describedby=${`set-${id}-hint`}
      @input=${(e: Event) => {
        d[id] = (e.target as HTMLInputElement).value;
      }}
    />
    <small class="hint" id=${`set-${id}-hint`}>${locked(id) ? t("settings.locked") : hint}</small>`;
  return dialog({
    id: "settings-dialog",
    testid: "settings-dialog",
    labelledBy: "settings-h",
    wide: true,
    onClose: close,
    body: html`<h2 id="settings-h">${t("settings.title")}</h2>
      <form
        novalidate
        @submit=${(e: Event) => {
          e.preventDefault();
          void save();
        }}
      >
        ${input("app_id", t("settings.app_id_hint"))} ${input("api_base", t("settings.api_base_hint"))}
        ${input("vault_base", t("settings.vault_base_hint"))} ${input("status_base", t("settings.status_base_hint"))}
        <label for="set-idle_seconds">${t("settings.idle")}</label>
        <input
          id="set-idle_seconds"
          data-testid="settings-idle_seconds"
          type="number"
          min="5"
          .value=${String(d.idle_seconds)}
          ?disabled=${locked("idle_seconds")}
          @input=${(e: Event) => (d.idle_seconds = Math.floor(Number((e.target as HTMLInputElement).value) || 0))}
        />
        <label for="set-enc">${t("settings.encryption")}</label>
        <select
          id="set-enc"
          data-testid="settings-card_encryption"
          ?disabled=${locked("card_encryption")}
          @change=${(e: Event) => (d.card_encryption = (e.target as HTMLSelectElement).value as Settings["card_encryption"])}
        >
          <option value="jwe" ?selected=${d.card_encryption === "jwe"}>${t("settings.jwe")}</option>
          <option value="per-field" ?selected=${d.card_encryption === "per-field"}>${t("settings.perField")}</option>
        </select>
        ${languageChoice(d)}
        ${error ? html`<p class="field-error" role="alert" data-testid="settings-error">${error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="secondary" data-testid="settings-cancel" @click=${close}>${t("dialog.cancel")}</button>
          <button type="submit" class="primary" data-testid="settings-save">${t("settings.save")}</button>
        </div>
      </form>`,
  });
}
