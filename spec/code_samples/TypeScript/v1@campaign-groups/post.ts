import { BadRequestError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const group = await loops.campaignGroups.create({
    name: "Product launches",
    description: "Announcements of new features.",
  });
  // Use it as campaignGroupId when creating or updating a campaign.
  console.log(group.id);
} catch (error) {
  if (!(error instanceof BadRequestError)) throw error;
  console.error(`Loops rejected the group: ${error.message}`); // e.g. the reserved name Unsorted
}
