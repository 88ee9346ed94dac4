import type { ErrorCode } from '../errors.js';

/** The CLI's exit codes (README "Exit codes"). */
export const EXIT = {
  OK: 0,
  RUN_FAILED: 1,
  BAD_USAGE_OR_CONFIG: 2,
  STOPPED: 130,
} as const;

const BEFORE_CONNECTING: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'FL_USAGE', 'FL_CONFIG_READ', 'FL_CONFIG_JSON', 'FL_CONFIG_INVALID', 'FL_CONFIG_ENV', 'FL_CONFIG_MISMATCH', 'FL_UNKNOWN_CONNECTOR',
]);

/** Usage and config mistakes exit 2 (nothing ran); everything else that fails a run exits 1. */
export function exitCodeFor(code: ErrorCode): number {
  return BEFORE_CONNECTING.has(code) ? EXIT.BAD_USAGE_OR_CONFIG : EXIT.RUN_FAILED;
}
