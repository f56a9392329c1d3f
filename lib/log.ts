import pino from "pino";
import { config } from "./config";

/**
 * Structured JSON logs (one object per line on stdout). Ingest lines carry
 * `bucket`, `key` and `messageId`, so one object's story can be grepped.
 */
export type Logger = pino.Logger;

export function createLogger(name: string): Logger {
  return pino({ name, level: config().TRAILWATCH_LOG_LEVEL, base: undefined, timestamp: pino.stdTimeFunctions.isoTime });
}
