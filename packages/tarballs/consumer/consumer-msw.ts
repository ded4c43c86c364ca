// The MSW entry, apart: msw 3 ships ES modules only, so a CommonJS (node10) project cannot use it,
// and the commonjs check leaves this file out when msw 3 is installed.
import { loopsHandlers } from "@loops-contract/mock/msw";
import { setupServer } from "msw/node";

export function mswServer() {
  const handlers = loopsHandlers({ stateless: true });
  // @ts-expect-error: a reset names an API key, a string.
  handlers.reset(42);
  return setupServer(...handlers);
}
