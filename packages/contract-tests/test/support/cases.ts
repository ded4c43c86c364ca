import { test } from "vitest";

/** A test case that may have to be skipped; `skip` is the reason (" — skipped: ...") or "". */
export interface MaybeSkipped {
  skip: string;
}

/**
 * `test.each` over the cases that run, and `test.skip.each` over the others, each named with its
 * reason: a skipped case shows up as skipped and says why, never as a pass.
 */
export function eachCase<T extends MaybeSkipped>(
  cases: readonly T[],
  name: string,
  run: (testCase: T) => Promise<void> | void,
): void {
  const running = cases.filter((testCase) => testCase.skip === "");
  const skipped = cases.filter((testCase) => testCase.skip !== "");
  if (running.length > 0) test.each(running)(name, run);
  if (skipped.length > 0) test.skip.each(skipped)(`${name}$skip`, () => {});
}
