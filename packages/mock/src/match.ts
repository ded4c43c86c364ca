// How an expectation meets an entry of the journal or the outbox, and, when it does not, how they
// differ: waitFor, the filters and the vitest matchers' near misses all read it the same way.

/** An expectation: every field given must match; what it leaves out may be anything. */
export type Expected<Value> = Value extends readonly (infer Item)[]
  ? readonly Expected<Item>[] | Expected<Item>
  : Value extends object
    ? { [Field in keyof Value]?: Expected<Value[Field]> }
    : Value;

/** vitest's and jest's `expect.any(String)`, `expect.stringContaining(...)`: used as they say. */
interface AsymmetricMatcher {
  asymmetricMatch(actual: unknown): boolean;
}

function isAsymmetric(value: unknown): value is AsymmetricMatcher {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Partial<AsymmetricMatcher>).asymmetricMatch === "function"
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (isAsymmetric(value)) return String(value);
  const text = value === undefined ? "nothing" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Where `actual` differs from `expected`, one line per field: objects are matched on the fields
 * `expected` gives, arrays item by item, and a single value where the entry has an array (`to:
 * "ada@example.com"`) matches when one of its items does.
 */
export function differences(expected: unknown, actual: unknown, path = ""): string[] {
  const at = path === "" ? "the entry" : path;
  if (isAsymmetric(expected)) {
    return expected.asymmetricMatch(actual)
      ? []
      : [`${at}: expected ${shown(expected)}, got ${shown(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      return [`${at}: expected ${shown(expected)}, got ${shown(actual)}`];
    }
    return expected.flatMap((item, index) => differences(item, actual[index], `${path}[${index}]`));
  }
  if (isPlainObject(expected)) {
    if (!isPlainObject(actual)) return [`${at}: expected an object, got ${shown(actual)}`];
    return Object.entries(expected).flatMap(([field, value]) =>
      differences(value, actual[field], path === "" ? field : `${path}.${field}`),
    );
  }
  if (Array.isArray(actual)) {
    return actual.some((item) => differences(expected, item).length === 0)
      ? []
      : [`${at}: expected an item ${shown(expected)}, got ${shown(actual)}`];
  }
  return Object.is(expected, actual)
    ? []
    : [`${at}: expected ${shown(expected)}, got ${shown(actual)}`];
}

/** Whether the entry meets the expectation, given as fields or as a function of the entry. */
export function meets<Entry>(
  expected: Expected<Entry> | ((entry: Entry) => boolean),
  entry: Entry,
) {
  return typeof expected === "function"
    ? (expected as (entry: Entry) => boolean)(entry)
    : differences(expected, entry).length === 0;
}

/** The entries closest to the expectation first, each with how it differs; at most `count`. */
export function nearMisses<Entry>(
  expected: unknown,
  entries: readonly Entry[],
  count = 3,
): Array<{ entry: Entry; differences: string[] }> {
  return entries
    .map((entry) => ({ entry, differences: differences(expected, entry) }))
    .sort((a, b) => a.differences.length - b.differences.length)
    .slice(0, count);
}
