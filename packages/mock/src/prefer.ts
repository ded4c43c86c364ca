// Prism reads the `Prefer` header in prism-http-server, which it does not export; this is the part
// of it the mock honours (code, example, dynamic), re-written on RFC 7240's grammar.

export interface Preferences {
  /** `code=404`: answer with this documented status. */
  code?: number;
  /** `example=sendNow`: serve this named example, verbatim. */
  example?: string;
  /** `dynamic=true|false`: generate the body from the schema, or serve an example. */
  dynamic?: boolean;
}

export type PreferResult = { ok: true; preferences: Preferences } | { ok: false; message: string };

/** Splits on `separator` outside double quotes. */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (char === separator && !quoted) {
      parts.push(text.slice(start, index));
      start = index + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value;
}

/**
 * Reads `Prefer: code=400, example=noSendingDomain` (or `code=400; example=...`, as Prism also
 * takes). Unknown preferences are ignored, as RFC 7240 asks; the first of a repeated one wins.
 */
export function parsePrefer(header: string | undefined): PreferResult {
  const preferences: Preferences = {};
  if (header === undefined) return { ok: true, preferences };
  const seen = new Set<string>();
  for (const preference of splitOutsideQuotes(header, ",")) {
    for (const pair of splitOutsideQuotes(preference, ";")) {
      const equals = pair.indexOf("=");
      const name = (equals < 0 ? pair : pair.slice(0, equals)).trim().toLowerCase();
      if (name === "" || seen.has(name)) continue;
      seen.add(name);
      const value = equals < 0 ? "" : unquote(pair.slice(equals + 1).trim());
      if (name === "code") {
        if (!/^[1-5]\d\d$/.test(value)) {
          return { ok: false, message: `Prefer: code must be an HTTP status, got '${value}'.` };
        }
        preferences.code = Number(value);
      } else if (name === "example") {
        if (value === "") return { ok: false, message: "Prefer: example needs a name." };
        preferences.example = value;
      } else if (name === "dynamic") {
        if (value !== "true" && value !== "false") {
          return { ok: false, message: `Prefer: dynamic must be true or false, got '${value}'.` };
        }
        preferences.dynamic = value === "true";
      }
    }
  }
  return { ok: true, preferences };
}
