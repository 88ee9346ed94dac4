import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export type StopReason = 'SIGINT' | 'SIGTERM' | 'exit file';

/**
 * Asks a run to stop gracefully: on SIGINT/SIGTERM, or when the exit file
 * `<state dir>/<pipeline_id>.exit` appears (as in the seed). The file is removed when seen, so
 * the next run starts normally. A second signal leaves the process to the default handler.
 */
export class StopRequest {
  private reason: StopReason | null = null;
  private readonly listeners: ((reason: StopReason) => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => this.request(signal as StopReason);

  /** What a second Ctrl-C leaves behind, said before the process exits. */
  leftBehind: (() => string) | null = null;

  constructor(readonly exitFile: string | null) {}

  static forPipeline(stateDir: string, pipelineId: string): StopRequest {
    return new StopRequest(join(stateDir, `${pipelineId}.exit`));
  }

  get requested(): StopReason | null {
    return this.reason;
  }

  onStop(listener: (reason: StopReason) => void): void {
    this.listeners.push(listener);
  }

  request(reason: StopReason): void {
    if (this.reason) {
      // A second Ctrl-C means "now": stop waiting for what is in flight.
      if (reason !== 'exit file') {
        if (this.leftBehind) process.stderr.write(`\nfastlane: stopped at once: ${this.leftBehind()}\n`);
        process.exit(130);
      }
      return;
    }
    this.reason = reason;
    for (const listener of this.listeners) listener(reason);
  }

  /** Starts listening for signals and polling the exit file. */
  watch(signals: boolean, pollMs = 500): void {
    if (signals) {
      process.on('SIGINT', this.onSignal);
      process.on('SIGTERM', this.onSignal);
    }
    if (this.exitFile) {
      const file = this.exitFile;
      mkdirSync(join(file, '..'), { recursive: true });
      this.timer = setInterval(() => {
        if (existsSync(file)) {
          rmSync(file, { force: true });
          this.request('exit file');
        }
      }, pollMs);
      this.timer.unref();
    }
  }

  dispose(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    if (this.timer) clearInterval(this.timer);
  }
}
