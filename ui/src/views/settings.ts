// Settings dialog: live API connection, idle timeout, card encryption, language. Saved
// settings are validated in Rust and applied without a restart; a fleet policy may lock some.
import { html, nothing } from "lit-html";
import type { AppInfo, SettingField, Settings } from "../bindings";
import { call, commands, toDeskError } from "../ipc";
import { state, changed } from "../state";
import { LANGS, t, toLang, wordsFor } from "../i18n";
import { errorText } from "../messages";
import { selectMerchant } from "../actions";
import { applyInfo } from "../session";
import { dialog } from "./common";
import { memo } from "./memo";

// What the dialog holds (open, the draft, its error) is in the store, `state.settings`: it
// belongs to the customer session, so a wipe drops it (`resetCustomer`).

async function load(): Promise<void> {
  const s = state.settings;
  if (s.loading) return;
  s.loading = true;
  // An answer after a wipe is for the last customer: dropped (the store was reset meanwhile).
  const epoch = state.epoch;
  try {
    const draft = await call(commands.getSettings());
    if (epoch === state.epoch) s.draft = draft;
  } catch (e) {
    if (epoch === state.epoch) s.error = errorText(toDeskError(e));
  } finally {
    s.loading = false;
    changed();
  }
}

function close(): void {
  const s = state.settings;
  s.open = false;
  s.draft = null;
  s.error = null;
  changed();
}

/** Whether a fleet policy locks this setting (the backend lists every locked field). */
function locked(info: AppInfo | null, setting: SettingField): boolean {
  return (info?.locked_settings ?? []).includes(setting);
}

async function save(): Promise<void> {
  const s = state.settings;
  if (!s.draft) return;
  const saved = { ...s.draft };
  const epoch = state.epoch;
  state.busy++;
  s.error = null;
  changed();
  try {
    // The desk's default language is saved with the rest; the screen follows the
    // backend's `AppInfo.language` (the UI keeps no copy of it).
    const words = wordsFor(saved.language);
    const info = await call(commands.saveSettings(saved));
    await words;
    state.carts = {};
    state.products = {};
    applyInfo(info);
    close();
    const first = info.merchants[0]?.domain ?? "";
    await selectMerchant(info.merchants.some((m) => m.domain === state.selected) ? state.selected : first);
  } catch (e) {
    if (epoch === state.epoch) s.error = errorText(toDeskError(e));
  } finally {
    state.busy--;
    changed();
  }
}

/**
 * The desk's default language: one button per language, named in its own (a segmented
 * control, as on the attract screen). The choice is part of the draft, saved with the rest.
 */
function languageChoice(d: Settings, info: AppInfo | null) {
  const current = toLang(d.language) ?? toLang(info?.language) ?? "en";
  const off = locked(info, "language");
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
            const s = state.settings;
            if (!s.draft) return;
            s.draft = { ...s.draft, language: l };
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
  const s = state.settings;
  if (!s.draft && !s.error) void load();
  // Re-evaluated only when what it shows changed (not on a cart event).
  return memo(body, { draft: s.draft, error: s.error, info: state.info });
}

/**
 * The dialog for a draft (or the error that kept it from being read). What is typed goes
 * into the store's draft in place, without drawing the dialog again (the focus stays).
 */
function body({ draft, error, info }: { draft: Settings | null; error: string | null; info: AppInfo | null }) {
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
  // Typing changes the store's draft as it is when the person types (the view's props are
  // not changed).
  const edit = (change: (draft: Settings) => void) => {
    const current = state.settings.draft;
    if (current) change(current);
  };
  const input = (id: "app_id" | "api_base" | "vault_base" | "status_base", hint: string) => html`<label for=${`set-${id}`}
      >${t(`settings.${id}`)}</label
    >
    <input
      id=${`set-${id}`}
      data-testid=${`settings-${id}`}
      .value=${String(d[id] ?? "")}
      ?disabled=${locked(info, id)}
      aria-describedby=${`set-${id}-hint`}
      @input=${(e: Event) => edit((draft) => (draft[id] = (e.target as HTMLInputElement).value))}
    />
    <small class="hint" id=${`set-${id}-hint`}>${locked(info, id) ? t("settings.locked") : hint}</small>`;
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
          ?disabled=${locked(info, "idle_seconds")}
          @input=${(e: Event) => edit((draft) => (draft.idle_seconds = Math.floor(Number((e.target as HTMLInputElement).value) || 0)))}
        />
        <label for="set-enc">${t("settings.encryption")}</label>
        <select
          id="set-enc"
          data-testid="settings-card_encryption"
          ?disabled=${locked(info, "card_encryption")}
          @change=${(e: Event) => edit((draft) => (draft.card_encryption = (e.target as HTMLSelectElement).value as Settings["card_encryption"]))}
        >
          <option value="jwe" ?selected=${d.card_encryption === "jwe"}>${t("settings.jwe")}</option>
          <option value="per-field" ?selected=${d.card_encryption === "per-field"}>${t("settings.perField")}</option>
        </select>
        ${languageChoice(d, info)}
        ${error ? html`<p class="field-error" role="alert" data-testid="settings-error">${error}</p>` : nothing}
        <div class="actions">
          <button type="button" class="secondary" data-testid="settings-cancel" @click=${close}>${t("dialog.cancel")}</button>
          <button type="submit" class="primary" data-testid="settings-save">${t("settings.save")}</button>
        </div>
      </form>`,
  });
}
