// Entry point: render loop, backend events, kiosk idle handling.
import { render } from "lit-html";
import { app } from "./views/app";
import { changed, state, subscribe } from "./state";
import { applyCart, boot, wipe } from "./actions";
import { events } from "./ipc";
import { IdleTimer } from "./idle";

const root = document.getElementById("app");

let cleared = false;
function draw(): void {
  if (!root) return;
  if (!cleared) {
    // Replace the static boot message; lit-html appends to existing content.
    root.textContent = "";
    cleared = true;
  }
  // Kiosk mode: larger type and targets (styles.css `body.kiosk`).
  document.body.classList.toggle("kiosk", state.info?.mode === "kiosk");
  try {
    render(app(), root);
  } catch (e) {
    console.error("render failed", e);
  }
}

subscribe(draw);

let kioskTimer: IdleTimer | null = null;
function startKioskTimer(): void {
  if (kioskTimer || state.info?.mode !== "kiosk") return;
  const timer = new IdleTimer({
    idleSeconds: state.info.idle_seconds,
    onWarn: (left) => {
      if (state.view === "attract") return;
      state.idleWarning = left;
      changed();
    },
    onActive: () => {
      state.idleWarning = null;
      changed();
    },
    onWipe: () => {
      state.idleWarning = null;
      if (state.view !== "attract" || Object.values(state.carts).some((c) => c.item_count > 0)) void wipe();
    },
  });
  for (const ev of ["pointerdown", "keydown", "wheel", "touchstart"]) {
    window.addEventListener(ev, () => timer.activity(), { passive: true, capture: true });
  }
  timer.start();
  kioskTimer = timer;
}

async function main(): Promise<void> {
  draw();
  await events.cartUpdated.listen((e) => {
    state.hiveTotal = e.payload.hive_total;
    applyCart(e.payload.cart);
  });
  await events.paypalStatus.listen((e) => {
    state.paypal = { domain: e.payload.domain, state: e.payload.state, message: e.payload.message };
    changed();
  });
  // The kiosk idle timer starts once the backend said this is a kiosk (also when the
  // first start failed and "Try again" succeeded later).
  subscribe(startKioskTimer);
  await boot();
  startKioskTimer();
  // Nothing in the UI may navigate the window away from the app.
  document.addEventListener("click", (e) => {
    const a = (e.target as HTMLElement).closest("a");
    if (a && a.getAttribute("href") && !a.getAttribute("href")!.startsWith("#") && !a.hasAttribute("download")) {
      e.preventDefault();
    }
  });
}

void main();
