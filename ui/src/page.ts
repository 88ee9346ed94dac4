/** What every page hands the router. */
export interface Page {
  readonly title: string;
  readonly element: HTMLElement;
  /** True while what it shows may still change (a run in progress): the router then calls refresh. */
  live: boolean;
  /** Loads (the router calls it once the page is on screen) and reloads what may have changed, in place. */
  refresh(): Promise<void>;
  dispose?(): void;
}

/** Moves to another URL of the UI (`replace`: without a new history entry, for filters). */
export type Navigate = (url: string, replace?: boolean) => void;
