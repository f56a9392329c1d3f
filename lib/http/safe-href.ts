/**
 * Links built from data (search links carry principals, buckets, IPs that an attacker wrote) must never
 * run script when followed. `safeHref` passes an app-relative path (`/events?…`, `?page=2`, `#panel`) or an
 * absolute http(s) URL, and turns anything else — `javascript:`, `data:`, `vbscript:`, including the
 * spellings browsers forgive (`\tJaVaScRiPt:`, `java\nscript:`) — into `#`. The URL is read with the WHATWG
 * parser browsers use, so what is checked is what a click would open.
 * Every `href={…}` in app/ and components/ that is not a literal goes through it (checked by
 * lib/http/safe-href.test.ts).
 */
export function safeHref(href: string): string;
export function safeHref(href: string | null | undefined): string | null | undefined;
export function safeHref(href: string | null | undefined): string | null | undefined {
  if (href === null || href === undefined) return href;
  return isSafeHref(href) ? href : "#";
}

/** True when following `href` from one of our pages can only load a page (http or https), never run script. */
export function isSafeHref(href: string): boolean {
  try {
    const { protocol } = new URL(href, "http://trailwatch.invalid/");
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}
