// The agent's support drawer, receipts, and keyboard use of dialogs.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { changed, state } from "../src/state";
import { boot, chooseLanguage, idleWarning, startShopping } from "../src/session";
import { openSupport, refreshSupport } from "../src/support";
import { htmlTemplates } from "./lint";
import { appInfo, byTestId, called, click, fail, flush, on, order, readyCart, setup, teardown } from "./fixtures";

beforeEach(setup);
afterEach(() => {
  openSupport(false);
  teardown();
  vi.unstubAllGlobals();
});

const agent = () => appInfo({ mode: "agent" });

describe("the support panel", () => {
  it("shows the request log, raw JSON and the audit log, newest last", async () => {
    on("app_info", agent);
    on("request_log", () => [{ method: "GET", path: "/api/v2/cart", status: 200, duration_ms: 12, request_id: "ray-7", at: "2026-11-22T00:00:00Z" }]);
    // As Tauri delivers it: the text's bytes (src-tauri/commands.rs `RawText`).
    on("raw_cart", () => new TextEncoder().encode('{"cart_id":"c1","note":"señor"}').buffer);
    on("audit_log", (a) => {
      expect(a.limit).toBe(200);
      return [
        { at: "2026-11-22T00:00:00Z", mode: "agent", merchant: null, action: "desk_started", outcome: "agent" },
        { at: "2026-11-22T00:01:00Z", mode: "agent", merchant: "staging.luma.gift", action: "place_order", outcome: "sent" },
      ];
    });
    await boot();
    click("support-open");
    await refreshSupport();
    await flush();
    expect(byTestId("request-log")?.textContent).toContain("ray-7");
    expect(byTestId("raw-json")?.textContent).toContain('"cart_id":"c1","note":"señor"');
    const rows = [...byTestId("audit-log")!.querySelectorAll("tbody tr")].map((r) => r.textContent);
    expect(rows[0]).toContain("desk_started");
    expect(rows[1]).toContain("place_order");
  });

  it("exports a redacted snapshot, to a chosen place when asked", async () => {
    on("app_info", agent);
    on("export_snapshot", () => "/data/snapshot.json");
    await boot();
    await flush();
    click("support-open");
    await flush();
    click("export-snapshot");
    await flush();
    expect(called("export_snapshot")[0].args).toEqual({ redact: true, chooseLocation: false });
    click("snapshot-redact");
    click("save-choose");
    await flush();
    on("export_snapshot", () => null);
    click("export-snapshot");
    await flush();
    expect(called("export_snapshot")[1].args).toEqual({ redact: false, chooseLocation: true });
    expect(state.announce).toContain("cancelled");
    on("export_audit", () => "/data/audit.jsonl");
    click("export-audit");
    await flush();
    expect(called("export_audit")[0].args).toEqual({ chooseLocation: true });
    expect(byTestId("support-saved-to")?.textContent).toContain("/data/audit.jsonl");
  });

  it("copies diagnostics to the desk's clipboard, or shows them read-only when that fails", async () => {
    on("app_info", agent);
    const diag = {
      version: "0.1.0",
      platform: "Linux 6.8 (Ubuntu 24.04), WebKitGTK 2.46.0",
      mode: "agent",
      environment: "Sandbox",
      api_base: "x",
      device_id: "d",
      recent_errors: [],
      log_tail: [],
      text: "Firmly Desk 0.1.0\ndevice d",
    };
    on("diagnostics", () => diag);
    on("copy_text", () => null);
    await boot();
    await flush();
    click("support-open");
    await flush();
    // The panel shows the platform and the device id (no longer in the header).
    expect(byTestId("diagnostics-platform")?.textContent).toContain("WebKitGTK 2.46.0");
    expect(byTestId("device-id")?.textContent).toBe("d");
    click("copy-diagnostics");
    await flush();
    expect(called("copy_text").at(-1)?.args).toEqual({ text: "Firmly Desk 0.1.0\ndevice d" });
    expect(byTestId("diagnostics-text")).toBeNull();
    on("copy_text", fail({ code: "Internal", message: "no clipboard" }));
    click("copy-diagnostics");
    await flush();
    const box = byTestId<HTMLTextAreaElement>("diagnostics-text");
    expect(box?.value).toContain("device d");
    expect(box?.readOnly).toBe(true);
  });

  it("is not shown on a kiosk, and neither are receipts to save", async () => {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    on("get_cart", () => readyCart());
    await boot();
    await startShopping();
    state.order = order();
    changed();
    await flush();
    expect(byTestId("support-open")).toBeNull();
    expect(byTestId("save-receipt")).toBeNull();
    expect(byTestId("save-receipt-as")).toBeNull();
    // Done ends the visit; no other cart holds items, so there is nothing to go back to.
    expect(byTestId("order-done")).not.toBeNull();
    expect(byTestId("new-order")).toBeNull();
  });

  it("saves a receipt in the language on screen, or as… a chosen file; cancelling says so", async () => {
    on("get_cart", () => readyCart());
    on("save_receipt", (a) => (a.chooseLocation ? null : "/data/receipts/SBX-1.txt"));
    await boot();
    state.order = order();
    changed();
    await flush();
    click("save-receipt");
    await flush();
    expect(byTestId("saved-to")?.textContent).toContain("SBX-1.txt");
    expect(called("save_receipt")[0].args.words).toMatchObject({ order: "Order", total: "Total", paid_with: "Paid with Visa ending in 1111" });
    click("save-receipt-as");
    await flush();
    expect(called("save_receipt")[1].args).toMatchObject({ chooseLocation: true });
    expect(state.announce).toContain("cancelled");
    await chooseLanguage("es");
    await flush();
    click("save-receipt");
    await flush();
    expect(called("save_receipt")[2].args.words).toMatchObject({
      order: "Pedido",
      addons: "Complementos",
      paid_with: "Pagado con Visa terminada en 1111",
      merchant_receipt: "Recibo de la tienda:",
    });
  });
});

describe("keyboard", () => {
  /** A kiosk shopper on the end-session button when the idle warning opens; returns the button. */
  async function idleWarningOverEndSession(): Promise<HTMLButtonElement> {
    on("app_info", () => appInfo({ mode: "kiosk" }));
    await boot();
    await startShopping();
    await flush();
    const opener = byTestId<HTMLButtonElement>("end-session")!;
    opener.focus();
    idleWarning(10);
    await flush();
    return opener;
  }

  it("a dialog takes focus, keeps Tab inside, and gives focus back when it closes", async () => {
    const opener = await idleWarningOverEndSession();
    const dialog = byTestId("idle-warning")!;
    expect(dialog.getAttribute("role")).toBe("alertdialog");
    expect(document.activeElement).toBe(byTestId("idle-continue"));
    const tab = new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true });
    byTestId("idle-continue")!.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(byTestId("idle-continue"));
    dialog.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect(byTestId("idle-warning")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("a dialog redrawn while open (the idle countdown) keeps the focus and the way back", async () => {
    const opener = await idleWarningOverEndSession();
    expect(document.activeElement).toBe(byTestId("idle-continue"));
    // The person moves the focus onto the dialog itself; the countdown redraws it twice.
    const box = byTestId("idle-warning")!;
    box.focus();
    idleWarning(9);
    await flush();
    idleWarning(8);
    await flush();
    expect(byTestId("idle-warning")?.textContent).toContain("8");
    expect(document.activeElement).toBe(box);
    box.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await flush();
    expect(byTestId("idle-warning")).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it("every input has a label", async () => {
    on("app_info", agent);
    on("get_cart", () => readyCart());
    await boot();
    await flush();
    const root = byTestId("env-badge")!.closest("body")!;
    for (const input of root.querySelectorAll("input, select, textarea")) {
      const id = input.id;
      const labelled =
        (id && root.querySelector(`label[for="${id}"]`)) || input.closest("label") || input.getAttribute("aria-label");
      expect(labelled, input.outerHTML.slice(0, 80)).toBeTruthy();
    }
  });

  it("has no mouse-only handlers: @click sits on buttons, links and form controls only", () => {
    const problems: string[] = [];
    for (const [file, tpl] of htmlTemplates()) {
      for (const tag of tpl.match(/<[^>]*>/g) ?? []) {
        const name = /^<([\w-]+)/.exec(tag)?.[1] ?? "";
        if (/@(mouse\w+|dblclick|hover)\b/.test(tag)) problems.push(`${file}: ${tag.slice(0, 60)}`);
        if (tag.includes("@click=") && !["button", "a", "input", "summary"].includes(name)) problems.push(`${file}: ${tag.slice(0, 60)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
