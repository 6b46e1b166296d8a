// Entry point: render loop, backend events, kiosk input reporting.
import { render } from "lit-html";
import { app } from "./views/app";
import { state, subscribe } from "./state";
import { boot } from "./session";
import { listenToBackend } from "./listen";
import { activity } from "./idle";
import { mark, markRender } from "./perf";

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
    markRender("start");
    render(app(), root);
    markRender("end");
  } catch (e) {
    console.error("render failed", e);
  }
}

subscribe(draw);

async function main(): Promise<void> {
  mark("firmly:boot:start");
  draw();
  // Nothing in the UI may navigate the window away from the app.
  document.addEventListener("click", (e) => {
    const a = (e.target as HTMLElement).closest("a");
    const href = a?.getAttribute("href");
    if (a && href && !href.startsWith("#") && !a.hasAttribute("download")) e.preventDefault();
  });
  // The idle rule lives in Rust; a kiosk only reports input, at most once a second.
  activity.attach(window, () => state.info?.mode === "kiosk");
  // The listeners' round trips overlap `app_info`; boot awaits both before it draws the tabs.
  await boot(listenToBackend());
}
void main();
