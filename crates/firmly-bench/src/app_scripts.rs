//! The scripts the app benchmarks run in the webview (through WebDriver `execute/async`).

/// The platform's floor for "a DOM change reaches the screen": an 8×8 px fixed element
/// changes colour; time to the next animation frame and to the first task after it.
pub(crate) const FRAME_LATENCY_JS: &str = r#"
const done = arguments[arguments.length - 1];
const n = arguments[0];
const d = document.createElement('div');
d.style.cssText = 'position:fixed;left:0;bottom:0;width:8px;height:8px;z-index:99999;background:#000';
document.body.appendChild(d);
const raf = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
const task = () => new Promise((r) => setTimeout(() => r(performance.now()), 0));
(async () => {
  await raf(); await task();
  const toRaf = [], toAfter = [], full = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    d.style.background = i % 2 ? '#000' : '#fff';
    const a = await raf(); const b = await task();
    toRaf.push(a - t0); toAfter.push(b - t0);
  }
  d.remove();
  // The whole viewport repainted: a full-window overlay changes colour.
  const o = document.createElement('div');
  o.style.cssText = 'position:fixed;inset:0;z-index:99999;opacity:0.5;background:#000';
  document.body.appendChild(o);
  await raf(); await task();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    o.style.background = i % 2 ? '#000' : '#08f';
    await raf(); full.push((await task()) - t0);
  }
  o.remove();
  const facts = {scroll_height: document.documentElement.scrollHeight,
    elements: document.getElementsByTagName('*').length, images: document.images.length};
  done({toRaf, toAfter, full, facts});
})();
"#;

/// The page's own clock: navigation start (epoch ms) and DOMContentLoaded end.
pub(crate) const TIMELINE_JS: &str = r#"
const n = performance.getEntriesByType ? performance.getEntriesByType('navigation')[0] : null;
// The UI's own boot marks (ui/src/perf.ts): script start, app_info answered, carts drawn.
const mark = (name) => { const m = performance.getEntriesByName(name, 'mark')[0]; return m ? m.startTime : null; };
return {origin: performance.timeOrigin, dcl: n ? n.domContentLoadedEventEnd : null, load: n && n.loadEventStart > 0 ? n.loadEventStart : null,
  boot_start: mark('firmly:boot:start'), app_info: mark('firmly:boot:app-info'), hive: mark('firmly:boot:hive'),
  hive_asked: mark('firmly:boot:hive-asked'), hive_answered: mark('firmly:boot:hive-answered'),
  renders: performance.getEntriesByName('firmly:render', 'mark').slice(0, 12).map((m) => Math.round(m.startTime)),
  // Every mark of the boot, in order: [name without "firmly:", page ms].
  marks: performance.getEntriesByType('mark').slice(0, 40).map((m) => [m.name.replace('firmly:', ''), Math.round(m.startTime)]),
  resources: performance.getEntriesByType('resource').slice(0, 20).map((r) => [r.name.slice(-40), Math.round(r.startTime), Math.round(r.duration)])};
"#;

/// Fills a cart through the app's own commands until its raw JSON reaches `min_bytes`.
pub(crate) const FILL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [domain, variants, minBytes] = arguments;
const inv = window.__TAURI_INTERNALS__ && window.__TAURI_INTERNALS__.invoke;
if (!inv) { done({error: 'window.__TAURI_INTERNALS__.invoke is not reachable'}); return; }
(async () => {
  let added = 0, size = 0; const errors = [];
  for (const v of variants) {
    try { await inv('add_to_cart', {domain, variantId: v, quantity: 1}); added++; }
    catch (e) { errors.push(v + ': ' + (e && e.code ? e.code : JSON.stringify(e))); }
    if (minBytes > 0) {
      // raw_cart answers bytes (an ArrayBuffer), a string from an older build.
      const raw = await inv('raw_cart', {domain});
      size = raw ? (raw.byteLength ?? raw.length) : 0;
      if (size >= minBytes) break;
    }
  }
  done({added, size, errors});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;

/// Real IPC round trips timed in the page: the cart command and the no-op, interleaved.
pub(crate) const IPC_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [domain, rounds, perRound, warm, emptyDomain] = arguments;
const inv = window.__TAURI_INTERNALS__.invoke;
// raw_cart answers bytes (an ArrayBuffer): decoded here as the UI decodes them (ui/src/ipc.ts).
const utf8 = new TextDecoder();
const text = (v) => (v instanceof ArrayBuffer ? utf8.decode(v) : v);
(async () => {
  for (let i = 0; i < warm; i++) { text(await inv('raw_cart', {domain})); await inv('activity'); }
  const cart = [], noop = [], empty = [], cartBlocks = [], noopBlocks = [], emptyBlocks = []; let bytes = 0, wire = 0;
  for (let r = 0; r < rounds; r++) {
    const order = [['cart', 'noop', 'empty'], ['noop', 'empty', 'cart'], ['empty', 'cart', 'noop']][r % 3];
    for (const which of order) {
      const b = performance.now();
      for (let i = 0; i < perRound; i++) {
        const t = performance.now();
        if (which === 'cart') {
          const raw = await inv('raw_cart', {domain}); const s = text(raw); cart.push(performance.now() - t);
          bytes = s.length; wire = raw.byteLength ?? s.length;
        }
        else if (which === 'empty') { text(await inv('raw_cart', {domain: emptyDomain})); empty.push(performance.now() - t); }
        else { await inv('activity'); noop.push(performance.now() - t); }
      }
      // A block's mean is exact even with a coarse clock.
      ({cart: cartBlocks, noop: noopBlocks, empty: emptyBlocks})[which].push((performance.now() - b) / perRound);
    }
  }
  // The clock's resolution: the smallest step performance.now() takes.
  let res = Infinity;
  for (let k = 0; k < 20; k++) {
    const a = performance.now(); let b = a;
    while (b === a) b = performance.now();
    res = Math.min(res, b - a);
  }
  // The boot's own commands, once each, warm, on a fresh device session (wipe first).
  const boot = {};
  const time = async (name, f) => { const t = performance.now(); try { await f(); boot[name] = performance.now() - t; } catch (e) { boot[name] = 'error ' + (e && e.code); } };
  await time('wipe_session', () => inv('wipe_session'));
  await time('app_info', () => inv('app_info'));
  await time('get_hive', () => inv('get_hive'));
  await time('list_products', () => inv('list_products', {domain}));
  await time('get_cart', () => inv('get_cart', {domain}));
  done({cart, noop, empty, cart_block_means: cartBlocks, noop_block_means: noopBlocks,
    empty_block_means: emptyBlocks, bytes, wire_bytes: wire, clock_resolution_ms: res, boot});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;

/// The platform's IPC floor: the same timed loop in the hello-world app, on a core command
/// with no work (`plugin:app|version`) and on the hello's `payload` command answering as many
/// bytes as the app's cart (raw bytes, decoded as the app's are), blocks interleaved.
pub(crate) const IPC_FLOOR_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [rounds, perRound, warm, len] = arguments;
const inv = window.__TAURI_INTERNALS__.invoke;
const utf8 = new TextDecoder();
const calls = {
  version: () => inv('plugin:app|version'),
  payload: async () => { const b = await inv('payload', {len}); return utf8.decode(b); },
};
(async () => {
  for (let i = 0; i < warm; i++) { await calls.version(); await calls.payload(); }
  const got = (await calls.payload()).length;
  if (got !== len) throw new Error(`payload answered ${got} bytes, asked ${len}`);
  const times = {version: [], payload: []}, blocks = {version: [], payload: []};
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 ? ['payload', 'version'] : ['version', 'payload']) {
      const b = performance.now();
      for (let i = 0; i < perRound; i++) {
        const t = performance.now();
        await calls[which]();
        times[which].push(performance.now() - t);
      }
      blocks[which].push((performance.now() - b) / perRound);
    }
  }
  done({times: times.version, block_means: blocks.version,
    payload_times: times.payload, payload_block_means: blocks.payload, payload_bytes: len});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;

/// Frame interval of this webview (rAF deltas): the platform's own frame budget here.
pub(crate) const FRAME_JS: &str = r#"
const done = arguments[arguments.length - 1];
const deltas = []; let last = null;
const f = (ts) => { if (last !== null) deltas.push(ts - last); last = ts;
  if (deltas.length < 60) requestAnimationFrame(f); else done({deltas}); };
requestAnimationFrame(f);
"#;

/// Real round trip: `set_quantity` through IPC → the service → the sandbox → `cart-updated`
/// → the UI's listener → render. `event` = our own listener on `cart-updated` (registered
/// after the UI's, so it runs right after the UI's handler and before the UI's render
/// microtask); `dom` = `cart-total` text changed AND a forced style/layout done; `frame` =
/// the next animation frame after that plus a task (≈ painted).
pub(crate) const RENDER_REAL_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [domain, lineItemId, iterations] = arguments;
const I = window.__TAURI_INTERNALS__;
const q = (id) => document.querySelector(`[data-testid="${id}"]`);
(async () => {
  let tEvent = NaN;
  const handler = I.transformCallback(() => { tEvent = performance.now(); });
  const eventId = await I.invoke('plugin:event|listen', {event: 'cart-updated', target: {kind: 'Any'}, handler});
  const renders = [], trips = [], frames = [], rafs = [];
  let qty = 1;
  for (let k = 0; k < iterations; k++) {
    qty = qty === 1 ? 2 : 1;
    const total = q('cart-total');
    const before = total ? total.textContent : null;
    const changed = new Promise((resolve) => {
      const ok = () => { const t = q('cart-total'); return t && t.textContent !== before; };
      const mo = new MutationObserver(() => {
        if (ok()) { mo.disconnect(); void document.body.offsetHeight; resolve(performance.now()); }
      });
      mo.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
      setTimeout(() => { mo.disconnect(); resolve(NaN); }, 10000);
    });
    tEvent = NaN;
    const t0 = performance.now();
    await I.invoke('set_quantity', {domain, lineItemId, quantity: qty});
    const tDom = await changed;
    const tRaf = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const tFrame = await new Promise((r) => setTimeout(() => r(performance.now()), 0));
    renders.push(tDom - tEvent); trips.push(tDom - t0); frames.push(tFrame - tEvent); rafs.push(tRaf - tEvent);
  }
  await I.invoke('plugin:event|unlisten', {event: 'cart-updated', eventId});
  done({renders, trips, frames, rafs});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;

/// A synthetic big cart through the UI's own `cart-updated` listener: the real CartView of
/// `domain` is expanded to nItems line items, nShipments shipments and nAddons addons (new
/// ids, same shapes) and delivered exactly as Tauri delivers an event to a webview — through
/// the function Tauri installs in every page (`__internal_unstable_listeners_function_id__`)
/// with the ids of the page's `cart-updated` listeners. No UI or Rust change involved; if a
/// Tauri upgrade renames that function the figure reports the error and the real round trip
/// above still stands.
pub(crate) const RENDER_SYNTHETIC_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [domain, nItems, nShipments, nAddons, iterations] = arguments;
const I = window.__TAURI_INTERNALS__;
const emit = window['__internal_unstable_listeners_function_id__'];
const table = window['__internal_unstable_listeners_object_id__'];
if (typeof emit !== 'function' || !table || !table['cart-updated']) {
  done({error: 'Tauri event delivery function or cart-updated listeners not found in the page'}); return;
}
// Tauri defines each listener as a non-enumerable property named by its event id.
const ids = Object.getOwnPropertyNames(table['cart-updated']).map(Number)
  .filter((id) => I.callbacks === undefined || I.callbacks.has(table['cart-updated'][id].handlerId));
if (!ids.length) { done({error: 'no live cart-updated listener in the page'}); return; }
const q = (id) => document.querySelector(`[data-testid="${id}"]`);
const clone = (o) => JSON.parse(JSON.stringify(o));
const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
(async () => {
  const real = await I.invoke('get_cart', {domain});
  await frame(); await frame();
  if (!real.line_items.length || !real.shipments.length || !real.addons.length) {
    done({error: `the real cart has ${real.line_items.length} items, ${real.shipments.length} shipments, ${real.addons.length} addons`}); return;
  }
  const build = (variant) => {
    const c = clone(real);
    c.line_items = [];
    for (let i = 0; i < nItems; i++) {
      const li = clone(real.line_items[i % real.line_items.length]);
      li.line_item_id = `bench-li-${i}`; li.quantity = 1 + ((i + variant) % 3);
      c.line_items.push(li);
    }
    c.shipments = [];
    for (let s = 0; s < nShipments; s++) {
      const sh = clone(real.shipments[s % real.shipments.length]);
      sh.shipment_id = `bench-shp-${s}`;
      sh.line_item_ids = c.line_items.filter((_, i) => i % nShipments === s).map((l) => l.line_item_id);
      c.shipments.push(sh);
    }
    c.addons = [];
    for (let a = 0; a < nAddons; a++) {
      const ad = clone(real.addons[a % real.addons.length]);
      ad.addon_id = `bench-addon-${a}`;
      ad.children = (ad.children || []).map((ch, j) => ({...ch, addon_id: `bench-addon-${a}-c${j}`}));
      ad.items = (ad.items || []).map((it, j) => ({...it, line_item_id: c.line_items[(a + j) % nItems].line_item_id}));
      ad.requires_addon_ids = [];
      if (ad.exclusive_group_id) ad.exclusive_group_id = `${ad.exclusive_group_id}-${a}`;
      c.addons.push(ad);
    }
    c.item_count = c.line_items.reduce((n, l) => n + l.quantity, 0);
    c.totals.total = {...c.totals.total, amount: (1000 + variant / 100).toFixed(2)};
    return c;
  };
  let tScript = NaN;
  const deliver = async (cart, ready) => {
    const t0 = performance.now();
    const tDom = await new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (ready()) { mo.disconnect(); tScript = performance.now(); void document.body.offsetHeight; resolve(performance.now()); }
      });
      mo.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
      setTimeout(() => { mo.disconnect(); resolve(NaN); }, 3000);
      emit({event: 'cart-updated', payload: {cart, hive_total: [cart.totals.total]}}, ids);
    });
    const tRaf = await new Promise((r) => requestAnimationFrame(() => r(performance.now())));
    const tFrame = await new Promise((r) => setTimeout(() => r(performance.now()), 0));
    // The UI's own render (lit-html: templates and DOM changes, no layout) of this update,
    // from its marks (ui/src/perf.ts): the first render that began after the delivery.
    const starts = performance.getEntriesByName('firmly:render-start', 'mark').filter((m) => m.startTime >= t0);
    const ends = performance.getEntriesByName('firmly:render', 'mark').filter((m) => starts.length && m.startTime >= starts[0].startTime);
    const ui = starts.length && ends.length ? ends[0].startTime - starts[0].startTime : NaN;
    const before = starts.length ? starts[0].startTime - t0 : NaN;
    return {render: tDom - t0, script: tScript - t0, raf: tRaf - t0, frame: tFrame - t0, ui, before};
  };
  const last = `line-item-bench-li-${nItems - 1}`;
  const mount = await deliver(build(0), () => !!q(last));
  if (!(mount.render >= 0)) { done({error: `the UI did not render the synthetic cart (no ${last} within 3 s)`}); return; }
  const rendered = {
    line_items: document.querySelectorAll('[data-testid^="line-item-bench-li-"]').length,
    shipments: document.querySelectorAll('[data-testid^="shipment-bench-shp-"]').length,
    addon_elements: document.querySelectorAll('[data-testid^="addon-bench-addon-"]').length,
    dom_elements: document.getElementsByTagName('*').length,
  };
  // The timed updates start once the page is quiet: the mount above (50 new rows, their
  // pictures) and the catalog's late prices keep it busy for a while, and an update in that
  // window times the mount's aftermath, not an update (docs/BENCHMARKS.md §7). Quiet = ten
  // frames in a row at most 25 ms apart; at most 5 s.
  const settleStart = performance.now();
  const settle = async () => {
    let calm = 0, lastFrame = performance.now();
    const from = performance.now();
    while (calm < 10 && performance.now() - from < 5000) {
      const t = await new Promise((r) => requestAnimationFrame(r));
      calm = t - lastFrame <= 25 ? calm + 1 : 0;
      lastFrame = t;
    }
  };
  await settle();
  // The desk's own answers (the pay-all preview's read of the carts, 50 ms after a change) may
  // have put the real cart back meanwhile: the synthetic one is delivered again, untimed, so
  // that every timed delivery is an update of the synthetic cart, not a first drawing of it.
  let remounts = 0;
  while (!q(last) && remounts < 3) {
    remounts++;
    await deliver(build(0), () => !!q(last));
    await settle();
  }
  const settled_ms = performance.now() - settleStart;
  const renders = [], frames = [], rafs = [], scripts = [], uis = [], befores = [];
  for (let k = 1; k <= iterations; k++) {
    const before = q('cart-total') ? q('cart-total').textContent : null;
    const r = await deliver(build(k % 2), () => { const t = q('cart-total'); return t && t.textContent !== before; });
    renders.push(r.render); frames.push(r.frame); rafs.push(r.raf); scripts.push(r.script);
    uis.push(r.ui); befores.push(r.before);
  }
  // The same page repainted without any DOM or layout change (all text changes colour):
  // what painting this content costs on this machine.
  const repaints = [];
  for (let k = 0; k < 10; k++) {
    const t0 = performance.now();
    document.body.style.color = k % 2 ? '' : '#123';
    await new Promise((r) => requestAnimationFrame(r));
    repaints.push(await new Promise((r) => setTimeout(() => r(performance.now() - t0), 0)));
  }
  document.body.style.color = '';
  // The same repaint with the UI's stylesheets switched off (same DOM, browser defaults):
  // how much of the paint cost is the styling rather than the amount of content.
  const sheets = Array.from(document.styleSheets);
  sheets.forEach((sh) => { sh.disabled = true; });
  void document.body.offsetHeight;
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const unstyled = [];
  for (let k = 0; k < 10; k++) {
    const t0 = performance.now();
    document.body.style.color = k % 2 ? '' : '#123';
    await new Promise((r) => requestAnimationFrame(r));
    unstyled.push(await new Promise((r) => setTimeout(() => r(performance.now() - t0), 0)));
  }
  document.body.style.color = '';
  sheets.forEach((sh) => { sh.disabled = false; });
  const payload_bytes = JSON.stringify(build(0)).length;
  done({repaints, unstyled, mount, settled_ms, remounts, renders, frames, rafs, scripts, uis, befores, rendered, payload_bytes, listeners: ids.length});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;

/// Makes the homegoods cart as big as the sandbox allows: every variant, an address (so the
/// shipments get methods and tax), and every addon it offers selected where it can be.
pub(crate) const HOME_SETUP_JS: &str = r#"
const done = arguments[arguments.length - 1];
const [domain] = arguments;
const inv = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const address = {first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', phone: '2065550100',
    company: '', address1: '1 Pike Place', address2: '', city: 'Seattle', state_or_province: 'WA',
    postal_code: '98101', country: 'US'};
  const errors = [];
  try { await inv('set_shipping_info', {domain, address}); } catch (e) { errors.push('address: ' + (e && e.code)); }
  let cart = await inv('get_cart', {domain});
  for (const a of cart.addons) {
    const choice = {addon_id: a.addon_id, line_item_ids: (a.items || []).map((i) => i.line_item_id),
      child_ids: (a.children || []).slice(0, 1).map((c) => c.addon_id)};
    try { cart = await inv('select_addon', {domain, choice}); } catch (e) { errors.push(a.addon_id + ': ' + (e && e.code)); }
  }
  cart = await inv('get_cart', {domain});
  done({line_items: cart.line_items.length, shipments: cart.shipments.length, addons: cart.addons.length,
    addons_selected: cart.addons.filter((a) => a.selected).length,
    first_line_item: cart.line_items[0] && cart.line_items[0].line_item_id, errors});
})().catch(e => done({error: String(e && e.message || JSON.stringify(e))}));
"#;
