import type pg from "pg";
import { excerptOf } from "../parse-result";
import type { MessageShape } from "./types";

export interface MessageLogEntry {
  messageId: string;
  /** `rejected`: not understood (left for the DLQ); `test`: s3:TestEvent; `ignored`: understood, nothing to ingest. */
  outcome: "rejected" | "test" | "ignored";
  shape: MessageShape;
  reason: string;
  body: string;
  /** SQS `ApproximateReceiveCount`. */
  receiveCount: number;
}

/** Records a message that announced no object (upsert by SQS message id, so redeliveries update one row). */
export async function recordMessage(db: pg.Pool, entry: MessageLogEntry): Promise<void> {
  await db.query(
    `INSERT INTO message_log (message_id, outcome, shape, reason, body_excerpt, receive_count)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (message_id) DO UPDATE SET last_seen_at = now(), outcome = EXCLUDED.outcome,
       shape = EXCLUDED.shape, reason = EXCLUDED.reason,
       receive_count = GREATEST(message_log.receive_count + 1, EXCLUDED.receive_count)`,
    [entry.messageId, entry.outcome, entry.shape, entry.reason, excerptOf(entry.body), entry.receiveCount],
  );
}
