// The package's main entry: the mock over HTTP (`startMock`) and as an in-process `fetch`
// (`createMockFetch`), and a running mock's journal and outbox from another process
// (`connectMock`). The MSW handlers are the `./msw` entry, the vitest matchers `./vitest`.
export { createMockFetch, type MockFetch } from "./adapters/fetch.js";
export { type MockOptions, type RunningMock, startMock } from "./adapters/node-http.js";
export { maxBodyBytes } from "./checks.js";
export {
  type ConnectedMock,
  type ConnectedWebhooks,
  connectMock,
  MockControlError,
} from "./connect.js";
export type { AnsweredBy, CheckName } from "./context.js";
export { defaultRecordBytes, type MockBehaviour, type MockLimits } from "./engine.js";
export type { JournalEntry, JournalFilter } from "./journal.js";
export type { Expected } from "./match.js";
export type {
  ControlId,
  OperationId,
  OutboxKind,
  WebhookEventName,
} from "./operation-ids.gen.js";
export {
  defaultWaitTimeout,
  type MessageEntry,
  type OutboxEntry,
  type OutboxExpected,
  type OutboxFilter,
  type OutboxMatch,
  type SentEntry,
  type WaitForOptions,
  WaitForTimeout,
  type WebhookEntry,
  webhookKind,
} from "./outbox.js";
export type { Instant, RecordKey } from "./recorded.js";
export type { MockChange, MockRecords } from "./records.js";
export { contractHash } from "./responders/prism.js";
export { controlPrefix } from "./routes.js";
export {
  defaultLimits,
  FixtureError,
  type Fixtures,
  type SandboxControls,
  type SandboxLimits,
} from "./sandbox.js";
export type {
  FlushOptions,
  WebhookAttempt,
  WebhookDelivery,
  WebhookListener,
  WebhookMessage,
} from "./webhooks/dispatcher.js";
export { WebhookEndpointError } from "./webhooks/dispatcher.js";
export { WebhookTriggerError } from "./webhooks/emitter.js";
export { WebhookSecretError } from "./webhooks/signing.js";
