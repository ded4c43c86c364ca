import { createLoopsClient } from "@loops-contract/client";

const apiKey = process.env.LOOPS_API_KEY;
if (!apiKey) throw new Error("Set LOOPS_API_KEY first.");

const loops = createLoopsClient({ apiKey });

// Exactly one of email and userId. The answer is an array: empty when nobody matches.
const [contact] = await loops.contacts.find({ email: "ada@example.com" });
console.log(contact ? `${contact.id} is subscribed: ${contact.subscribed}` : "No such contact.");
