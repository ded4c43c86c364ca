import { ConflictError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  // A segment with an inline filter on top of it, sent at a set time.
  const campaign = await loops.campaigns.update("clp1z5q7s004yl70l4m5n6o7p", {
    audienceSegmentId: "clr4c8t0v008yl70x3y4z5a6b",
    audienceFilter: {
      match: "all",
      conditions: [
        { type: "property", key: "plan", operator: "equals", value: "pro" },
        { type: "optIn", status: "accepted" },
      ],
    },
    // Loops refuses a time in the past: here, a week from now.
    scheduling: {
      method: "schedule",
      timestamp: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString(),
    },
  });
  console.log(campaign.status, campaign.scheduling);
} catch (error) {
  if (!(error instanceof ConflictError)) throw error;
  // Sent already: only name and campaignGroupId can still change.
  console.error(error.message);
}
