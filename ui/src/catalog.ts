// The catalog and scanning: each merchant's product grid with its prices and search, and
// "Add by link or code" (Get Product from URL, decided in Rust: added, choose a variant, or
// a clear error for a link no merchant sells).
import type { CartView, LinkAdd, ProductSummaryView } from "./bindings";
import { call, commands, DeskError } from "./ipc";
import { changed, state } from "./state";
import { t } from "./i18n";
import { money } from "./format";
import { announce, applyCart, run } from "./core";
import { selectMerchant } from "./actions";
import { merchantName } from "./names";

/** Text as compared by the search: lower case, without accents, single spaces. */
export function searchKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** The products whose title holds every word of the query (any order, accents ignored). */
export function filterProducts<T extends Pick<ProductSummaryView, "title" | "handle">>(list: T[], query: string): T[] {
  const words = searchKey(query).split(" ").filter(Boolean);
  if (!words.length) return list;
  return list.filter((p) => {
    const hay = `${searchKey(p.title)} ${searchKey(p.handle.replace(/[-_]/g, " "))}`;
    return words.every((w) => hay.includes(w));
  });
}

const asked = new Set<string>();

/** Reads the catalog's prices once per merchant and customer (they are shown as they come). */
export async function loadPrices(domain: string): Promise<void> {
  const products = state.products[domain];
  const key = `${state.epoch}|${domain}`;
  if (!products?.length || asked.has(key) || state.counter.prices[domain]) return;
  asked.add(key);
  const epoch = state.epoch;
  try {
    const prices = await call(commands.productPrices(domain, products.map((p) => p.handle)));
    if (epoch !== state.epoch) return;
    state.counter.prices = { ...state.counter.prices, [domain]: Object.fromEntries(prices.map((p) => [p.handle, p])) };
    changed();
  } catch {
    // The grid stays usable without prices (each product's own page still shows them).
    asked.delete(key);
  }
}

/** What the field's words are for a link error (the backend's field is `link`). */
export function linkErrorText(e: DeskError): string {
  if (e.code === "NotEnoughStock") return t("link.soldOut");
  // A link the backend could read but no merchant sells through Firmly: the server said so.
  if (e.code === "Validation" && e.rawCode) return t("link.unknown");
  if (e.code === "Validation") return t("link.invalid");
  return t("link.failed");
}

/** The outcome of adding by link, as the screen takes it. */
export function linkOutcome(r: LinkAdd): { cart: CartView | null; choose: LinkAdd | null } {
  return r.kind === "added" ? { cart: r.cart, choose: null } : { cart: null, choose: r };
}

/**
 * "Add by link or code": a product page's link, typed, pasted or scanned (a scanner types it
 * and presses Enter). One variant is added at once; several open the product to choose one,
 * which is then added by the same link.
 */
export async function addByLink(variantId: string | null = null, link = state.counter.linkDraft): Promise<void> {
  const text = link.trim();
  delete state.fieldErrors["add-by-link"];
  if (!text) {
    state.fieldErrors["add-by-link"] = t("link.empty");
    changed();
    return;
  }
  const known = new Set((state.info?.merchants ?? []).map((m) => m.domain));
  let failed: DeskError | null = null;
  const r = await run(
    () =>
      call(commands.addByLink(text, variantId, variantId ? state.qty : 1)).catch((e: unknown) => {
        const err = e instanceof DeskError ? e : null;
        if (err?.field === "link") {
          failed = err;
          return null;
        }
        throw e;
      }),
    "none",
  );
  if (failed) {
    state.fieldErrors["add-by-link"] = linkErrorText(failed);
    announce(state.fieldErrors["add-by-link"]);
    return;
  }
  if (!r) return;
  const { cart, choose } = linkOutcome(r);
  if (cart) {
    state.counter.linkDraft = "";
    state.counter.productLink = null;
    if (!known.has(cart.domain)) await refreshMerchants();
    if (state.selected !== cart.domain) await selectMerchant(cart.domain);
    else state.product = null;
    applyCart(cart);
    announce(t("link.added", { merchant: merchantName(cart.domain), count: cart.item_count, total: money(cart.totals.total) }));
  } else if (choose?.kind === "choose") {
    if (!known.has(choose.domain)) await refreshMerchants();
    if (state.selected !== choose.domain) await selectMerchant(choose.domain);
    state.product = choose.product;
    state.variantId = choose.product.variants.find((v) => v.available)?.variant_id ?? "";
    state.qty = 1;
    state.counter.productLink = text;
    announce(t("link.choose", { product: choose.product.title }));
  }
  changed();
}

/** A link's merchant the desk did not list yet joins the tabs (the backend remembers it). */
async function refreshMerchants(): Promise<void> {
  const info = await run(() => call(commands.appInfo()), "none", { keepError: true });
  if (info) state.info = info;
}
