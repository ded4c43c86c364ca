import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const { errors, warnings } = await loops.emailMessages.guardian("cmn5zia4i0017tzli8ric8giv");
for (const { rule, title, items } of [...errors, ...warnings]) {
  console.log(rule, title, items.map((item) => item.label).join(", "));
}
// Errors block publishing: fix them before sending a preview.
if (errors.length > 0) process.exitCode = 1;
