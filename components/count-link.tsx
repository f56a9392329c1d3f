import Link from "next/link";
import { formatExact, formatValue } from "./format";
import { safeHref } from "../lib/http/safe-href";

export interface CountLinkProps {
  value: number;
  /** The search page listing the records behind the number; plain text when null. */
  href: string | null;
  unit?: "count" | "bytes";
  /** What the records are, for the link's accessible name: "failed sign-ins" → "List the 12 failed sign-ins". */
  what?: string;
  testId?: string;
  className?: string;
}

/**
 * A number that opens the records it counts. The exact value is in `data-value` and the title, so
 * tests and hover need not parse "12.3K". Zero is plain text: there is nothing to list.
 */
export function CountLink({ value, href, unit = "count", what, testId, className = "" }: CountLinkProps) {
  const text = formatValue(value, unit);
  const exact = formatExact(value, unit);
  if (href === null || value === 0) {
    return (
      <span data-testid={testId} data-value={value} title={exact} className={`whitespace-nowrap tabular-nums ${value === 0 ? "text-slate-400" : ""} ${className}`}>
        {text}
      </span>
    );
  }
  return (
    <Link
      href={safeHref(href)}
      prefetch={false}
      data-testid={testId}
      data-value={value}
      title={`${exact}${what ? ` ${what}` : ""}: open the list`}
      aria-label={`List the ${exact} ${what ?? "records"}`}
      className={`whitespace-nowrap tabular-nums text-sky-800 underline decoration-sky-300 underline-offset-2 hover:text-sky-950 hover:decoration-sky-600 ${className}`}
    >
      {text}
    </Link>
  );
}
