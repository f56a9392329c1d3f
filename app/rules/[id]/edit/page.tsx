import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getPool } from "../../../../lib/db/pool";
import { getRule } from "../../../../lib/detect/manage-rules";
import { editorChannels } from "../../editor-channels";
import { editorFields } from "../../editor-fields";
import { RuleEditor } from "../../rule-editor";
import { canAct } from "../../../../lib/auth/access-policy";
import { requirePage } from "../../../../lib/auth/require-page";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Edit rule" };

export default async function EditRulePage({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requirePage("/rules/[id]/edit");
  const id = decodeURIComponent((await params).id);
  const record = await getRule(getPool(), id);
  if (!record) notFound();
  return (
    <div className="space-y-4">
      <p className="text-sm"><Link href="/rules" className="text-sky-800 hover:underline">Rules</Link> / <Link href={`/rules/${encodeURIComponent(id)}`} className="text-sky-800 hover:underline">{id}</Link> / edit</p>
      <h1 className="text-xl font-semibold tracking-tight text-slate-900">Edit {record.rule.title}</h1>
      {record.origin === "built-in" ? <p className="text-sm text-slate-600">A built-in rule: your changes are stored on top of the shipped rule and can be reset.</p> : null}
      <RuleEditor initial={record.rule} mode="update" fields={editorFields()} channels={await editorChannels(getPool())} canRoute={canAct(caller.role, "saveChannelAction")} />
    </div>
  );
}
