// A redacted support snapshot opened read-only (agent mode): its carts as they were when it
// was made, with a clear banner, nothing to act on, and a way back to the live carts.
import { html, nothing } from "lit-html";
import type { CartView } from "../bindings";
import { state } from "../state";
import { t, tCount } from "../i18n";
import { moment, money } from "../format";
import { closeSnapshot } from "../support";
import { totalsList } from "./checkout";

function cartBlock(c: CartView) {
  const ship = c.shipping_info;
  const place = ship ? [ship.city, ship.state_or_province, ship.postal_code, ship.country].filter(Boolean).join(", ") : "";
  return html`<section class="panel snapshot-cart" data-testid=${`snapshot-cart-${c.domain}`} aria-labelledby=${`snap-${c.domain}`}>
    <h3 id=${`snap-${c.domain}`}>${c.display_name} <small class="muted">${c.domain} · ${tCount("count.items", c.item_count)}</small></h3>
    <ul class="line-items" role="list">
      ${c.line_items.map(
        (li) => html`<li class="line-item">
          <span>${li.quantity} × ${li.title}${li.variant ? html` <small class="muted">${li.variant}</small>` : nothing}</span>
          <span>${money(li.line_price)}</span>
        </li>`,
      )}
    </ul>
    ${place ? html`<p class="muted">${t("snapshot.shipTo")} ${place}</p>` : nothing} ${totalsList(c.totals)}
  </section>`;
}

export function snapshotView() {
  const snap = state.snapshot;
  if (!snap) return nothing;
  const time = moment(snap.exportedAt);
  return html`<main class="snapshot" id="main" tabindex="-1" data-testid="snapshot-view" aria-labelledby="snapshot-h">
    <div class="banner info" role="status" data-testid="snapshot-banner">
      <div>
        <strong id="snapshot-h">${t("snapshot.banner", { time })}</strong>
        <p>${t("snapshot.explain")}</p>
      </div>
      <button class="primary" data-testid="snapshot-close" @click=${closeSnapshot}>${t("snapshot.close")}</button>
    </div>
    <p class="hive-total">${t("merchants.allCarts")} ${snap.hive.total.length ? snap.hive.total.map((x) => money(x)).join(" + ") : t("merchants.empty")}</p>
    ${snap.hive.carts.length ? snap.hive.carts.map(cartBlock) : html`<p class="muted">${t("snapshot.empty")}</p>`}
  </main>`;
}
