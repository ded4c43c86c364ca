// The package's main entry: the mock over HTTP (`startMock`) and as an in-process `fetch`
// (`createMockFetch`). The MSW handlers are the `./msw` entry.
export { createMockFetch, type MockFetch } from "./adapters/fetch.js";
export { type MockOptions, type RunningMock, startMock } from "./adapters/node-http.js";
export { maxBodyBytes } from "./checks.js";
export type { MockBehaviour } from "./engine.js";
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
  WebhookAttempt,
  WebhookDelivery,
  WebhookListener,
  WebhookMessage,
} from "./webhooks/dispatcher.js";
export { WebhookEndpointError } from "./webhooks/dispatcher.js";
export { WebhookTriggerError } from "./webhooks/emitter.js";
export { WebhookSecretError } from "./webhooks/signing.js";
