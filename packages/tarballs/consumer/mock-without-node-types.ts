// The mock's entries in a project without @types/node (tsconfig.without-node-types.json): their
// declarations may name only what TypeScript's own libraries have. Each `@ts-expect-error` holds
// only if the types are real, so an entry that resolved to `any` would fail here too.
import {
  connectMock,
  createMockFetch,
  type OutboxEntry,
  type RunningMock,
  startMock,
} from "@loops-contract/mock";
import { type LoopsHandlers, loopsHandlers } from "@loops-contract/mock/msw";

export async function clocks(apiKey: string): Promise<number[]> {
  const mockFetch = await createMockFetch({ now: () => Date.now() });
  const running: RunningMock = await startMock();
  const handlers: LoopsHandlers = loopsHandlers();
  // @ts-expect-error: a clock is read for an API key, a string.
  mockFetch.now(42);
  const sent: OutboxEntry = await connectMock(running.url).waitFor(apiKey, { kind: "preview" });
  // @ts-expect-error: a journal is read for an API key, a string (or null: requests without one).
  mockFetch.journal(42);
  await running.stop();
  return [mockFetch.now(apiKey), handlers.now(apiKey), sent.seq];
}
