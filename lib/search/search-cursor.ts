import type { SearchSource } from "./search-fields";

/**
 * The keyset cursor of a search page: the sort key of the last row shown, plus
 * the time window of the first page. Results are ordered by time descending,
 * ties broken by the primary key descending (CloudTrail: account, eventID; flow
 * records: object id, line number), so "rows after the cursor" is exact and
 * stable while ingest adds rows: no row is skipped or shown twice, and a
 * sliding preset (`range=24h`) does not move under a reader who pages on.
 *
 * On the wire it is opaque: base64url of `{"t":<ISO time>,"k":[…key],"f":<ISO>,"u":<ISO>}`.
 */
export interface SearchCursor {
  /** Time of the last row shown (UTC, millisecond precision). */
  time: Date;
  /** Its primary key: CloudTrail `[recipientAccountId, eventID]`; flows `[objectId (decimal string), lineNumber]`. */
  key: readonly [string, string] | readonly [string, number];
  /** The window of the first page, `[from, to)` UTC. */
  from: Date;
  to: Date;
}

export class SearchCursorError extends Error {
  override name = "SearchCursorError";
}

export function encodeCursor(cursor: SearchCursor): string {
  const body = { t: cursor.time.toISOString(), k: cursor.key, f: cursor.from.toISOString(), u: cursor.to.toISOString() };
  return Buffer.from(JSON.stringify(body), "utf8").toString("base64url");
}

/** Reads a cursor of `source`. Throws `SearchCursorError` for anything this module did not write. */
export function decodeCursor(source: SearchSource, text: string): SearchCursor {
  const bad = () => new SearchCursorError("`cursor` is not a cursor of this search (take it from a previous page)");
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) throw bad();
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  if (typeof body !== "object" || body === null) throw bad();
  const { t, k, f, u } = body as Record<string, unknown>;
  const time = instant(t);
  const from = instant(f);
  const to = instant(u);
  if (!time || !from || !to || from.getTime() >= to.getTime() || !Array.isArray(k) || k.length !== 2) throw bad();
  if (source === "cloudtrail") {
    if (typeof k[0] !== "string" || typeof k[1] !== "string" || k[1] === "") throw bad();
    return { time, key: [k[0], k[1]], from, to };
  }
  if (typeof k[0] !== "string" || !/^\d{1,19}$/.test(k[0]) || !Number.isInteger(k[1]) || (k[1] as number) < 0) throw bad();
  return { time, key: [k[0], k[1] as number], from, to };
}

function instant(value: unknown): Date | null {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
