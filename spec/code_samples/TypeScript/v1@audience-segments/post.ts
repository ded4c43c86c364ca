import { BadRequestError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const segment = await loops.audienceSegments.create({
    name: "Q1 signups with a company",
    filter: {
      match: "all",
      conditions: [
        {
          type: "property",
          key: "createdAt",
          operator: "between",
          value: { from: "2026-01-01T00:00:00.000Z", to: "2026-03-31T23:59:59.000Z" },
        },
        { type: "property", key: "company", operator: "notEmpty" },
      ],
    },
  });
  // Target it with audienceSegmentId on a campaign.
  console.log(segment.id);
} catch (error) {
  if (!(error instanceof BadRequestError)) throw error;
  console.error(`Loops rejected the segment: ${error.message}`); // e.g. a name already taken
}
