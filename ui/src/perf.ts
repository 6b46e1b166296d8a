// Performance marks for the benchmark (docs/BENCHMARKS.md §1, §7). Marks only: no behaviour
// depends on them. Render marks are cleared now and then so a long session does not grow.
const RENDER = "firmly:render";
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

/** After each render of the app (`firmly:render`); the oldest marks go past `KEEP`. */
export function markRender(): void {
  if (++renders > KEEP) {
    try {
      perf?.clearMarks(RENDER);
    } catch {
      // As above.
    }
    renders = 1;
  }
  mark(RENDER);
}
