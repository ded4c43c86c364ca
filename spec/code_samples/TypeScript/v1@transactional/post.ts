import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

await loops.transactional.send({
  transactionalId: "clfq6dinn000yl70fgwwyp82l",
  email: "ada@example.com",
  dataVariables: { firstName: "Ada", confirmationUrl: "https://example.com/confirm/8Hq2" },
});
