/**
 * What a streaming parser yields for each record or line of a log file:
 * either a row ready to load, or a rejection that says why it could not be.
 * Parsers never throw for one bad record; they throw only when the file as a
 * whole cannot be read (e.g. it is not a CloudTrail file at all).
 */
export type ParseResult<Row> = { ok: true; row: Row } | { ok: false; rejection: Rejection };

export interface Rejection {
  /** CloudTrail: 0-based index in `Records`; flow logs: 1-based line number. */
  position: number;
  /** A sentence a person can act on, e.g. `line 7: dstport "http" is not a port number`. */
  reason: string;
  /** The start of the offending input (at most 500 characters), as text. */
  excerpt: string;
}

export const EXCERPT_CHARS = 500;

/** Cuts attacker-controlled input to a storable, displayable excerpt. */
export function excerptOf(text: string): string {
  const clean = text.replace(/\u0000/g, "\uFFFD");
  return clean.length > EXCERPT_CHARS ? `${clean.slice(0, EXCERPT_CHARS)}…` : clean;
}
