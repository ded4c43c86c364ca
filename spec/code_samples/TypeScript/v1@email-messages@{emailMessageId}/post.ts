import { ConflictError, createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const emailMessageId = "cmn5zia4i0017tzli8ric8giv";

// Read, update with the revision read; on 409 (someone else saved first) read again and retry.
// The client never retries a 409 by itself: only you know whether your change still applies.
for (let attempt = 1; ; attempt++) {
  const { contentRevisionId } = await loops.emailMessages.get(emailMessageId);
  try {
    const message = await loops.emailMessages.update(emailMessageId, {
      // No revision yet (a message never saved) leaves nothing to guard.
      ...(contentRevisionId === null ? {} : { expectedRevisionId: contentRevisionId }),
      subject: "Spring is here",
      fromName: "Ada from Acme",
      fromEmail: "hello", // the local part: sends from hello@<your sending domain>
      lmx: "<Paragraph>Hello {firstName}, spring is here.</Paragraph>",
    });
    console.log("Saved revision", message.contentRevisionId, message.warnings ?? []);
    break;
  } catch (error) {
    if (!(error instanceof ConflictError) || attempt === 3) throw error;
  }
}
