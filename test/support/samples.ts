import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** ../shared/samples beside the checkout (CI always has it). */
export const SHARED_SAMPLES = path.resolve(REPO_ROOT, "../shared/samples");

/** Reads a file from ../shared/samples; throws a plain error when the folder is missing. */
export async function sharedSample(relative: string): Promise<Buffer> {
  if (!existsSync(SHARED_SAMPLES)) throw new Error(`the samples folder ${SHARED_SAMPLES} is missing: these tests need ../shared/samples beside the checkout`);
  return readFile(path.join(SHARED_SAMPLES, relative));
}

/** A logger that writes nothing (tests assert on state, not on log lines). */
export const silentLog = pino({ level: "silent" });
