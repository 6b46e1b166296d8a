// The one module that talks to Rust. Everything else imports typed functions from here,
// so UI tests can replace the backend with `mockIPC`.
import { commands, events } from "./bindings";
import type { ApiError, ErrorCode, Field } from "./bindings";

export type { ApiError, ErrorCode };
export { commands, events };

/** A backend error with the typed contract of ARCHITECTURE.md §1. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly rawCode: string | null;
  /** The input field the error is about (`number`, `cvv`, `email`, `promo` …). */
  readonly field: Field | null;
  readonly status: number | null;
  /** The merchant's own words: shown as they came. */
  readonly description: string | null;
  readonly retryable: boolean;
  readonly requestId: string | null;
  /** The server's `details` (v2 errors), or the desk's own counts (a PIN pad's tries). */
  readonly details: ApiError["details"] | null;

  constructor(e: ApiError) {
    super(e.message);
    this.name = "DeskError";
    this.code = e.code;
    this.rawCode = e.raw_code ?? null;
    this.field = e.field ?? null;
    this.status = e.status ?? null;
    this.description = e.description ?? null;
    this.retryable = e.retryable;
    this.requestId = e.request_id ?? null;
    this.details = e.details ?? null;
  }
}

type Result<T> = { status: "ok"; data: T } | { status: "error"; error: ApiError };

const utf8 = new TextDecoder();

/**
 * Text a command answers as bytes: `raw_cart` sends the cart's JSON text as an
 * `ArrayBuffer`, neither escaped into a JSON string in Rust nor parsed back here
 * (src-tauri/commands.rs `RawText`). `null` stays `null`.
 */
export function rawText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return utf8.decode(v);
  if (typeof v === "string") return v;
  // A bug, not a person's mistake: the banner shows the catalog's words for `Internal`.
  throw new DeskError({ code: "Internal", message: `rawText(${typeof v})`, retryable: false });
}

/** Unwraps a typed command result, throwing `DeskError` on failure. */
export async function call<T>(p: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await p;
  } catch (e) {
    throw toDeskError(e);
  }
  if (r.status === "error") throw new DeskError(r.error);
  return r.data;
}

/** A `DeskError` back in the contract's shape (to keep it inside a backend view). */
export function toApiError(e: DeskError): ApiError {
  return {
    code: e.code,
    raw_code: e.rawCode,
    message: e.message,
    field: e.field,
    status: e.status,
    description: e.description,
    retryable: e.retryable,
    request_id: e.requestId,
  };
}

/** Any thrown value as a `DeskError` (IPC failures, bugs). */
export function toDeskError(e: unknown): DeskError {
  if (e instanceof DeskError) return e;
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Partial<ApiError> & { code: unknown; message: unknown };
    return new DeskError({
      ...o,
      code: String(o.code) as ErrorCode,
      message: String(o.message),
      retryable: Boolean(o.retryable),
    });
  }
  return new DeskError({ code: "Internal", message: String(e), retryable: false });
}
