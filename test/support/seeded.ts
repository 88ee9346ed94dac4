/**
 * A seeded pseudo-random source (mulberry32) for fault tests that pick their points at random:
 * the seed comes from FASTLANE_TEST_SEED when set, so a failure seen once can be replayed.
 */
export interface Seeded {
  readonly seed: number;
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  below(bound: number): number;
}

export function seededRandom(fromEnv = process.env.FASTLANE_TEST_SEED): Seeded {
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 32) >>> 0;
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return { seed, next, below: (bound) => Math.floor(next() * bound) };
}

/** Runs `body`; a failure is rethrown with the seed that replays it in its message. */
export async function withSeed<T>(random: Seeded, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof Error) error.message = `${error.message}\n(replay with FASTLANE_TEST_SEED=${random.seed})`;
    throw error;
  }
}
