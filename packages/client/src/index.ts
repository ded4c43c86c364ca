export {
  createLoopsClient,
  DEFAULT_BASE_URL,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  type LoopsClient,
  type LoopsClientOptions,
} from "./client.js";
export type { Logger, RequestOptions } from "./core.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  type ErrorByStatus,
  IdempotencyKeyReusedError,
  InternalServerError,
  LoopsError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitError,
  type ResponseDrift,
  type ResponseValidationDetails,
  ResponseValidationError,
  UnexpectedStatusError,
  UnprocessableEntityError,
} from "./errors.js";
export type {
  AtLeastOneField,
  CallInput,
  ExactlyOneOf,
  OperationError,
  PageItem,
  PathParameters,
  QueryParameters,
  RequestBody,
  SuccessBody,
  WithCustomProperties,
} from "./operation-types.js";
export { PagePromise } from "./pagination.js";
export type { Resources } from "./resources.gen.js";
export type {
  AudienceCondition,
  AudienceFilter,
  Campaign,
  CampaignScheduling,
  CreateCampaignRequest,
  CreateCampaignResponse,
  components,
  ErrorBody,
  operations,
  paths,
  SchedulingRequest,
} from "./types.js";
