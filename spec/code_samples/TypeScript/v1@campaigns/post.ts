import { BadRequestError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

try {
  const campaign = await loops.campaigns.create({
    name: "Spring announcement",
    campaignGroupId: "clq3b7s9u007yl70u9v0w1x2y",
    audienceSegmentId: "clr4c8t0v008yl70x3y4z5a6b",
    scheduling: {
      method: "schedule",
      // Loops refuses a time in the past: here, a week from now.
      timestamp: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000).toISOString(),
    },
  });
  // Next: give the email message its subject and content
  // with Update an email message, using these two IDs.
  console.log(campaign.emailMessageId, campaign.emailMessageContentRevisionId);
} catch (error) {
  if (!(error instanceof BadRequestError)) throw error;
  console.error(`Loops rejected the campaign: ${error.message}`);
}
