import { describe, expectTypeOf, test } from "vitest";
import {
  APIError,
  type AudienceCondition,
  AuthenticationError,
  type ConflictError,
  type CreateCampaignRequest,
  type CreateCampaignResponse,
  type components,
  createLoopsClient,
  type ErrorBody,
  type IdempotencyKeyReusedError,
  type InternalServerError,
  MethodNotAllowedError,
  NotFoundError,
  type OperationError,
  type operations,
  RateLimitError,
  type RequestBody,
  type SchedulingRequest,
  type UnexpectedStatusError,
} from "../src/index.js";
import { examples } from "./contract-examples.gen.js";

const { request: requestExamples, success: createdExamples } = examples.createCampaign;

const loops = createLoopsClient({ apiKey: "test-key" });

describe("campaigns.create rejects bodies the API would reject", () => {
  test("a body without name", () => {
    // @ts-expect-error name is required
    loops.campaigns.create({ campaignGroupId: "clq3b7s9u007yl70u9v0w1x2y" });
  });

  test("an unknown field", () => {
    // @ts-expect-error unknown properties are rejected with 400
    loops.campaigns.create({ name: "Spring announcement", subject: "Hello" });
  });

  test("schedule without timestamp", () => {
    // @ts-expect-error schedule needs a timestamp
    loops.campaigns.create({ name: "Spring announcement", scheduling: { method: "schedule" } });
  });

  test("now with a timestamp", () => {
    loops.campaigns.create({
      name: "Spring announcement",
      // @ts-expect-error now must leave timestamp out
      scheduling: { method: "now", timestamp: "2026-04-01T09:00:00.000Z" },
    });
  });

  test("a presence operator with a value", () => {
    loops.campaigns.create({
      name: "Spring announcement",
      audienceFilter: {
        match: "all",
        // @ts-expect-error isTrue compares nothing, so it takes no value
        conditions: [{ type: "property", key: "subscribed", operator: "isTrue", value: "yes" }],
      },
    });
  });

  test("an unknown condition type", () => {
    loops.campaigns.create({
      name: "Spring announcement",
      audienceFilter: {
        match: "all",
        // @ts-expect-error only property, optIn and activity conditions exist
        conditions: [{ type: "tag", key: "vip" }],
      },
    });
  });

  test("a null campaignGroupId", () => {
    // @ts-expect-error campaignGroupId is not nullable
    loops.campaigns.create({ name: "Spring announcement", campaignGroupId: null });
  });
});

describe("campaigns.create accepts what the contract allows", () => {
  test("every named request example of the contract", () => {
    for (const example of Object.values(requestExamples)) {
      expectTypeOf(
        loops.campaigns.create(example),
      ).resolves.toEqualTypeOf<CreateCampaignResponse>();
    }
  });

  test("explicit nulls that clear a field", () => {
    expectTypeOf({
      name: "Newsletter",
      mailingListId: null,
      audienceSegmentId: null,
      audienceFilter: null,
    }).toExtend<CreateCampaignRequest>();
  });

  test("scheduling and conditions narrow on their discriminants", () => {
    expectTypeOf<Extract<SchedulingRequest, { method: "now" }>>().toEqualTypeOf<{
      method: "now";
    }>();
    expectTypeOf<AudienceCondition["type"]>().toEqualTypeOf<"property" | "optIn" | "activity">();
  });
});

describe("the 201 body is typed from the contract", () => {
  test("fields and their nullability", () => {
    const campaign = createdExamples.scheduled as CreateCampaignResponse;
    expectTypeOf(campaign.emailMessageId).toEqualTypeOf<string | null>();
    expectTypeOf(campaign.status).toEqualTypeOf<"Draft">();
    expectTypeOf(campaign.scheduling.timestamp).toEqualTypeOf<string | null>();
    expectTypeOf(campaign.url).toEqualTypeOf<string | undefined>();
  });
});

describe("Guardian rule names", () => {
  type RuleName = components["schemas"]["GuardianRuleName"];
  type KnownRuleName = components["schemas"]["KnownGuardianRuleName"];

  test("offer the names Loops publishes and accept one it adds later", () => {
    expectTypeOf<KnownRuleName>().toExtend<RuleName>();
    expectTypeOf<"missingLinkHrefs">().toExtend<KnownRuleName>();
    expectTypeOf<"aRuleLoopsAddsLater">().toExtend<RuleName>();
    // A bare `string` would accept the same values but make editors offer none of the known names.
    expectTypeOf<RuleName>().not.toEqualTypeOf<string>();
    expectTypeOf<RuleName>().toEqualTypeOf<KnownRuleName | (string & {})>();
  });
});

describe("an update body with minProperties: 1 needs a field", () => {
  test("{} is refused by the methods, call and raw", () => {
    // @ts-expect-error the contract needs at least one field
    loops.campaigns.update("cln0y4p6r003yl70i1j2k3l4m", {});
    // @ts-expect-error the contract needs at least one field
    loops.campaignGroups.update("clq3b7s9u007yl70u9v0w1x2y", {});
    loops.call("updateCampaign", {
      path: { campaignId: "cln0y4p6r003yl70i1j2k3l4m" },
      // @ts-expect-error the contract needs at least one field
      body: {},
    });
    loops.raw.POST("/v1/campaigns/{campaignId}", {
      params: { path: { campaignId: "cln0y4p6r003yl70i1j2k3l4m" } },
      // @ts-expect-error the contract needs at least one field
      body: {},
    });
  });

  test("one field, any one, compiles; an unknown one still does not", () => {
    loops.campaigns.update("cln0y4p6r003yl70i1j2k3l4m", { name: "Spring" });
    loops.campaigns.update("cln0y4p6r003yl70i1j2k3l4m", { mailingListId: null });
    loops.campaigns.update("cln0y4p6r003yl70i1j2k3l4m", { scheduling: { method: "now" } });
    loops.campaignGroups.update("clq3b7s9u007yl70u9v0w1x2y", { description: "Quarterly" });
    // @ts-expect-error an unknown field is not one of the fields
    loops.campaigns.update("cln0y4p6r003yl70i1j2k3l4m", { subject: "Hello" });
  });

  test("a body without minProperties is left as the contract has it", () => {
    type Empty = Record<never, never>;
    expectTypeOf<Empty>().toExtend<RequestBody<operations["updateEmailMessage"]>>();
    expectTypeOf<Empty>().not.toExtend<RequestBody<operations["updateCampaign"]>>();
  });
});

describe("error bodies are typed per operation and status", () => {
  type GetCampaignError = OperationError<operations["getCampaign"]>;

  test("instanceof picks a class out of an operation's errors, with the contract's body", () => {
    const failure = {} as GetCampaignError;
    if (failure instanceof NotFoundError) {
      expectTypeOf(failure).toEqualTypeOf<NotFoundError<ErrorBody>>();
      expectTypeOf(failure.body).toEqualTypeOf<ErrorBody | undefined>();
      expectTypeOf(failure.status).toEqualTypeOf<404>();
    }
    if (failure instanceof AuthenticationError) {
      expectTypeOf(failure.body).toEqualTypeOf<
        components["schemas"]["AuthenticationError"] | undefined
      >();
    }
    if (failure instanceof RateLimitError) {
      expectTypeOf(failure.retryAfterMs).toEqualTypeOf<number | undefined>();
    }
  });

  test("a status the contract documents without a body gives none", () => {
    const failure = {} as GetCampaignError;
    if (failure instanceof MethodNotAllowedError) expectTypeOf(failure.body).toBeUndefined();
  });

  test("the union holds the documented statuses, plus 5xx and undocumented ones", () => {
    expectTypeOf<Extract<GetCampaignError, { status: 409 }>>().toBeNever();
    expectTypeOf<
      Extract<OperationError<operations["updateCampaign"]>, { status: 409 }>
    >().toEqualTypeOf<ConflictError<ErrorBody>>();
    expectTypeOf<InternalServerError>().toExtend<GetCampaignError>();
    expectTypeOf<UnexpectedStatusError>().toExtend<GetCampaignError>();
  });

  test("instanceof on an unknown gives an unknown body, never any", () => {
    const caught: unknown = undefined;
    if (caught instanceof NotFoundError) expectTypeOf(caught.body).toBeUnknown();
    if (caught instanceof APIError) expectTypeOf(caught.body).toBeUnknown();
  });
});

describe("custom contact properties go apart, in properties", () => {
  test("beside the named fields, each a string, number, boolean or null", () => {
    loops.contacts.create({
      email: "ada@example.com",
      mailingLists: { cm06f5v0e45nf0ml5754o9cix: true },
      properties: { plan: "pro", seats: 3, trial: false, referrer: null },
    });
    loops.contacts.update({ userId: "user_8Hq2", properties: { plan: "team" } });
    loops.events.send({
      eventName: "signup",
      email: "ada@example.com",
      properties: { plan: "pro" },
    });
  });

  test("a custom property holding an object or an array does not compile", () => {
    // @ts-expect-error an object is no custom property value
    loops.contacts.create({ email: "ada@example.com", properties: { plan: {} } });
    // @ts-expect-error an array is no custom property value
    loops.events.send({ eventName: "signup", email: "a@example.com", properties: { tags: ["a"] } });
  });

  test("a custom property at the top level does not compile: it goes in properties", () => {
    // @ts-expect-error not a field of the body
    loops.contacts.create({ email: "ada@example.com", plan: "pro" });
  });

  test("named fields keep their own types", () => {
    // @ts-expect-error mailingLists maps list IDs to booleans
    loops.contacts.create({ email: "ada@example.com", mailingLists: { list: "yes" } });
    // @ts-expect-error an update needs email or userId
    loops.contacts.update({ firstName: "Ada" });
  });
});

describe("where the contract takes exactly one of email and userId", () => {
  test("one compiles", () => {
    loops.contacts.delete({ email: "ada@example.com" });
    loops.contacts.delete({ userId: "user_8Hq2" });
    loops.contacts.find({ userId: "user_8Hq2" });
    loops.contacts.getSuppression({ email: "ada@example.com" });
    loops.contacts.removeSuppression({ userId: "user_8Hq2" });
  });

  test("both, or neither, does not", () => {
    // @ts-expect-error both identifiers
    loops.contacts.delete({ email: "ada@example.com", userId: "user_8Hq2" });
    // @ts-expect-error neither identifier
    loops.contacts.delete({});
    // @ts-expect-error both identifiers
    loops.contacts.find({ email: "ada@example.com", userId: "user_8Hq2" });
    // @ts-expect-error neither identifier
    loops.contacts.getSuppression({});
    // @ts-expect-error the query is required
    loops.contacts.removeSuppression();
  });
});

describe("idempotent sends", () => {
  test("take an idempotencyKey; a 409 on a retry is an IdempotencyKeyReusedError", () => {
    loops.transactional.send(
      { transactionalId: "clfq6dinn000yl70fgwwyp82l", email: "ada@example.com" },
      { idempotencyKey: "welcome-user_8Hq2" },
    );
    expectTypeOf<IdempotencyKeyReusedError>().toExtend<ConflictError>();
    expectTypeOf<IdempotencyKeyReusedError["idempotencyKey"]>().toEqualTypeOf<string>();
    expectTypeOf<IdempotencyKeyReusedError["attempts"]>().toEqualTypeOf<number>();
  });
});
