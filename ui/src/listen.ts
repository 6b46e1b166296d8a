// What the backend tells the UI without being asked: cart changes, orders placed (also after
// reconciliation), PayPal progress, the kiosk idle rule and its wipe, start-up settlement,
// the staff's orders.
import { changed, state } from "./state";
import { applyCart, applyHiveTotal } from "./core";
import { orderPlaced, payAllProgressed } from "./orders";
import { idleWarning, sessionWiped, startupSettled } from "./session";
import { reloadStaff } from "./staff";
import { events } from "./ipc";

/** Subscribes to every backend event; returns the way to unsubscribe. */
export async function listenToBackend(): Promise<() => void> {
  const stops = await Promise.all([
    events.cartUpdated.listen((e) => {
      applyHiveTotal(e.payload.hive_total);
      applyCart(e.payload.cart);
    }),
    events.paypalStatus.listen((e) => {
      const { domain, state: s, end, error } = e.payload;
      state.paypal = { domain, state: s, end, error };
      changed();
    }),
    events.orderPlaced.listen((e) => orderPlaced(e.payload)),
    // Pay all's live rows: each merchant's order waiting, being paid, then its outcome.
    events.payAllProgressed.listen((e) => payAllProgressed(e.payload)),
    events.idleWarning.listen((e) => idleWarning(e.payload.seconds_left)),
    events.sessionWiped.listen((e) => void sessionWiped(e.payload)),
    events.startupSettled.listen((e) => void startupSettled(e.payload)),
    // An open staff panel reads its orders again (a customer who left, an order handed over).
    events.staffUpdated.listen(() => void reloadStaff()),
  ]);
  return () => stops.forEach((stop) => stop());
}
