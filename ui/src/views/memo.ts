// Memoized views: a part of the screen drawn again only when what it shows changed (a cart
// event re-evaluates the changed line item, not the catalog or the settings dialog).
//
// The rule: a view given to `memo` draws from its props only (and the words, `t()`, which
// follow the language). It never reads `state` while it draws, nor calls a helper that does
// (`onKiosk()`, `merchantName()`, `fieldError(key)` without the error…): the call site reads
// the store and passes what the view shows, so the data flow is explicit and a change the
// view would not see cannot hide behind the memo. The view does not change its props either:
// its event handlers act on the store as it is when they run (actions, drafts typed in place).
//
// This is the one place that uses lit-html's `guard`: no view lists its dependencies by hand.
import { guard } from "lit-html/directives/guard.js";
import { lang } from "../i18n";

/** Marks where a list's elements start among the compared values (never a prop). */
const LIST = Symbol("list");

/**
 * `view(props)`, drawn again only when the language, the view or one of the props changed.
 * The props record is made afresh at each render; each prop is compared by identity, a list
 * element by element (so a list made afresh too, such as the titles of a shipment's items,
 * is the same while its elements are). A record changed in place (a draft being typed) is
 * the same record: the view is not drawn again for it.
 */
export function memo<P extends object, R>(view: (props: P) => R, props: P) {
  const compared: unknown[] = [lang(), view];
  for (const [key, value] of Object.entries(props)) {
    compared.push(key);
    if (Array.isArray(value)) {
      compared.push(LIST, value.length);
      for (const x of value) compared.push(x);
    } else {
      compared.push(value);
    }
  }
  return guard(compared, () => view(props));
}
