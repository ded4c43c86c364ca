import { createLoopsClient, NotFoundError } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const campaign = await loops.campaigns.get("clp1z5q7s004yl70l4m5n6o7p");
  // Draft, Scheduled, Sending or Sent.
  console.log(campaign.status, campaign.scheduling);
} catch (error) {
  if (!(error instanceof NotFoundError)) throw error;
  console.error("No campaign with this ID.");
}
