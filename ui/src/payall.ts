// Pay all's live rows: one per merchant, moved along by the backend's `pay-all-progressed`
// events (waiting → paying → outcome, or not ready) and settled by the run's answer. A row
// only moves forward: an event that arrives late (after the answer) changes nothing.
import type { Blocker, OrderOutcome, PayAllEntry, PayAllProgress } from "./bindings";

export type PayAllStage = "ready" | "waiting" | "paying" | "done" | "not_ready";

export interface PayAllRow {
  stage: PayAllStage;
  outcome: OrderOutcome | null;
  blockers: Blocker[];
}

/** How far along each stage is: a row never moves back. */
const RANK: Record<PayAllStage, number> = { ready: 0, waiting: 1, paying: 2, done: 3, not_ready: 3 };

export function readyRow(): PayAllRow {
  return { stage: "ready", outcome: null, blockers: [] };
}

/** A row before the run: ready to pay, or what keeps it out. */
export function previewRow(blockers: Blocker[]): PayAllRow {
  return blockers.length ? { stage: "not_ready", outcome: null, blockers } : readyRow();
}

/** The row after one progress event (the same row when the event is behind it). */
export function advance(row: PayAllRow | undefined, p: PayAllProgress): PayAllRow {
  const from = row ?? readyRow();
  if (row && RANK[p.stage] <= RANK[from.stage]) return from;
  switch (p.stage) {
    case "waiting":
      return { stage: "waiting", outcome: null, blockers: [] };
    case "paying":
      return { stage: "paying", outcome: null, blockers: [] };
    case "done":
      return { stage: "done", outcome: p.outcome, blockers: [] };
    case "not_ready":
      return { stage: "not_ready", outcome: null, blockers: p.blockers };
  }
}

/** The row as the run's answer settles it. */
export function settle(e: PayAllEntry): PayAllRow {
  return e.outcome
    ? { stage: "done", outcome: e.outcome, blockers: [] }
    : { stage: "not_ready", outcome: null, blockers: e.not_ready };
}

/** The word of a row's state: its stage, or its outcome once done. */
export function rowState(row: PayAllRow): "ready" | "waiting" | "paying" | "not_ready" | "placed" | "not_placed" | "unknown" {
  return row.stage === "done" && row.outcome ? row.outcome.outcome : row.stage === "done" ? "unknown" : row.stage;
}
