import { BadRequestError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const segment = await loops.audienceSegments.create({
    name: "Pro plan, opted in",
    description: "Paying customers on the Pro plan who confirmed their subscription.",
    filter: {
      match: "all",
      conditions: [
        { type: "property", key: "plan", operator: "equals", value: "pro" },
        { type: "optIn", status: "accepted" },
      ],
    },
  });
  // Target it with audienceSegmentId on a campaign.
  console.log(segment.id);
} catch (error) {
  if (!(error instanceof BadRequestError)) throw error;
  console.error(`Loops rejected the segment: ${error.message}`); // e.g. a name already taken
}
