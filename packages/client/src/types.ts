import type { components } from "./schema.gen.js";

export type { components, operations, paths } from "./schema.gen.js";

type Schemas = components["schemas"];

/** The body of `campaigns.create`: only `name` is required, unknown properties are rejected. */
export type CreateCampaignRequest = Schemas["CreateCampaignRequest"];
/** What `campaigns.create` resolves to: the new campaign, always a `Draft`. */
export type CreateCampaignResponse = Schemas["CreatedCampaign"];
/** A campaign as the API returns it. */
export type Campaign = Schemas["Campaign"];
/** An inline audience filter: `all` or `any` of at least one condition. */
export type AudienceFilter = Schemas["AudienceFilter"];
/** One audience condition: a `property`, `optIn` or `activity` condition. */
export type AudienceCondition = Schemas["AudienceCondition"];
/** When a campaign sends, as the API returns it (`timestamp` is `null` with `now`). */
export type CampaignScheduling = Schemas["CampaignScheduling"];
/** When a campaign should send, as a request sets it (`timestamp` only with `schedule`). */
export type SchedulingRequest = Schemas["SchedulingRequest"];
/** The JSON body of an error response. Real bodies may carry more fields. */
export type ErrorBody = Schemas["Error"];
