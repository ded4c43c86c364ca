import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const group = await loops.campaignGroups.get("clq3b7s9u007yl70u9v0w1x2y");
console.log(group.name, group.description);
