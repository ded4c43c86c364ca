export {
  type CheckedOperation,
  type DriftCheckOptions,
  type DriftReport,
  runDriftCheck,
} from "./check.js";
export { type Drift, type DriftKind, findDrift, type ResponseHeaders } from "./find-drift.js";
export {
  CallCapReachedError,
  CouldNotRunError,
  DriftHttp,
  getOnlyFetch,
  type HttpOptions,
  type HttpResponse,
  NonGetRequestError,
} from "./http.js";
export { exitCodes, type MainIo, main } from "./main.js";
export { describeDrift, formatJunit, formatText } from "./report.js";
