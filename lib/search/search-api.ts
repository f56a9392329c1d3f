import { getPool } from "../db/pool";
import type { Queryable } from "../db/queryable";
import { parseSearch, SearchQueryError, type SearchQuery } from "./parse-search";
import { searchPage, type SearchRow } from "./search-records";
import type { SearchSource } from "./search-fields";
import { EXPORT_FORMATS, EXPORT_MAX_ROWS, exportFileInfo, exportSearch, type ExportFormat } from "./export-search";

/**
 * The JSON search API's data (GET /api/events, GET /api/flows) and its
 * exports, as plain values: the route handlers in app/api only map them to
 * HTTP. Parameters are the URL contract of lib/search/search-url.ts.
 */

export interface SearchApiBody {
  /** `[from, to)` searched, ISO 8601 UTC (a cursor's window when one was given). */
  range: { from: string; to: string };
  /** The filters as understood: field, include/exclude, values as written. */
  filters: { field: string; exclude: boolean; values: string[] }[];
  account: string | null;
  region: string | null;
  limit: number;
  /** Newest first; `fields` by AWS name (times ISO 8601 UTC, bytes as bytes); every text is attacker-controlled. */
  records: SearchRow[];
  /** Pass as `cursor=` (with the same filters) for the next page; null on the last page. */
  nextCursor: string | null;
}

/** One page of a search. Throws `SearchQueryError` (→ 400) for a bad URL. */
export async function searchApi(source: SearchSource, params: URLSearchParams, db: Queryable = getPool()): Promise<SearchApiBody> {
  const query = parseSearch(source, params);
  const page = await searchPage(query, {}, db);
  return {
    range: { from: query.range.from.toISOString(), to: query.range.to.toISOString() },
    filters: query.filters,
    account: query.account,
    region: query.region,
    limit: query.limit,
    records: page.rows,
    nextCursor: page.nextCursor,
  };
}

export interface ExportRequest {
  query: SearchQuery;
  format: ExportFormat;
  contentType: string;
  filename: string;
  chunks: AsyncGenerator<string>;
}

/**
 * An export of a search: `format=csv|json` plus the search parameters (`cols` picks the CSV columns).
 * Throws `SearchQueryError` for a bad URL or format.
 */
export function exportApi(source: SearchSource, params: URLSearchParams, db: Queryable = getPool()): ExportRequest {
  const format = params.get("format") ?? "csv";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new SearchQueryError([`\`format\` must be one of ${EXPORT_FORMATS.join(", ")}`]);
  const query = parseSearch(source, params);
  const info = exportFileInfo(query, format as ExportFormat);
  return { query, format: format as ExportFormat, ...info, chunks: exportSearch(query, { format: format as ExportFormat }, db) };
}

/**
 * The HTTP response of an export: the chunks streamed as they are produced (pulled, so a slow client
 * slows the queries), as an attachment, never cached. `X-Trailwatch-Export-Cap` names the row cap.
 * A failure mid-stream is passed to `onError` and cuts the download short.
 */
export function exportResponse(exp: ExportRequest, onError: (error: unknown) => void): Response {
  const encoder = new TextEncoder();
  const { chunks } = exp;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        onError(error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": exp.contentType,
      "Content-Disposition": `attachment; filename="${exp.filename}"`,
      "Cache-Control": "no-store",
      "X-Trailwatch-Export-Cap": String(EXPORT_MAX_ROWS),
    },
  });
}
