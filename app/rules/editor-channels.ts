import type { Queryable } from "../../lib/db/queryable";
import { listChannels } from "../../lib/notify/channels";
import type { EditorChannel } from "./rule-routing";

/** The channels the rule editor offers for routing: id, name, kind and routing only (never settings or secrets). */
export async function editorChannels(db: Queryable): Promise<EditorChannel[]> {
  return (await listChannels(db)).map((c) => ({ id: c.id, name: c.name, kind: c.kind, routing: c.routing }));
}
