import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// One page: its campaigns in `data`, and `pagination.nextCursor` for the next one.
const { data, pagination } = await loops.campaigns.list({ perPage: 50 });
console.log(`${data.length} of ${pagination.totalResults} campaigns`);

// Or every campaign of every page: the client follows nextCursor until it is null.
for await (const campaign of loops.campaigns.list()) {
  console.log(campaign.id, campaign.status, campaign.name);
}
