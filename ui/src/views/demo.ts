// The demo helper panel (demo mode on the sandbox): one-time codes, test cards that fill the
// card form, promo codes that apply, and scenario switches over the sandbox's faults.
import { html, nothing } from "lit-html";
import type { DemoHelperView } from "../bindings";
import { state } from "../state";
import { cardOutcome, openDemo, promoEffect, scenarioName, setScenario, useCode, usePromo, useTestCard } from "../demo";
import { errorText } from "../messages";
import { t, tMaybe } from "../i18n";
import { sidePanel } from "./side";

export const DEMO_OPENER = "demo-helper-toggle";

export function demoHelper() {
  const d = state.demo;
  return sidePanel({
    id: "demo-helper",
    testid: "demo-helper",
    openerId: DEMO_OPENER,
    side: "left",
    title: t("demo.title"),
    closeTestid: "demo-helper-close",
    onClose: () => openDemo(false),
    body: html`${d.error ? html`<p class="field-error" role="alert" data-testid="demo-error">${errorText(d.error)}</p>` : nothing}
    ${d.view ? contents(d.view) : d.error ? nothing : html`<p class="muted" role="status">${t("demo.loading")}</p>`}`,
  });
}

function contents(v: DemoHelperView) {
  return html`<section aria-labelledby="demo-codes-h">
      <h3 id="demo-codes-h">${t("demo.codes")}</h3>
      <div data-testid="demo-otp">
        ${v.codes.length
          ? html`<ul class="demo-codes">
              ${v.codes.map(
                (c) => html`<li data-testid=${`demo-otp-${c.email}`}>
                  <span class="demo-email">${c.email}</span>
                  <code class="demo-code selectable" data-testid=${`demo-otp-code-${c.email}`}>${c.code}</code>
                  <button
                    class="secondary small"
                    data-testid=${`demo-otp-use-${c.email}`}
                    aria-label=${t("demo.useCodeFor", { email: c.email })}
                    @click=${() => useCode(c)}
                  >
                    ${t("demo.useCode")}
                  </button>
                </li>`,
              )}
            </ul>`
          : html`<p class="muted">${t("demo.noCodes")}</p>`}
      </div>
    </section>
    <section aria-labelledby="demo-cards-h">
      <h3 id="demo-cards-h">${t("demo.cards")}</h3>
      <p class="hint">${t("demo.cardsHint")}</p>
      <div class="demo-chips">
        ${v.cards.map(
          (c) => html`<button
            class="demo-chip ${c.outcome === "approved" ? "good" : "bad"}"
            data-testid=${`demo-card-${c.last_four}`}
            aria-label=${t("demo.cardLabel", { last4: c.last_four, outcome: cardOutcome(c) })}
            @click=${() => useTestCard(c)}
          >
            <span class="demo-chip-main">•••• ${c.last_four}</span>
            <small>${cardOutcome(c)}</small>
          </button>`,
        )}
      </div>
    </section>
    <section aria-labelledby="demo-promos-h">
      <h3 id="demo-promos-h">${t("demo.promos")}</h3>
      <p class="hint">${t("demo.promosHint")}</p>
      <div class="demo-chips">
        ${v.promo_codes.map(
          (p) => html`<button
            class="demo-chip"
            data-testid=${`demo-promo-${p.code}`}
            ?disabled=${!state.selected}
            aria-label=${t("demo.promoLabel", { code: p.code, effect: promoEffect(p.effect) })}
            @click=${() => usePromo(p.code)}
          >
            <span class="demo-chip-main">${p.code}</span>
            <small>${promoEffect(p.effect)}</small>
          </button>`,
        )}
      </div>
    </section>
    <section aria-labelledby="demo-scenarios-h">
      <h3 id="demo-scenarios-h">${t("demo.scenarios")}</h3>
      <ul class="demo-scenarios">
        ${v.scenarios.map(
          (s) => html`<li>
            <button
              class="switch"
              role="switch"
              data-testid=${`demo-scenario-${s.scenario}`}
              aria-checked=${s.on ? "true" : "false"}
              aria-describedby=${`demo-sc-${s.scenario}-d`}
              @click=${() => setScenario(s.scenario, !s.on)}
            >
              <span class="track" aria-hidden="true"><span class="thumb"></span></span>
              <span>${scenarioName(s.scenario)}</span>
            </button>
            <small class="hint" id=${`demo-sc-${s.scenario}-d`}>${tMaybe(`demo.scenarioHint.${s.scenario}`) ?? ""}</small>
          </li>`,
        )}
      </ul>
    </section>`;
}
