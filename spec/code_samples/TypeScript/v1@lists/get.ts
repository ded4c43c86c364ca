import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

const lists = await loops.mailingLists.list();
for (const list of lists) console.log(list.id, list.name, list.isPublic ? "public" : "private");
