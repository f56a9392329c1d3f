/**
 * URL edits of the search pages, shared by their server and client components.
 * Every edit that changes what is searched drops `cursor` (page one again).
 */

/** `basePath?query` with `edit` applied to a copy of the query (and the cursor dropped). */
export function editedHref(basePath: string, query: string, edit: (params: URLSearchParams) => void): string {
  const params = new URLSearchParams(query);
  params.delete("cursor");
  edit(params);
  const text = params.toString();
  return text ? `${basePath}?${text}` : basePath;
}

/** Removes one value of a repeated parameter (or the whole parameter when `value` is undefined). */
export function removeParam(params: URLSearchParams, key: string, value?: string): void {
  if (value === undefined) {
    params.delete(key);
    return;
  }
  const rest = params.getAll(key).filter((v) => v !== value);
  params.delete(key);
  for (const v of rest) params.append(key, v);
}

/** Replaces the time range with `[from, to)` (ISO 8601 UTC). */
export function setRange(params: URLSearchParams, from: Date, to: Date): void {
  params.delete("range");
  params.set("from", from.toISOString());
  params.set("to", to.toISOString());
}
