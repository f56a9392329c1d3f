import { drainDetectionQueue, evaluateSchedule, type DetectionContext, type DetectionStats } from "./run-detection";

export interface DetectorOptions extends DetectionContext {
  /** Aborting stops the loop after the pass in progress. */
  signal: AbortSignal;
  /** How often the scheduler evaluates threshold rules on wall-clock time, ms (default 60 000). */
  scheduleEveryMs?: number;
  /** How long the loop sleeps when nobody wakes it, ms (default 5 000): rows loaded by other processes are found this late at most. */
  pollMs?: number;
  /** Called after each pass that changed alerts (the worker wakes its notifier). */
  afterPass?: () => void;
}

export interface Detector {
  /** Ask for a pass now (the ingest worker calls it after each message). */
  wake(): void;
  /** Settles when the loop has stopped. */
  done: Promise<void>;
}

/**
 * The detection loop of a worker process: drains the detection queue whenever
 * woken (or every `pollMs`), and runs the threshold-rule schedule every
 * `scheduleEveryMs`. Errors are logged and retried on the next pass; the loop
 * never throws.
 */
export function startDetector(options: DetectorOptions): Detector {
  const { signal, log } = options;
  const scheduleEveryMs = options.scheduleEveryMs ?? 60_000;
  const pollMs = options.pollMs ?? 5_000;
  let wakeUp: (() => void) | null = null;
  let pending = false;
  const wake = () => {
    pending = true;
    wakeUp?.();
  };
  signal.addEventListener("abort", wake, { once: true });

  const loop = async () => {
    let nextSchedule = 0;
    while (!signal.aborted) {
      pending = false;
      try {
        const drained = await drainDetectionQueue(options);
        report(log, "detection pass", drained);
        if (drained.changes.length) options.afterPass?.();
        if (Date.now() >= nextSchedule) {
          const scheduled = await evaluateSchedule(options);
          report(log, "scheduled evaluation", scheduled);
          if (scheduled.changes.length) options.afterPass?.();
          nextSchedule = Date.now() + scheduleEveryMs;
        }
      } catch (error) {
        log.error({ err: error }, "detection pass failed; retrying");
      }
      if (pending || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(pollMs, Math.max(0, nextSchedule - Date.now())));
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  };
  return { wake, done: loop() };
}

function report(log: DetectorOptions["log"], what: string, stats: DetectionStats): void {
  const opened = stats.changes.filter((c) => c.change === "opened").length;
  if (stats.objects || stats.changes.length || stats.ruleErrors.length) {
    log.info({ objects: stats.objects, opened, updated: stats.changes.length - opened, ruleErrors: stats.ruleErrors.length }, what);
  }
}
