import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { isSafeHref, safeHref } from "./safe-href";

const ROOT = path.resolve(import.meta.dirname, "../..");

test("app-relative paths and http(s) URLs pass; script URLs in any spelling become #", () => {
  for (const href of ["/events?f.userAgent=%3Cscript%3E", "?cursor=abc", "#panel", "/alerts/12", "https://docs.aws.amazon.com/x", "events"]) assert.equal(safeHref(href), href);
  for (const href of ["javascript:alert(1)", "\tJaVaScRiPt:alert(1)", "java\nscript:alert(1)", " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "\u0000javascript:alert(1)"]) {
    assert.equal(safeHref(href), "#", JSON.stringify(href));
    assert.equal(isSafeHref(href), false);
  }
  assert.equal(safeHref(null), null);
  assert.equal(safeHref(undefined), undefined);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith(".test.ts") ? [full] : [];
  });
}

/** The `{…}` expression starting at `open` (the index of `{`), braces balanced. */
function braced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Where in app/ and components/ data could become markup or a script URL: "file:line what". */
function offenders(): string[] {
  const found: string[] = [];
  for (const file of [...sourceFiles(path.join(ROOT, "app")), ...sourceFiles(path.join(ROOT, "components"))]) {
    const text = readFileSync(file, "utf8");
    const at = (index: number) => `${path.relative(ROOT, file)}:${text.slice(0, index).split("\n").length}`;
    for (const m of text.matchAll(/dangerouslySetInnerHTML|\.(?:inner|outer)HTML\b|insertAdjacentHTML|document\.write|\bsrcDoc\b|\beval\(|new Function\(/g)) found.push(`${at(m.index)} ${m[0]}`);
    // An href on an element (<a>, <Link>) whose value is not a literal path must go through safeHref.
    for (const m of text.matchAll(/(?<![\w.])href=\{/g)) {
      const tag = [...text.slice(0, m.index).matchAll(/<([A-Za-z][\w.]*)/g)].at(-1)?.[1] ?? "";
      if (tag !== "a" && tag !== "Link") continue; // our own components' href props: they apply safeHref themselves
      const expr = braced(text, m.index + "href=".length).trim();
      if (/^(["'])/.test(expr) || /^`[/?#]/.test(expr) || expr.startsWith("safeHref(")) continue;
      found.push(`${at(m.index)} <${tag} href={${expr.slice(0, 60)}}>`);
    }
  }
  return found;
}

test("no HTML sinks in app/ and components/, and every computed link goes through safeHref", () => {
  assert.deepEqual(offenders(), []);
});
