// The on-screen keyboard's logic (kiosk policy `touch_keyboard`): which pad a field gets,
// the keys of each pad in each language, and what a key does to a field's text. Built with
// the app: nothing is fetched. The view is views/keyboard.ts.
import type { Lang } from "./i18n";

/** Letters for text; a number pad for numeric fields (card, CVV, expiry, postal code), with `+` for phones. */
export type PadKind = "text" | "email" | "numeric" | "tel";

export type Key =
  | { kind: "char"; char: string }
  | { kind: "space" }
  | { kind: "backspace" }
  | { kind: "shift" }
  | { kind: "done" };

/** The pad a field asks for, from its `inputmode` and `type`. */
export function padFor(field: { inputMode?: string; type?: string }): PadKind {
  const mode = (field.inputMode ?? "").toLowerCase();
  const type = (field.type ?? "").toLowerCase();
  if (mode === "tel" || type === "tel") return "tel";
  if (mode === "numeric" || mode === "decimal" || type === "number") return "numeric";
  if (mode === "email" || type === "email") return "email";
  return "text";
}

/** Whether a focused element takes the on-screen keyboard (a text field that can be typed in). */
export function takesKeyboard(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement) return !el.readOnly && !el.disabled;
  if (!(el instanceof HTMLInputElement)) return false;
  const typed = ["text", "search", "email", "tel", "password", "number", "url", ""];
  return typed.includes(el.type) && !el.readOnly && !el.disabled;
}

const chars = (s: string): Key[] => [...s].map((char) => ({ kind: "char", char }));

/** Each language's letter rows (Spanish has ñ and its accented vowels). */
const LETTERS: Record<Lang, string[]> = {
  en: ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
  es: ["qwertyuiop", "asdfghjklñ", "zxcvbnm"],
};
const ACCENTS: Record<Lang, string> = { en: "", es: "áéíóúü" };

/** The rows of keys of a pad; letters upper-cased while Shift is on. */
export function layout(pad: PadKind, lang: Lang, shift = false): Key[][] {
  if (pad === "numeric" || pad === "tel") {
    return [
      chars("123"),
      chars("456"),
      chars("789"),
      [pad === "tel" ? { kind: "char", char: "+" } : { kind: "backspace" }, ...chars("0"), pad === "tel" ? { kind: "backspace" } : { kind: "done" }],
      ...(pad === "tel" ? [[{ kind: "done" } as Key]] : []),
    ];
  }
  const up = (s: string) => (shift ? s.toLocaleUpperCase(lang) : s);
  const [top, middle, bottom] = LETTERS[lang];
  const rows: Key[][] = [
    chars("1234567890"),
    chars(up(top)),
    chars(up(middle)),
    [{ kind: "shift" }, ...chars(up(bottom)), { kind: "backspace" }],
  ];
  if (ACCENTS[lang]) rows.push(chars(up(ACCENTS[lang])));
  const symbols = pad === "email" ? "@._-+" : "@.,-'/#";
  rows.push([...chars(symbols), { kind: "space" }, { kind: "done" }]);
  return rows;
}

/** A key's test id suffix and name: the character it types, or its function. */
export function keyId(k: Key): string {
  return k.kind === "char" ? k.char : k.kind;
}

/**
 * What a key does to a field's text: the new text and where the caret goes, or `null` when
 * it changes nothing (Shift, Done, a full field, Backspace at the start). A selection is
 * replaced; a field that reports no caret (email) is typed at its end.
 */
export function applyKey(
  value: string,
  start: number | null,
  end: number | null,
  key: Key,
  maxLength = -1,
): { value: string; caret: number } | null {
  const s = Math.min(start ?? value.length, value.length);
  const e = Math.max(s, Math.min(end ?? s, value.length));
  if (key.kind === "char" || key.kind === "space") {
    const text = key.kind === "space" ? " " : key.char;
    const next = value.slice(0, s) + text + value.slice(e);
    if (maxLength >= 0 && next.length > maxLength) return null;
    return { value: next, caret: s + text.length };
  }
  if (key.kind === "backspace") {
    if (e > s) return { value: value.slice(0, s) + value.slice(e), caret: s };
    if (s === 0) return null;
    // A character outside the basic plane is two code units: delete it whole.
    const before = [...value.slice(0, s)];
    before.pop();
    const head = before.join("");
    return { value: head + value.slice(s), caret: head.length };
  }
  return null;
}
