import Link from "next/link";
import { safeHref } from "../../lib/http/safe-href";

const TABS = [
  { href: "/admin/users", label: "Users" },
  { href: "/admin/tokens", label: "API tokens" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

/** The admin section's tabs and heading. */
export function AdminTabs({ current, title, description }: { current: (typeof TABS)[number]["href"]; title: string; description: string }) {
  return (
    <div className="space-y-3">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
        <p className="mt-0.5 text-sm text-slate-500">{description}</p>
      </div>
      <nav aria-label="Admin" className="flex gap-1 border-b border-slate-200">
        {TABS.map((t) => (
          <Link key={t.href} href={safeHref(t.href)} aria-current={t.href === current ? "page" : undefined}
            className={t.href === current ? "border-b-2 border-sky-700 px-3 py-1.5 text-sm font-medium text-sky-800" : "px-3 py-1.5 text-sm text-slate-600 hover:text-slate-900"}>
            {t.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
