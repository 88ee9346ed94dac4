import Transport from 'winston-transport';

export interface LogLine {
  readonly timestamp: string;
  readonly level: string;
  readonly message: string;
}

/** A winston transport handing each line to `sink` (the monitor, which posts them in batches). */
export class LineTransport extends Transport {
  constructor(private readonly sink: (line: LogLine) => void) {
    super();
  }

  override log(info: { level: string; message: unknown }, next: () => void): void {
    this.sink({ timestamp: new Date().toISOString(), level: info.level, message: String(info.message) });
    next();
  }
}
