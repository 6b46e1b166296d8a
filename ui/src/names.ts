// One display name per merchant, the same on its tab, its cart, pay all and the confirmation.
import { state } from "./state";

/**
 * The desk's name for a merchant (its list of merchants), else the name its cart gives
 * (a merchant added by domain is listed by its domain only), else the domain.
 */
export function merchantName(domain: string): string {
  const listed = state.info?.merchants.find((m) => m.domain === domain)?.display_name;
  if (listed && listed !== domain) return listed;
  return state.carts[domain]?.display_name || listed || domain;
}
