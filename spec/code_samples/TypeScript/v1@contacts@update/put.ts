import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Creates the contact if no contact has this email; null would clear a field.
const { id } = await loops.contacts.update({ email: "ada@example.com", lastName: null });
console.log(`Contact ${id} updated.`);
