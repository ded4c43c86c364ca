import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const message = await loops.emailMessages.get("cmn5zia4i0017tzli8ric8giv");
console.log(message.subject, message.fromName, message.fromEmail);
// Send this as expectedRevisionId on the next update.
console.log(message.contentRevisionId);
