import { Panel, Td, Th, UtcTime } from "../../components/panel";

export { Panel, Td, Th, UtcTime };

/** An S3 object key (attacker-controlled): monospace, broken anywhere so it never widens the table. */
export function ObjectKey({ bucket, objectKey }: { bucket?: string; objectKey: string }) {
  return (
    <div className="min-w-0">
      <div className="break-all font-mono text-xs leading-5 text-slate-800">{objectKey}</div>
      {bucket !== undefined ? <div className="break-all font-mono text-[11px] leading-4 text-slate-400">s3://{bucket}</div> : null}
    </div>
  );
}
