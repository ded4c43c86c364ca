// How the inspector names an API key without showing it: a handle for its URLs, unguessable and
// stable while the mock runs, and the key masked for people to tell keys apart.
import { createHmac, randomBytes } from "node:crypto";

export class KeyHandles {
  /** A new secret for each mock: a handle says nothing about its key, and outlives no run. */
  readonly #secret = randomBytes(32);

  handle(apiKey: string): string {
    return createHmac("sha256", this.#secret).update(apiKey).digest("base64url").slice(0, 16);
  }

  /** The key among `keys` whose handle this is. */
  find(keys: readonly string[], handle: string): string | undefined {
    return keys.find((key) => this.handle(key) === handle);
  }
}

/** The key's first and last characters, at most a quarter of it each and four at most. */
export function masked(apiKey: string): string {
  const shown = Math.min(4, Math.floor(apiKey.length / 4));
  if (shown === 0) return "…";
  return `${apiKey.slice(0, shown)}…${apiKey.slice(-shown)}`;
}
