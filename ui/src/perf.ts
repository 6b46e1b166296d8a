// Performance marks for the benchmark (docs/BENCHMARKS.md §1, §7). Marks only: no behaviour
// depends on them. Render marks are cleared now and then so a long session does not grow.
const RENDER = "firmly:render";
const RENDER_START = "firmly:render-start";
const KEEP = 200;
let renders = 0;

const perf: Performance | undefined = typeof performance !== "undefined" ? performance : undefined;

export function mark(name: string): void {
  try {
    perf?.mark(name);
  } catch {
    // A page without the User Timing API: nothing to record.
  }
}

/**
 * Before (`firmly:render-start`) and after (`firmly:render`) each render of the app; the
 * oldest marks go past `KEEP` renders.
 */
export function markRender(when: "start" | "end"): void {
  if (when === "end") {
    renders++;
    mark(RENDER);
    return;
  }
  if (renders >= KEEP) {
    try {
      perf?.clearMarks(RENDER);
      perf?.clearMarks(RENDER_START);
    } catch {
      // As above.
    }
    renders = 0;
  }
  mark(RENDER_START);
}
