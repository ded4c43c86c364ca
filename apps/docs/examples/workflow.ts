// The whole campaign workflow, from a new draft to a scheduled send, with @loops-contract/client:
//
//   LOOPS_API_KEY=... LOOPS_PREVIEW_TO=you@example.com pnpm --filter @loops-contract/docs example
//
// Against a real team this creates a campaign, sends a preview to LOOPS_PREVIEW_TO and schedules
// the campaign for tomorrow to the contacts on the "pro" plan who opted in: point LOOPS_BASE_URL
// at the mock (`pnpm mock`) to try it without sending anything.
import { ConflictError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
const previewTo = process.env.LOOPS_PREVIEW_TO;
if (!apiKey || !previewTo) throw new Error("Set LOOPS_API_KEY and LOOPS_PREVIEW_TO first.");

const loops = createLoopsClient({
  apiKey,
  ...(process.env.LOOPS_BASE_URL ? { baseUrl: process.env.LOOPS_BASE_URL } : {}),
});

// 1. A draft campaign, which comes with an empty email message.
const created = await loops.campaigns.create({ name: "Spring announcement" });
const messageId = created.emailMessageId;
if (messageId === null) throw new Error(`Campaign ${created.id} came without an email message.`);
console.log(`1. Created draft campaign ${created.id} with email message ${messageId}`);

// 2. Its email message, and the content revision that the first update is based on.
const message = await loops.emailMessages.get(messageId);
const revision = message.contentRevisionId ?? created.emailMessageContentRevisionId;
console.log(`2. Read email message ${message.id} (revision ${revision})`);

// 3. Subject, sender and content. The revision guards against overwriting someone else's edit:
//    on a 409, read the message again and redo the change on what is there now.
try {
  const updated = await loops.emailMessages.update(messageId, {
    ...(revision === null ? {} : { expectedRevisionId: revision }),
    subject: "Spring is here",
    previewText: "Three new features for your team",
    fromName: "Ada from Acme",
    fromEmail: "hello",
    lmx: '<Paragraph>Hello {firstName}, spring is here.</Paragraph>\n<Button href="https://acme.com/spring">See what\'s new</Button>',
    contactPropertiesFallbacks: { firstName: "there" },
  });
  console.log(
    `3. Updated the message: "${updated.subject}" (revision ${updated.contentRevisionId})`,
  );
} catch (error) {
  if (error instanceof ConflictError) {
    throw new Error(`The message changed since it was read: read it again. ${error.message}`);
  }
  throw error;
}

// 4. Guardian: its errors block publishing, its warnings are advice.
const checks = await loops.emailMessages.guardian(messageId);
for (const warning of checks.warnings) console.log(`   warning: ${warning.title}`);
if (checks.errors.length > 0) {
  throw new Error(`Guardian found errors: ${checks.errors.map((error) => error.title).join("; ")}`);
}
console.log(`4. Guardian: no errors, ${checks.warnings.length} warning(s)`);

// 5. A preview to yourself (it counts against the team's 100 previews a day).
await loops.emailMessages.preview(messageId, {
  emails: [previewTo],
  contactProperties: { firstName: "Ada" },
});
console.log(`5. Sent a preview to ${previewTo}`);

// 6. The audience, and a send time: tomorrow, computed rather than written down.
const sendAt = new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();
await loops.campaigns.update(created.id, {
  audienceFilter: {
    match: "all",
    conditions: [
      { type: "property", key: "plan", operator: "equals", value: "pro" },
      { type: "optIn", status: "accepted" },
    ],
  },
  scheduling: { method: "schedule", timestamp: sendAt },
});
console.log(`6. Aimed the campaign at opted-in pro contacts and scheduled it for ${sendAt}`);

// 7. Read it back to follow its status.
const campaign = await loops.campaigns.get(created.id);
console.log(`7. Campaign ${campaign.id} "${campaign.name}" is ${campaign.status}`);
