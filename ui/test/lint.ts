// The string lint and markup checks used by the tests: a small lexer for the UI sources.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Words that are the same in every language: brand and product names. */
export const ALLOWED = new Set(["Firmly Desk", "American Express", "PayPal", "Shop Pay", "Visa", "Mastercard", "Discover"]);

export const SRC = join(__dirname, "..", "src");

/** The UI's own sources: not the catalog, not the generated bindings. */
export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "i18n" ? [] : sourceFiles(p);
    return p.endsWith(".ts") && name !== "bindings.ts" ? [p] : [];
  });
}

/** Every `html` template of the sources, its static parts joined (expressions removed). */
export function htmlTemplates(): [string, string][] {
  return sourceFiles().flatMap((file) =>
    lex(readFileSync(file, "utf8"))
      .templates.filter((t) => t.tag === "html")
      .map((t) => [relative(SRC, file), t.statics.join(EXPR)] as [string, string]),
  );
}

export interface Template {
  tag: string;
  statics: string[];
  line: number;
}
interface Literal {
  text: string;
  line: number;
  before: string;
}

/** Splits TypeScript source into string literals and template literals (with their tag). */
export function lex(src: string): { templates: Template[]; literals: Literal[] } {
  const templates: Template[] = [];
  const literals: Literal[] = [];
  let i = 0;
  const n = src.length;
  const lineAt = (p: number) => src.slice(0, p).split("\n").length;

  function template(tag: string): void {
    const line = lineAt(i);
    const statics: string[] = [];
    let cur = "";
    while (i < n) {
      const c = src[i];
      if (c === "\\") {
        cur += src[i + 1] ?? "";
        i += 2;
      } else if (c === "`") {
        i++;
        statics.push(cur);
        templates.push({ tag, statics, line });
        return;
      } else if (c === "$" && src[i + 1] === "{") {
        statics.push(cur);
        cur = "";
        i += 2;
        code(true);
      } else {
        cur += c;
        i++;
      }
    }
  }

  function code(untilBrace: boolean): void {
    let depth = 0;
    let prev = "";
    while (i < n) {
      const c = src[i];
      if (c === "/" && src[i + 1] === "/") {
        while (i < n && src[i] !== "\n") i++;
      } else if (c === "/" && src[i + 1] === "*") {
        i = src.indexOf("*/", i + 2);
        i = i < 0 ? n : i + 2;
      } else if (c === '"' || c === "'") {
        const start = i;
        let text = "";
        i++;
        while (i < n && src[i] !== c) {
          if (src[i] === "\\") {
            text += src[i + 1];
            i += 2;
          } else text += src[i++];
        }
        i++;
        literals.push({ text, line: lineAt(start), before: src.slice(Math.max(0, start - 40), start) });
        prev = c;
      } else if (c === "`") {
        const tag = /([\w$.]+)\s*$/.exec(src.slice(Math.max(0, i - 40), i))?.[1] ?? "";
        i++;
        template(tag);
        prev = "`";
      } else if (c === "/" && (prev === "" || "(,=:[!&|?{};+-*%<>~^".includes(prev))) {
        // A regular expression literal.
        i++;
        let inClass = false;
        while (i < n && (src[i] !== "/" || inClass)) {
          if (src[i] === "\\") i++;
          else if (src[i] === "[") inClass = true;
          else if (src[i] === "]") inClass = false;
          i++;
        }
        i++;
        while (/[a-z]/.test(src[i] ?? "")) i++;
        prev = "/";
      } else {
        if (c === "{") depth++;
        if (c === "}") {
          if (depth === 0 && untilBrace) {
            i++;
            return;
          }
          depth--;
        }
        if (!/\s/.test(c)) prev = c;
        i++;
      }
    }
  }

  code(false);
  return { templates, literals };
}

const LETTER = /\p{L}/u;
export const EXPR = "\u0000";

function clean(text: string): string {
  return text
    .split(EXPR)
    .join(" ")
    .replace(/&[a-z]+;|&#\d+;/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function allowed(text: string): boolean {
  return !LETTER.test(text) || ALLOWED.has(text);
}

/** Problems in markup (a template's static parts joined, or an HTML file). */
export function markupProblems(markup: string): string[] {
  const out: string[] = [];
  const withoutComments = markup.replace(/<!--[\s\S]*?-->/g, "");
  for (const tag of withoutComments.match(/<[^>]*>/g) ?? []) {
    const attr = /\s(aria-label|title|placeholder|alt|label)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))/g;
    for (let m = attr.exec(tag); m; m = attr.exec(tag)) {
      const value = clean(m[2] ?? m[3] ?? m[4] ?? "");
      if (!allowed(value)) out.push(`${m[1]}="${value}"`);
    }
  }
  for (const chunk of withoutComments.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/g, "").split(/<[^>]*>/)) {
    const text = clean(chunk);
    if (!allowed(text)) out.push(`text "${text}"`);
  }
  return out;
}

const PROSE = [/^\p{Lu}[\p{Ll}']*[ ,]+\p{L}/u, /\p{Ll}+ \p{Ll}+ \p{Ll}+/u];
const DEVELOPER_ONLY = /(console\.\w+|new \w*Error|throw new \w+)\(\s*$/;

function proseProblem(text: string, before: string): string | null {
  const t = clean(text);
  if (!t || ALLOWED.has(t) || DEVELOPER_ONLY.test(before)) return null;
  return PROSE.some((re) => re.test(t)) ? `literal "${t}"` : null;
}

/** Every user-visible string outside the catalog in one source text. */
export function sourceProblems(src: string): string[] {
  const { templates, literals } = lex(src);
  const out: string[] = [];
  for (const tpl of templates) {
    if (tpl.tag === "html") out.push(...markupProblems(tpl.statics.join(EXPR)).map((p) => `${p} (line ${tpl.line})`));
    else {
      const p = proseProblem(tpl.statics.join(EXPR), "");
      if (p) out.push(`${p} (line ${tpl.line})`);
    }
  }
  for (const lit of literals) {
    const p = proseProblem(lit.text, lit.before);
    if (p) out.push(`${p} (line ${lit.line})`);
  }
  return out;
}

