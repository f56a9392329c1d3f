"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { safeHref } from "../lib/http/safe-href";

export interface NavItem {
  href: string;
  label: string;
  /** A report: the link carries the current report filters along. */
  report?: boolean;
}

/** The report filters a move between reports keeps (lib/reports/report-filters.ts). */
const FILTER_PARAMS = ["range", "from", "to", "account", "region"] as const;

/**
 * Top-bar navigation; highlights the section the current path is in. Between reports it keeps the
 * time range, account and region, so switching report looks at the same slice of data.
 */
export function MainNav({ items }: { items: readonly NavItem[] }) {
  const pathname = usePathname();
  const params = useSearchParams();
  const onReport = items.some((i) => i.report && (pathname === i.href || pathname.startsWith(`${i.href}/`)));
  const carried = new URLSearchParams();
  if (onReport) for (const name of FILTER_PARAMS) for (const v of params.getAll(name)) carried.append(name, v);
  const query = carried.toString();
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => {
        const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={safeHref(item.report && query ? `${item.href}?${query}` : item.href)}
            aria-current={active ? "page" : undefined}
            className={
              active
                ? "rounded-md bg-white/10 px-3 py-1.5 text-sm font-medium text-white"
                : "rounded-md px-3 py-1.5 text-sm font-medium text-slate-300 hover:bg-white/5 hover:text-white"
            }
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
