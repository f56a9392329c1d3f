import type { Metadata } from "next";
import Link from "next/link";
import { getPool } from "../../../lib/db/pool";
import { getRule } from "../../../lib/detect/manage-rules";
import type { Rule } from "../../../lib/detect/rule-schema";
import { editorChannels } from "../editor-channels";
import { editorFields } from "../editor-fields";
import { RuleEditor } from "../rule-editor";
import { canAct } from "../../../lib/auth/access-policy";
import { requirePage } from "../../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "New rule" };

const BLANK: Rule = {
  id: "", title: "", description: "", response: "", severity: "medium", techniques: [], source: "cloudtrail", enabled: false,
  match: { all: [{ field: "eventName", op: "equals", value: "" }] }, allow: {}, dedupMinutes: 60,
};

/** A new rule, blank or (`?clone=<id>`) a copy of another under a new id. */
export default async function NewRulePage({ searchParams }: { searchParams: Promise<{ clone?: string }> }) {
  const caller = await requirePage("/rules/new");
  const clone = (await searchParams).clone;
  const source = clone ? await getRule(getPool(), clone) : null;
  const initial: Rule = source ? { ...source.rule, id: `${source.rule.id}-copy`, title: `${source.rule.title} (copy)`, enabled: false } : BLANK;
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link href="/rules" className="text-sky-800 hover:underline">Rules</Link> / new</p>
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">{source ? `Clone of ${source.rule.title}` : "New rule"}</h1>
      <RuleEditor initial={initial} mode="create" fields={editorFields()} channels={await editorChannels(getPool())} canRoute={canAct(caller.role, "saveChannelAction")} />
    </div>
  );
}
