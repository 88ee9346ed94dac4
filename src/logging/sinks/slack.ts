import Transport from 'winston-transport';

export interface SlackSinkOptions {
  /** The incoming-webhook URL (a secret: never logged). */
  readonly webhookUrl: string;
  /** Named in every message. */
  readonly pipelineId: string;
  /** At most one message per this many ms (default 10 s); errors in between are counted. */
  readonly minIntervalMs?: number;
  readonly timeoutMs?: number;
  /** A message that could not be sent (never thrown: logging must not fail a run). */
  readonly onError?: (error: Error) => void;
}

const MAX_TEXT = 3000;

/**
 * Sends error lines (only) to a Slack incoming webhook, rate-limited: the first error goes at
 * once, later ones within the interval are gathered into one message sent when it ends.
 */
export class SlackTransport extends Transport {
  private lastSent = 0;
  private held: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: SlackSinkOptions) {
    super({ level: 'error' });
  }

  override log(info: { level: string; message: unknown }, next: () => void): void {
    if (info.level === 'error') this.accept(String(info.message));
    next();
  }

  /** Sends what is held now, ignoring the rate limit (end of a run); resolves when sent. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.held.length > 0) this.sendHeld();
    return this.chain;
  }

  override close(): void {
    void this.flush();
  }

  private accept(message: string): void {
    this.held.push(message);
    const wait = this.lastSent + (this.options.minIntervalMs ?? 10_000) - Date.now();
    if (wait <= 0) this.sendHeld();
    else if (!this.timer) {
      this.timer = setTimeout(() => { this.timer = undefined; this.sendHeld(); }, wait);
      this.timer.unref();
    }
  }

  private sendHeld(): void {
    const messages = this.held;
    this.held = [];
    this.lastSent = Date.now();
    const more = messages.length > 1 ? `\n(and ${messages.length - 1} more error${messages.length > 2 ? 's' : ''} since)` : '';
    const text = `Fastlane pipeline ${this.options.pipelineId}: ${messages[0]}`.slice(0, MAX_TEXT) + more;
    this.chain = this.chain.then(() => this.post(text));
  }

  private async post(text: string): Promise<void> {
    try {
      const response = await fetch(this.options.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`Slack answered HTTP ${response.status}`);
    } catch (error) {
      this.options.onError?.(error as Error);
    }
  }
}
